/**
 * Generic reads of the Table API's tables: one party's rows, filtered, sorted, paged and counted,
 * each as one statement written against `who` (store/as-who.ts), so who is asking is read with it.
 */
import type { EncodedQuery } from '../domain/encoded-query';
import { queryAs, type WhoStatement } from './as-who';
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

type Bind = (value: unknown) => string;

/** Every field's select list of each table (what a read without sysparm_fields asks), written once. */
const allFields = new WeakMap<TableDef, Map<boolean, string>>();

export function selectList(table: TableDef, fields?: readonly string[], displayValues = false): string {
  if (fields?.length) return writeSelectList(table, fields, displayValues);
  const written = allFields.get(table) ?? new Map<boolean, string>();
  allFields.set(table, written);
  const select = written.get(displayValues) ?? writeSelectList(table, Object.keys(table.fields), displayValues);
  written.set(displayValues, select);
  return select;
}

function writeSelectList(table: TableDef, names: readonly string[], displayValues: boolean): string {
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

/** A page of the party's rows and their total (compile errors, such as an unknown field, are thrown here, before any query). */
export function listStatement(table: TableDef, options: ListOptions): (bind: Bind) => WhoStatement {
  const select = selectList(table, options.fields, options.displayValues);
  return (bind) => {
    const { where, orderBy } = compileQuery(table, options.query, 'who.party_id', bind);
    return {
      rows: `SELECT ${select} FROM ${table.from} WHERE ${where} ORDER BY ${orderBy} LIMIT ${bind(options.limit)} OFFSET ${bind(options.offset)}`,
      total: `SELECT count(*)::int FROM ${table.from} WHERE ${where}`,
    };
  };
}

/** One row of the party by its sys_id. */
export function recordStatement(
  table: TableDef,
  sysId: string,
  fields?: readonly string[],
  displayValues = false,
): (bind: Bind) => WhoStatement {
  const select = selectList(table, fields, displayValues);
  const id = fieldOf(table, 'sys_id').sql;
  return (bind) => ({
    rows: `SELECT ${select} FROM ${table.from} WHERE ${partyCondition(table, 'who.party_id')} AND ${id} = ${bind(sysId)}${table.always ? ` AND ${table.always}` : ''}`,
  });
}

export async function listRecords(db: Queryable, table: TableDef, partyId: string, options: ListOptions): Promise<Page> {
  const { rows, total } = await queryAs(db, { partyId }, listStatement(table, options));
  return { rows, total };
}

export async function getRecord(
  db: Queryable,
  table: TableDef,
  partyId: string,
  sysId: string,
  fields?: readonly string[],
  displayValues = false,
): Promise<Record<string, unknown> | undefined> {
  return (await queryAs(db, { partyId }, recordStatement(table, sysId, fields, displayValues))).rows[0];
}
