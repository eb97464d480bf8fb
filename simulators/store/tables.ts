/**
 * The tables the Table API exposes, as data: each API field names its SQL expression and type.
 * Encoded queries compile against these definitions only, so a field that is not listed here can
 * be neither read, filtered nor sorted, and every value reaches SQL as a parameter.
 */
import { InvalidInput } from '../domain/errors';
import type { Condition, EncodedQuery } from '../domain/encoded-query';

export type FieldType = 'string' | 'integer' | 'boolean' | 'datetime' | 'reference';
export interface FieldDef {
  sql: string;
  type: FieldType;
  /** For references: the table the sys_id points into. */
  references?: string;
}
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

const f = (sql: string, type: FieldType, references?: string): FieldDef => ({ sql, type, references });

export const INCIDENT: TableDef = {
  name: 'incident',
  from: 'incident',
  partyColumn: 'party_id',
  defaultOrder: 'sys_created_on ASC, number ASC',
  fields: {
    sys_id: f('sys_id', 'string'),
    number: f('number', 'string'),
    caller_id: f('caller_id', 'reference', 'sys_user'),
    company: f('party_id', 'reference', 'core_company'),
    short_description: f('short_description', 'string'),
    description: f('description', 'string'),
    category: f('category', 'string'),
    impact: f('impact', 'integer'),
    urgency: f('urgency', 'integer'),
    priority: f('priority', 'integer'),
    state: f('state', 'integer'),
    incident_state: f('state', 'integer'),
    active: f('active', 'boolean'),
    on_hold_reason: f('on_hold_reason', 'string'),
    assignment_group: f('assignment_group', 'string'),
    close_notes: f('close_notes', 'string'),
    resolved_at: f('resolved_at', 'datetime'),
    closed_at: f('closed_at', 'datetime'),
    sys_created_on: f('sys_created_on', 'datetime'),
    sys_created_by: f('sys_created_by', 'string'),
    sys_updated_on: f('sys_updated_on', 'datetime'),
    sys_updated_by: f('sys_updated_by', 'string'),
    sys_mod_count: f('sys_mod_count', 'integer'),
    affected_service: f('affected_service', 'string'),
    target_resolution_at: f('target_resolution_at', 'datetime'),
    reopen_count: f('reopen_count', 'integer'),
    legacy_number: f('legacy_number', 'string'),
  },
};

/** Comments on records, as ServiceNow's journal; a User's reads never include DCC's work notes. */
export const SYS_JOURNAL_FIELD: TableDef = {
  name: 'sys_journal_field',
  from: 'journal_entry',
  partyColumn: 'party_id',
  defaultOrder: 'sys_created_on ASC',
  always: "element = 'comments'",
  fields: {
    sys_id: f('sys_id', 'string'),
    name: f('table_name', 'string'),
    element_id: f('element_id', 'string'),
    element: f('element', 'string'),
    value: f('value', 'string'),
    sys_created_by: f('sys_created_by', 'string'),
    sys_created_on: f('sys_created_on', 'datetime'),
  },
};

export const SYS_USER: TableDef = {
  name: 'sys_user',
  from: 'account',
  partyColumn: 'party_id',
  defaultOrder: 'username ASC',
  fields: {
    sys_id: f('id', 'string'),
    user_name: f('username', 'string'),
    email: f('username', 'string'),
    name: f('display_name', 'string'),
    active: f("(status = 'active')", 'boolean'),
    locked_out: f('(locked_until IS NOT NULL)', 'boolean'),
    company: f('party_id', 'reference', 'core_company'),
    roles: f("array_to_string(roles, ',')", 'string'),
    identity_path: f('identity_path', 'string'),
    migrated: f('migrated', 'boolean'),
    migration_review: f('migration_review', 'string'),
    legacy_id: f('legacy_id', 'string'),
    region: f('region', 'string'),
    chargeable: f('chargeable', 'boolean'),
    sys_created_on: f('created_at', 'datetime'),
    sys_updated_on: f('updated_at', 'datetime'),
  },
};

