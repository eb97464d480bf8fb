/**
 * Records in ServiceNow's wire format: every value a string, date-times as `YYYY-MM-DD HH:mm:ss`
 * (UTC), empty values as "", references as `{ link, value }` unless the caller excludes links.
 * With sysparm_display_value=true a choice field shows its label and a reference its record's
 * display value; with `all`, every field is `{ display_value, value }` (and a reference's link).
 */
import type { Request } from 'express';
import { originOf } from '../http/origin';
import { displayAlias, fieldNamed, type FieldDef, type TableDef } from '../services/records';
import type { DisplayValue } from './table-params';

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
  display?: DisplayValue;
}

const text = (value: unknown) => (value === null || value === undefined ? '' : value instanceof Date ? snDateTime(value) : String(value));

function displayOf(field: FieldDef, name: string, row: Record<string, unknown>, value: string): string {
  if (field.choices) return field.choices.get(value) ?? value;
  if (field.type === 'reference') return text(row[displayAlias(name)]);
  return value;
}

export function formatRecord(table: TableDef, row: Record<string, unknown>, options: FormatOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const display = options.display ?? 'false';
  for (const [name, raw] of Object.entries(row)) {
    const field = fieldNamed(table, name);
    if (!field) continue;
    const value = text(raw);
    const link =
      field.type === 'reference' && value !== '' && !options.excludeReferenceLink
        ? { link: `${options.baseUrl}/api/now/table/${field.references}/${value}` }
        : undefined;
    const shown = display === 'false' ? value : displayOf(field, name, row, value);
    if (display === 'all') out[name] = { display_value: shown, ...link, value };
    else if (link) out[name] = display === 'true' ? { display_value: shown, ...link } : { ...link, value };
    else out[name] = shown;
  }
  return out;
}

/**
 * sysparm_input_display_value=true: a choice field may be given by its label ("In Progress", "1 - High"),
 * which becomes its stored value; anything else passes as sent, for the use case to validate.
 */
export function fromDisplayValues(table: TableDef, body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const out: Record<string, unknown> = { ...body };
  for (const [name, value] of Object.entries(body)) {
    const choices = fieldNamed(table, name)?.choices;
    const stored = choices && [...choices].find(([, label]) => label === value)?.[0];
    if (stored !== undefined) out[name] = stored;
  }
  return out;
}
