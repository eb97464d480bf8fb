/**
 * What a Table API table is, as data: each API field names its SQL expression and type, and a field
 * is found by the name a request gives only among the table's own fields.
 */
import { InvalidInput } from '../domain/errors';

export type FieldType = 'string' | 'integer' | 'boolean' | 'datetime' | 'reference';
export interface FieldDef {
  sql: string;
  type: FieldType;
  /** For references: the table the sys_id points into. */
  references?: string;
  /** For choice fields: each stored value's label, its display value (sysparm_display_value). */
  choices?: ReadonlyMap<string, string>;
}

/** Where a referenced record's display value comes from (ServiceNow's display field of each table). */
export const REFERENCE_DISPLAY: ReadonlyMap<string, { from: string; id: string; display: string }> = new Map([
  ['sys_user', { from: 'account', id: 'id', display: 'display_name' }],
  ['core_company', { from: 'party', id: 'id', display: 'name' }],
  ['sc_request', { from: 'sc_request', id: 'sys_id', display: 'number' }],
]);

/** The column alias of a reference's display value in a row read with display values. */
export const displayAlias = (name: string) => `${name}$display`;
export interface TableDef {
  name: string;
  from: string;
  /** The column naming the owning party; null for tables every party reads alike (knowledge). */
  partyColumn: string | null;
  fields: Record<string, FieldDef>;
  defaultOrder: string;
  /** A condition every read adds (work notes are not for Users), as SQL without parameters. */
  always?: string;
}

/** One field's definition, short: the tables are long lists of them. */
export const fieldDef = (sql: string, type: FieldType, references?: string): FieldDef => ({ sql, type, references });

/** A choice field: integer values with labels. */
export const choiceField = (sql: string, labels: Record<number, string>): FieldDef => ({
  sql,
  type: 'integer',
  choices: new Map(Object.entries(labels)),
});

/** A field of the table by the name a request gives, or undefined (own entries only, as `tableNamed`). */
export function fieldNamed(table: TableDef, name: string): FieldDef | undefined {
  return Object.hasOwn(table.fields, name) ? table.fields[name] : undefined;
}

export function fieldOf(table: TableDef, name: string, param = 'sysparm_query'): FieldDef {
  const field = fieldNamed(table, name);
  if (!field) {
    throw new InvalidInput(
      `${param} names an unknown field "${name}" of ${table.name}`,
      `Known fields: ${Object.keys(table.fields).join(', ')}.`,
      param,
    );
  }
  return field;
}
