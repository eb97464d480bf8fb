/**
 * The tables the Table API exposes, by the name a request gives. Encoded queries compile against
 * these definitions only (encoded-query-sql.ts), so a field that is not listed can be neither read,
 * filtered nor sorted, and every value reaches SQL as a parameter.
 */
import type { TableDef } from './table-def';
import { KB_KNOWLEDGE, SC_REQ_ITEM, SC_REQUEST } from './tables-catalog';
import { INCIDENT, SYS_ATTACHMENT, SYS_JOURNAL_FIELD } from './tables-incident';
import { SYS_USER } from './tables-user';

export { displayAlias, fieldNamed, fieldOf, type FieldDef, type FieldType, type TableDef } from './table-def';
export { KB_KNOWLEDGE, SC_REQ_ITEM, SC_REQUEST } from './tables-catalog';
export { INCIDENT, SYS_ATTACHMENT, SYS_JOURNAL_FIELD } from './tables-incident';
export { SYS_USER } from './tables-user';

export const TABLES: Record<string, TableDef> = {
  incident: INCIDENT,
  sys_user: SYS_USER,
  sys_journal_field: SYS_JOURNAL_FIELD,
  sys_attachment: SYS_ATTACHMENT,
  sc_request: SC_REQUEST,
  sc_req_item: SC_REQ_ITEM,
  kb_knowledge: KB_KNOWLEDGE,
};

/**
 * The table a request names, or undefined. Names come from requests: only the table's own entries
 * count, so `constructor` or `__proto__` is an unknown name like any other, never Object.prototype's.
 */
export function tableNamed(name: string): TableDef | undefined {
  return Object.hasOwn(TABLES, name) ? TABLES[name] : undefined;
}
