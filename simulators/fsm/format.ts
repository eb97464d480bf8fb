/**
 * Records in ServiceNow's wire format: every value a string, date-times as `YYYY-MM-DD HH:mm:ss`
 * (UTC), empty values as "", references as `{ link, value }` unless the caller excludes links.
 */
import type { Request } from 'express';
import { originOf } from '../http/origin';
import { fieldNamed, type TableDef } from '../services/records';

/** The origin of the listener that answers, for links in answers (never the request's Host: see http/origin.ts). */
export function baseUrl(req: Request): string {
  return originOf(req);
}

export function snDateTime(value: Date): string {
  return value.toISOString().replace('T', ' ').slice(0, 19);
}

export interface FormatOptions {
  baseUrl: string;
  excludeReferenceLink: boolean;
}

export function formatRecord(table: TableDef, row: Record<string, unknown>, options: FormatOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    const field = fieldNamed(table, name);
    if (!field) continue;
    const text = value === null || value === undefined ? '' : value instanceof Date ? snDateTime(value) : String(value);
    out[name] =
      field.type === 'reference' && text !== '' && !options.excludeReferenceLink
        ? { link: `${options.baseUrl}/api/now/table/${field.references}/${text}`, value: text }
        : text;
  }
  return out;
}
