/**
 * The incident pages' HTML: the list with its filters, the raise form, one incident with its
 * comments, attachments and the actions its state allows, the change form and the rejection form.
 * Rows are the Table API's rows (store/records), so the pages show what the API returns.
 */
import { IncidentState, STATE_LABELS } from '../domain/incident';
import { errorSummary } from '../http/forms';
import { escapeHtml as e } from '../http/html';
import { CATEGORIES } from '../services/incident-input';
import { actionButton, details, field, form, link, select, table, type FormError, type Viewer } from './layout';

type Row = Record<string, unknown>;

const LEVELS = [
  { value: '1', label: '1 - High' },
  { value: '2', label: '2 - Medium' },
  { value: '3', label: '3 - Low' },
];
const PRIORITIES = ['1 - Critical', '2 - High', '3 - Moderate', '4 - Low', '5 - Planning'];
const CATEGORY_OPTIONS = CATEGORIES.map((c) => ({ value: c, label: (c.charAt(0).toUpperCase() + c.slice(1)).replace(/_/g, ' ') }));

const text = (row: Row, name: string): string => {
  const value = row[name];
  return value === null || value === undefined ? '' : value instanceof Date ? when(value) : String(value);
};
const when = (value: Date): string => `${value.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const level = (value: string): string => LEVELS.find((l) => l.value === value)?.label ?? value;
const priority = (value: string): string => PRIORITIES[Number(value) - 1] ?? value;
const state = (value: string): string => STATE_LABELS[Number(value) as IncidentState] ?? value;
const yesNo = (value: unknown): string => (value === true || value === 'true' ? 'Yes' : 'No');
export const incidentPath = (sysId: string): string => `/portal/incidents/${encodeURIComponent(sysId)}`;

export interface ListFilter {
  activeOnly: boolean;
  maxPriority: string;
}

export function listBody(filter: ListFilter, rows: Row[], total: number, next: string | undefined, error?: FormError): string {
  const priorities = [
    { value: '', label: 'Any priority' },
    ...PRIORITIES.map((p, i) => ({ value: String(i + 1), label: i === 0 ? p : `${p} or higher` })),
  ];
  const filters = `<form method="get" action="/portal/incidents" role="search" aria-label="Filter incidents">
<label class="choice" for="f-active"><input type="checkbox" id="f-active" name="active" value="true"${filter.activeOnly ? ' checked' : ''}> Active incidents only</label>
${select('max_priority', 'Priority', priorities, filter.maxPriority, error)}<button type="submit" class="secondary">Show incidents</button></form>`;
  const list = table(
    "Your organisation's incidents, newest first",
    ['Number', 'Short description', 'Impact', 'Urgency', 'Priority', 'State', 'Active', 'Raised by', 'Target resolution time'],
    rows.map((r) => [
      link(incidentPath(text(r, 'sys_id')), text(r, 'number')),
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
  return `<p>${link('/portal/incidents/new', 'Raise an incident')}</p>${filters}<p>${total} ${total === 1 ? 'incident' : 'incidents'}</p>${list}${more}`;
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

/** Which of the page's forms a refusal came from, so its message shows there. */
export interface Failed {
  form: 'comments' | 'file' | 'actions';
  error: FormError;
}

export function incidentBody(viewer: Viewer, row: Row, comments: Row[], files: Row[], failed?: Failed): string {
  const errorOf = (name: Failed['form']) => (failed?.form === name ? failed.error : undefined);
  const path = incidentPath(text(row, 'sys_id'));
  const facts = details([
    ['Number', text(row, 'number')],
    ['Short description', text(row, 'short_description')],
    ['Description', text(row, 'description')],
    ['Category', CATEGORY_OPTIONS.find((c) => c.value === text(row, 'category'))?.label ?? text(row, 'category')],
    ['Affected service', text(row, 'affected_service')],
    ['State', state(text(row, 'state'))],
    ['Active', yesNo(row.active)],
    ['Impact', level(text(row, 'impact'))],
    ['Urgency', level(text(row, 'urgency'))],
    ['Priority', priority(text(row, 'priority'))],
    ['Target resolution time', text(row, 'target_resolution_at')],
    ['Raised by', text(row, 'sys_created_by')],
    ['Raised on', text(row, 'sys_created_on')],
    ...(text(row, 'close_notes') ? ([['Resolution notes', text(row, 'close_notes')]] as [string, string][]) : []),
  ]);
  const journal = table(
    'Comments, oldest first',
    ['Added', 'By', 'Comment'],
    comments.map((c) => [e(text(c, 'sys_created_on')), e(text(c, 'sys_created_by')), e(text(c, 'value'))]),
    'No comments yet.',
  );
  const attached = table(
    'Attachments',
    ['File', 'Type', 'Size in bytes'],
    files.map((f) => [e(text(f, 'file_name')), e(text(f, 'content_type')), e(text(f, 'size_bytes'))]),
    'No files attached yet.',
  );
  const active = yesNo(row.active) === 'Yes';
  // A closed or canceled incident shows no forms, yet a refusal from one (it can no longer change) still needs saying.
  return `${facts}${errorSummary(active ? errorOf('actions') : failed?.error)}${active ? actions(viewer, path, Number(text(row, 'state'))) : ''}<h2>Comments</h2>${journal}${active ? form(viewer, `${path}/comments`, field({ name: 'comments', label: 'Comment', type: 'textarea', required: false }, errorOf('comments')), 'Add the comment', errorOf('comments')) : ''}
