/** Generic reads of the Table API's tables: one party's rows, filtered, sorted, paged and counted. */
import type { EncodedQuery } from '../domain/encoded-query';
import type { Queryable } from './db';
import { compileQuery, partyCondition } from './encoded-query-sql';
import { displayAlias, REFERENCE_DISPLAY } from './table-def';
import { fieldOf, type TableDef } from './tables';

export interface Page {
  rows: Record<string, unknown>[];
  total: number;
}

export interface ListOptions {
  query: EncodedQuery;
  limit: number;
  offset: number;
  fields?: readonly string[];
  /** Also read each reference's display value (sysparm_display_value true or all). */
  displayValues?: boolean;
}

export function selectList(table: TableDef, fields?: readonly string[], displayValues = false): string {
  const names = fields?.length ? fields : Object.keys(table.fields);
  return names
    .flatMap((name) => {
      const field = fieldOf(table, name, 'sysparm_fields');
      const own = `${field.sql} AS "${name}"`;
      const target = displayValues && field.references ? REFERENCE_DISPLAY.get(field.references) : undefined;
      if (!target) return [own];
      return [own, `(SELECT d.${target.display} FROM ${target.from} d WHERE d.${target.id} = ${field.sql}) AS "${displayAlias(name)}"`];
    })
    .join(', ');
}

export async function listRecords(db: Queryable, table: TableDef, partyId: string, options: ListOptions): Promise<Page> {
  const { where, params, orderBy } = compileQuery(table, options.query, partyId);
  const select = selectList(table, options.fields, options.displayValues);
  const n = params.length;
  const [rows, count] = await Promise.all([
    db.query(`SELECT ${select} FROM ${table.from} WHERE ${where} ORDER BY ${orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`, [
      ...params,
      options.limit,
      options.offset,
    ]),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${table.from} WHERE ${where}`, params),
  ]);
  return { rows, total: count[0]?.total ?? 0 };
}

export async function getRecord(
  db: Queryable,
  table: TableDef,
  partyId: string,
  sysId: string,
  fields?: readonly string[],
  displayValues = false,
): Promise<Record<string, unknown> | undefined> {
  const id = fieldOf(table, 'sys_id').sql;
  const rows = await db.query(
    `SELECT ${selectList(table, fields, displayValues)} FROM ${table.from} WHERE ${partyCondition(table)} AND ${id} = $2${table.always ? ` AND ${table.always}` : ''}`,
    [partyId, sysId],
  );
  return rows[0];
}