/** Attachments' metadata, as ServiceNow's Attachment API lists it (the bytes are fetched by /file). */
export const SYS_ATTACHMENT: TableDef = {
  name: 'sys_attachment',
  from: 'attachment',
  partyColumn: 'party_id',
  defaultOrder: 'sys_created_on ASC',
  fields: {
    sys_id: f('sys_id', 'string'),
    file_name: f('file_name', 'string'),
    content_type: f('content_type', 'string'),
    size_bytes: f('size_bytes', 'integer'),
    hash: f('hash', 'string'),
    table_name: f('table_name', 'string'),
    table_sys_id: f('table_sys_id', 'string'),
    sys_created_by: f('sys_created_by', 'string'),
    sys_created_on: f('sys_created_on', 'datetime'),
  },
};

export const SC_REQUEST: TableDef = {
  name: 'sc_request',
  from: 'sc_request',
  partyColumn: 'party_id',
  defaultOrder: 'sys_created_on ASC, number ASC',
  fields: {
    sys_id: f('sys_id', 'string'),
    number: f('number', 'string'),
    requested_for: f('requested_for', 'reference', 'sys_user'),
    sys_created_on: f('sys_created_on', 'datetime'),
    sys_created_by: f('sys_created_by', 'string'),
  },
};

export const SC_REQ_ITEM: TableDef = {
  name: 'sc_req_item',
  from: 'sc_req_item',
  partyColumn: 'party_id',
  defaultOrder: 'sys_created_on ASC, number ASC',
  fields: {
    sys_id: f('sys_id', 'string'),
    number: f('number', 'string'),
    request: f('request_id', 'reference', 'sc_request'),
    cat_item: f('cat_item', 'string'),
    short_description: f('short_description', 'string'),
    variables: f('variables::text', 'string'),
    state: f('state', 'string'),
    rejection_reason: f('rejection_reason', 'string'),
    row_problems: f('row_problems::text', 'string'),
    sys_created_on: f('sys_created_on', 'datetime'),
    sys_created_by: f('sys_created_by', 'string'),
    sys_updated_on: f('sys_updated_on', 'datetime'),
  },
};

/** Knowledge articles: one set for every party (SM-08). */
export const KB_KNOWLEDGE: TableDef = {
  name: 'kb_knowledge',
  from: 'knowledge_article',
  partyColumn: null,
  defaultOrder: 'number ASC',
  fields: {
    sys_id: f('sys_id', 'string'),
    number: f('number', 'string'),
    short_description: f('short_description', 'string'),
    text: f('text', 'string'),
    category: f('category', 'string'),
    published: f('published_on', 'datetime'),
  },
};

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

export interface CompiledQuery {
  where: string;
  params: unknown[];
  orderBy: string;
}

/** `$1` is always the caller's party, so parameter numbers stay the same for shared tables. */
export function partyCondition(table: TableDef): string {
  return table.partyColumn ? `${table.partyColumn} = $1` : '$1::text IS NOT NULL';
}

/** Compiles an encoded query for one party's rows; `params` continues after `firstParam - 1`. */
export function compileQuery(table: TableDef, query: EncodedQuery, partyId: string): CompiledQuery {
  const params: unknown[] = [partyId];
  const groups = query.where.map((group) => {
    const parts = group.map((c) => compileCondition(table, c, params));
    return parts.length > 1 ? `(${parts.join(' OR ')})` : (parts[0] ?? 'TRUE');
  });
  const where = [partyCondition(table), ...(table.always ? [table.always] : []), ...groups].join(' AND ');
  const order = query.orderBy.map((o) => `${fieldOf(table, o.field).sql} ${o.descending ? 'DESC' : 'ASC'}`);
  // A unique tie-breaker keeps paging stable whatever the requested order.
  const orderBy = [...order, table.defaultOrder, `${table.fields.sys_id?.sql ?? 'id'} ASC`].join(', ');
  return { where, params, orderBy };
}

function compileCondition(table: TableDef, c: Condition, params: unknown[]): string {
  const field = fieldOf(table, c.field);
  const bind = (value: unknown) => `$${params.push(value)}`;
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
