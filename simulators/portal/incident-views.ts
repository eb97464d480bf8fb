/**
 * The incident pages' HTML: the list with its filters, the raise form and the change form (the
 * ticket page with its activity stream is ticket-view.ts).
 * Rows are the Table API's rows (store/records), so the pages show what the API returns.
 */
import { IncidentState, STATE_LABELS } from '../domain/incident';
import { escapeHtml as e } from '../http/html';
import { CATEGORIES } from '../services/incident-input';
import { field, form, link, select, table, type FormError, type Viewer } from './layout';
import type { SpPaths } from './sp-paths';

type Row = Record<string, unknown>;

const LEVELS = [
  { value: '1', label: '1 - High' },
  { value: '2', label: '2 - Medium' },
  { value: '3', label: '3 - Low' },
];
const PRIORITIES = ['1 - Critical', '2 - High', '3 - Moderate', '4 - Low', '5 - Planning'];
export const CATEGORY_OPTIONS = CATEGORIES.map((c) => ({ value: c, label: (c.charAt(0).toUpperCase() + c.slice(1)).replace(/_/g, ' ') }));

export const text = (row: Row, name: string): string => {
  const value = row[name];
  return value === null || value === undefined ? '' : value instanceof Date ? when(value) : String(value);
};
export const when = (value: Date): string => `${value.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
export const level = (value: string): string => LEVELS.find((l) => l.value === value)?.label ?? value;
export const priority = (value: string): string => PRIORITIES[Number(value) - 1] ?? value;
export const state = (value: string): string => STATE_LABELS[Number(value) as IncidentState] ?? value;
export const yesNo = (value: unknown): string => (value === true || value === 'true' ? 'Yes' : 'No');
/** Where an incident's forms post (the pages themselves are the Service Portal's `?id=ticket`). */
export const incidentPath = (sysId: string): string => `/portal/incidents/${encodeURIComponent(sysId)}`;

export interface ListFilter {
  activeOnly: boolean;
  maxPriority: string;
}

export function listBody(sp: SpPaths, filter: ListFilter, rows: Row[], total: number, next: string | undefined, error?: FormError): string {
  const priorities = [
    { value: '', label: 'Any priority' },
    ...PRIORITIES.map((p, i) => ({ value: String(i + 1), label: i === 0 ? p : `${p} or higher` })),
  ];
  const filters = `<form method="get" action="${e(sp.home)}" role="search" aria-label="Filter incidents"><input type="hidden" name="id" value="list"><input type="hidden" name="table" value="incident">
<label class="choice" for="f-active"><input type="checkbox" id="f-active" name="active" value="true"${filter.activeOnly ? ' checked' : ''}> Active incidents only</label>
${select('max_priority', 'Priority', priorities, filter.maxPriority, error)}<button type="submit" class="secondary">Show incidents</button></form>`;
  const list = table(
    "Your organisation's incidents, newest first",
    ['Number', 'Short description', 'Impact', 'Urgency', 'Priority', 'State', 'Active', 'Raised by', 'Target resolution time'],
    rows.map((r) => [
      link(sp.ticket('incident', text(r, 'sys_id')), text(r, 'number')),
      e(text(r, 'short_description')),
      e(level(text(r, 'impact'))),
      e(level(text(r, 'urgency'))),
      e(priority(text(r, 'priority'))),
      e(state(text(r, 'state'))),
      yesNo(r.active),
      e(text(r, 'sys_created_by')),
      e(text(r, 'target_resolution_at')),
    ]),
    'No incidents match.',
  );
  const more = next ? `<p>${link(next, 'Next page of incidents')}</p>` : '';
  return `<p>${link(sp.page('form', { table: 'incident', sys_id: '-1' }), 'Raise an incident')}</p>${filters}<p>${total} ${total === 1 ? 'incident' : 'incidents'}</p>${list}${more}`;
}

export function raiseBody(viewer: Viewer, input: Record<string, string>, error?: FormError): string {
  const fields = [
    field(
      {
        name: 'short_description',
        label: 'Short description',
        value: input.short_description,
        hint: 'What is wrong, in a line (at least 5 characters).',
      },
      error,
    ),
    field({ name: 'description', label: 'Description', type: 'textarea', value: input.description, required: false }, error),
    select('category', 'Category', CATEGORY_OPTIONS, input.category ?? 'inquiry', error),
    field({ name: 'affected_service', label: 'Affected service', value: input.affected_service, required: false }, error),
    select('impact', 'Impact', LEVELS, input.impact ?? '3', error),
    select('urgency', 'Urgency', LEVELS, input.urgency ?? '3', error),
  ].join('');
  return form(viewer, '/portal/incidents', fields, 'Raise the incident', error);
}

export function editBody(viewer: Viewer, row: Row, input: Record<string, string>, error?: FormError): string {
  const value = (name: string) => input[name] ?? text(row, name);
  const fields = [
    field({ name: 'short_description', label: 'Short description', value: value('short_description') }, error),
    field({ name: 'description', label: 'Description', type: 'textarea', value: value('description'), required: false }, error),
    select('impact', 'Impact', LEVELS, value('impact'), error),
    select('urgency', 'Urgency', LEVELS, value('urgency'), error),
  ].join('');
  return `${form(viewer, `${incidentPath(text(row, 'sys_id'))}/edit`, fields, 'Save the changes', error)}<p>${link(viewer.sp.ticket('incident', text(row, 'sys_id')), `Back to ${text(row, 'number')}`)}</p>`;
}

export const titleOf = (row: Row): string => `${text(row, 'number')}: ${text(row, 'short_description')}`;