<h2>Attachments</h2>${attached}${active ? form(viewer, `${path}/attachments`, field({ name: 'file', label: 'File to attach', type: 'file' }, errorOf('file')), 'Attach the file', errorOf('file'), true) : ''}
<p>${link('/portal/incidents', 'Back to the incidents')}</p>`;
}

/** What the person may do next from this state; the service still checks every move. */
function actions(viewer: Viewer, path: string, current: number): string {
  const out = [`<p>${link(`${path}/edit`, 'Change the details')}</p>`];
  if (current === IncidentState.New) out.push(actionButton(viewer, `${path}/cancel`, 'Cancel the incident'));
  if (current === IncidentState.Resolved) {
    out.push(
      actionButton(viewer, `${path}/confirm`, 'Confirm the resolution'),
      `<p>${link(`${path}/reject`, 'Reject the resolution')}</p>`,
    );
  }
  return `<h2>Actions</h2>${out.join('')}`;
}

export function editBody(viewer: Viewer, row: Row, input: Record<string, string>, error?: FormError): string {
  const value = (name: string) => input[name] ?? text(row, name);
  const fields = [
    field({ name: 'short_description', label: 'Short description', value: value('short_description') }, error),
    field({ name: 'description', label: 'Description', type: 'textarea', value: value('description'), required: false }, error),
    select('impact', 'Impact', LEVELS, value('impact'), error),
    select('urgency', 'Urgency', LEVELS, value('urgency'), error),
  ].join('');
  return `${form(viewer, `${incidentPath(text(row, 'sys_id'))}/edit`, fields, 'Save the changes', error)}<p>${link(incidentPath(text(row, 'sys_id')), `Back to ${text(row, 'number')}`)}</p>`;
}

export function rejectBody(viewer: Viewer, row: Row, reason: string, error?: FormError): string {
  const path = incidentPath(text(row, 'sys_id'));
  const reasonField = field(
    { name: 'comments', label: 'Why the resolution does not work', type: 'textarea', value: reason, required: false },
    error,
  );
  return `${details([['Resolution notes', text(row, 'close_notes')]])}${form(viewer, `${path}/reject`, reasonField, 'Reject the resolution', error)}<p>${link(path, `Back to ${text(row, 'number')}`)}</p>`;
}

export const titleOf = (row: Row): string => `${text(row, 'number')}: ${text(row, 'short_description')}`;
