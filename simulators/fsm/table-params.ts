/** The Table API's query parameters, validated: anything unknown, repeated or out of range is a 400. */
import { InvalidInput } from '../domain/errors';
import { fieldOf, type TableDef } from '../services/records';

export type DisplayValue = 'false' | 'true' | 'all';

export interface RecordParams {
  fields?: string[];
  excludeReferenceLink: boolean;
  /** sysparm_display_value: stored values, display values, or both. */
  display: DisplayValue;
  /** sysparm_input_display_value: the body's choice fields are given by their labels. */
  inputDisplay: boolean;
}
export interface ListParams extends RecordParams {
  query: string;
  limit: number;
  offset: number;
  /** sysparm_suppress_pagination_header: no Link header. */
  suppressPagination: boolean;
}

/**
 * sysparm_view (desktop, mobile, both) picks the form view's fields: the simulator has one view, all
 * fields. sysparm_query_no_domain: the simulator has no domains (a party's records are its own either way).
 */
const RECORD_PARAMS = [
  'sysparm_fields',
  'sysparm_exclude_reference_link',
  'sysparm_display_value',
  'sysparm_input_display_value',
  'sysparm_view',
  'sysparm_query_no_domain',
];
const LIST_PARAMS = [...RECORD_PARAMS, 'sysparm_query', 'sysparm_limit', 'sysparm_offset', 'sysparm_suppress_pagination_header'];

type Query = Record<string, unknown>;

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidInput(`${name} was given more than once`, 'Send it once.', name);
  return value;
}

function assertKnown(query: Query, allowed: string[]): void {
  const unknown = Object.keys(query).filter((k) => !allowed.includes(k));
  if (unknown.length) {
    throw new InvalidInput(
      `Unknown query parameter: ${unknown.map((u) => u.slice(0, 40)).join(', ')}`,
      `Supported here: ${allowed.join(', ')}.`,
      unknown[0],
    );
  }
}

function integer(query: Query, name: string, min: number, max: number, fallback: number): number {
  const text = single(query, name);
  if (text === undefined) return fallback;
  if (!/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new InvalidInput(`${name} must be a whole number from ${min} to ${max}`, `Got "${text.slice(0, 40)}".`, name);
  }
  return Number(text);
}

function oneOf<T extends string>(query: Query, name: string, values: readonly T[], fallback: T): T {
  const value = single(query, name);
  if (value === undefined) return fallback;
  if (!(values as readonly string[]).includes(value))
    throw new InvalidInput(`${name} must be ${values.join(' or ')}`, `Got "${value.slice(0, 40)}".`, name);
  return value as T;
}

const flag = (query: Query, name: string) => oneOf(query, name, ['true', 'false'], 'false') === 'true';

export function readRecordParams(query: Query, table: TableDef, allowed = RECORD_PARAMS): RecordParams {
  assertKnown(query, allowed);
  const display = oneOf(query, 'sysparm_display_value', ['true', 'false', 'all'], 'false');
  oneOf(query, 'sysparm_view', ['desktop', 'mobile', 'both'], 'desktop');
  flag(query, 'sysparm_query_no_domain');
  const fieldsText = single(query, 'sysparm_fields');
  const fields = fieldsText
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  fields?.forEach((f) => fieldOf(table, f, 'sysparm_fields'));
  return {
    fields: fields?.length ? [...new Set(fields)] : undefined,
    excludeReferenceLink: flag(query, 'sysparm_exclude_reference_link'),
    display,
    inputDisplay: flag(query, 'sysparm_input_display_value'),
  };
}

export function readListParams(query: Query, table: TableDef, maxPageSize: number): ListParams {
  return {
    ...readRecordParams(query, table, LIST_PARAMS),
    query: single(query, 'sysparm_query') ?? '',
    limit: integer(query, 'sysparm_limit', 1, maxPageSize, maxPageSize),
    offset: integer(query, 'sysparm_offset', 0, 1_000_000_000, 0),
    suppressPagination: flag(query, 'sysparm_suppress_pagination_header'),
  };
}

/** ServiceNow's paging links: first, prev, next and last, each the same request at another offset. */
export function buildLinkHeader(requestUrl: string, limit: number, offset: number, total: number): string {
  const at = (o: number) => {
    const url = new URL(requestUrl);
    url.searchParams.set('sysparm_limit', String(limit));
    url.searchParams.set('sysparm_offset', String(o));
    return url.toString();
  };
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [`<${at(0)}>;rel="first"`];
  if (offset > 0) links.push(`<${at(Math.max(0, offset - limit))}>;rel="prev"`);
  if (offset + limit < total) links.push(`<${at(offset + limit)}>;rel="next"`);
  links.push(`<${at(lastOffset)}>;rel="last"`);
  return links.join(',');
}
