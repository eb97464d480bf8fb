/**
 * Encoded queries compiled to SQL for one party's rows. Only fields of the table's definition can be
 * filtered or sorted, and every value reaches SQL as a parameter, converted to the field's type.
 */
import { InvalidInput } from '../domain/errors';
import type { Condition, EncodedQuery } from '../domain/encoded-query';
import { fieldOf, type FieldDef, type TableDef } from './table-def';

export interface CompiledQuery {
  where: string;
  orderBy: string;
}

/** The rows of one party: `party` is SQL for its id (`who.party_id`, store/as-who.ts). */
export function partyCondition(table: TableDef, party: string): string {
  return table.partyColumn ? `${table.partyColumn} = ${party}` : 'TRUE';
}

/** Compiles an encoded query for one party's rows, every value bound through `bind`. */
export function compileQuery(table: TableDef, query: EncodedQuery, party: string, bind: (value: unknown) => string): CompiledQuery {
  const groups = query.where.map((group) => {
    const parts = group.map((c) => compileCondition(table, c, bind));
    return parts.length > 1 ? `(${parts.join(' OR ')})` : (parts[0] ?? 'TRUE');
  });
  const where = [partyCondition(table, party), ...(table.always ? [table.always] : []), ...groups].join(' AND ');
  const order = query.orderBy.map((o) => `${fieldOf(table, o.field).sql} ${o.descending ? 'DESC' : 'ASC'}`);
  // A unique tie-breaker keeps paging stable whatever the requested order.
  const orderBy = [...order, table.defaultOrder, `${table.fields.sys_id?.sql ?? 'id'} ASC`].join(', ');
  return { where, orderBy };
}

function compileCondition(table: TableDef, c: Condition, bind: (value: unknown) => string): string {
  const field = fieldOf(table, c.field);
  switch (c.operator) {
    case 'ISEMPTY':
      return field.type === 'string' ? `(${field.sql} IS NULL OR ${field.sql} = '')` : `${field.sql} IS NULL`;
    case 'ISNOTEMPTY':
      return field.type === 'string' ? `(${field.sql} IS NOT NULL AND ${field.sql} <> '')` : `${field.sql} IS NOT NULL`;
    case 'LIKE':
    case 'NOTLIKE':
    case 'STARTSWITH':
    case 'ENDSWITH': {
      const text = escapeLike(c.value);
      const pattern = c.operator === 'STARTSWITH' ? `${text}%` : c.operator === 'ENDSWITH' ? `%${text}` : `%${text}%`;
      const negate = c.operator === 'NOTLIKE' ? 'NOT ' : '';
      return `${negate}(${field.sql})::text ILIKE ${bind(pattern)}`;
    }
    case 'IN':
    case 'NOT IN': {
      const values = c.value.split(',').map((v) => typed(field, c, v));
      const negate = c.operator === 'NOT IN' ? 'NOT ' : '';
      return `${negate}(${field.sql} = ANY(${bind(values)}))`;
    }
    default:
      return `${field.sql} ${c.operator === '!=' ? '<>' : c.operator} ${bind(typed(field, c, c.value))}`;
  }
}

/** Converts a query value to the field's type, or says how to write it. */
function typed(field: FieldDef, c: Condition, value: string): unknown {
  const refuse = (expected: string) =>
    new InvalidInput(`sysparm_query compares ${c.field} with "${value}", which is not ${expected}`, '', 'sysparm_query');
  switch (field.type) {
    case 'integer':
      if (!/^-?\d{1,9}$/.test(value)) throw refuse('a whole number');
      return Number(value);
    case 'boolean':
      if (value !== 'true' && value !== 'false') throw refuse('true or false');
      return value === 'true';
    case 'datetime': {
      const ms = Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value);
      if (Number.isNaN(ms)) throw refuse('a date-time such as 2026-11-22 09:30:00 (UTC)');
      return new Date(ms);
    }
    default:
      return value;
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
