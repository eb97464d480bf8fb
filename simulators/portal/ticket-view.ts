/**
 * The Service Portal's ticket page for an incident (`?id=ticket&table=incident&sys_id=...`), shaped as
 * ServiceNow's: the ticket's fields, the actions its state allows (cancel; confirm or reject a
 * resolution), the conversation (add a comment) over the activity stream, and the attachments.
 * The stream holds what the store records: comments and files with their times, and the state
 * changes that have a time of their own (raised, resolved, closed or canceled).
 */
import { IncidentState } from '../domain/incident';
import { errorSummary } from '../http/forms';
import { escapeHtml as e } from '../http/html';
import { CATEGORY_OPTIONS, incidentPath, level, priority, state, text, yesNo } from './incident-views';
import { actionButton, details, field, form, link, table, type FormError, type Viewer } from './layout';

type Row = Record<string, unknown>;

/** Which of the page's forms a refusal came from, so its message shows there. */
export interface Failed {
  form: 'comments' | 'file' | 'actions' | 'reject';
  error: FormError;
}

interface Activity {
  /** When, as shown (to the minute) and as a number to order by (to the millisecond). */
  at: string;
  time: number;
  kind: 'comment' | 'change' | 'file';
  heading: string;
  by: string;
  body: string;
}

/** Comments, files and timed state changes, newest first (as the Ticket Conversations widget shows them). */
function activity(row: Row, comments: Row[], files: Row[]): Activity[] {
  const entry = (r: Row, field: string, kind: Activity['kind'], heading: string, by: string, body: string): Activity => {
    const value = r[field];
    return { at: text(r, field), time: value instanceof Date ? value.getTime() : Date.parse(String(value)), kind, heading, by, body };
  };
  const current = Number(text(row, 'state'));
  const changes = [entry(row, 'sys_created_on', 'change', 'Raised', text(row, 'sys_created_by'), 'State: New')];
  if (text(row, 'resolved_at')) changes.push(entry(row, 'resolved_at', 'change', 'Resolved', 'DCC Service Desk', text(row, 'close_notes')));
  if (current === IncidentState.Closed && text(row, 'closed_at'))
    changes.push(entry(row, 'closed_at', 'change', 'Closed', text(row, 'sys_updated_by'), 'State: Closed'));
  if (current === IncidentState.Canceled)
    changes.push(entry(row, 'sys_updated_on', 'change', 'Canceled', text(row, 'sys_updated_by'), 'State: Canceled'));
  const said = comments.map((c) => entry(c, 'sys_created_on', 'comment', 'Comment', text(c, 'sys_created_by'), text(c, 'value')));
  const attached = files.map((f) => entry(f, 'sys_created_on', 'file', 'File attached', text(f, 'sys_created_by'), text(f, 'file_name')));
  // Newest first; on equal times the later-listed entry stays above.
  return [...changes, ...said, ...attached]
    .map((a, i) => ({ a, i }))
    .sort((x, y) => y.a.time - x.a.time || y.i - x.i)
    .map(({ a }) => a);
}

function stream(entries: Activity[]): string {
  const items = entries
    .map(
      (a) =>
        `<li class="${a.kind}"><p class="meta"><strong>${e(a.heading)}</strong> by ${e(a.by)}, ${e(a.at)}</p>${a.body ? `<p>${e(a.body)}</p>` : ''}</li>`,
    )
    .join('');
  return `<h2 id="activity">Activity</h2><ul class="stream" aria-labelledby="activity">${items}</ul>`;
}

export function ticketBody(viewer: Viewer, row: Row, comments: Row[], files: Row[], failed?: Failed): string {
  const errorOf = (name: Failed['form']) => (failed?.form === name ? failed.error : undefined);
  const path = incidentPath(text(row, 'sys_id'));
  const active = yesNo(row.active) === 'Yes';
  const current = Number(text(row, 'state'));
  const conversation = active
    ? form(
        viewer,
        `${path}/comments`,
        field({ name: 'comments', label: 'Your comment', type: 'textarea', required: false }, errorOf('comments')),
        'Add the comment',
        errorOf('comments'),
      )
    : '';
  const upload = active
    ? form(
        viewer,
        `${path}/attachments`,
        field({ name: 'file', label: 'File to attach', type: 'file' }, errorOf('file')),
        'Attach the file',
        errorOf('file'),
        true,
      )
    : '';
  const attached = table(
    'Attachments',
    ['File', 'Type', 'Size in bytes'],
    files.map((f) => [e(text(f, 'file_name')), e(text(f, 'content_type')), e(text(f, 'size_bytes'))]),
    'No files attached yet.',
  );
  // A refusal is said beside its form; where that form is not on the page (a closed incident shows none, and
  // only a resolved one the reject form), it is said at the top: a refusal always says why.
  const rejectShown = active && offersResolution(current);
  const unplaced = !active || failed?.form === 'actions' || (failed?.form === 'reject' && !rejectShown) ? failed?.error : undefined;
  const left = `${errorSummary(unplaced)}${active ? actions(viewer, row, current, errorOf('reject')) : ''}<h2>Conversation</h2>${conversation}${stream(activity(row, comments, files))}`;
  // The attachments table's caption is its heading, as the Ticket Attachments widget's title is.
  const right = `<h2>Details</h2>${facts(row)}${active ? `<p>${link(viewer.sp.page('form', { table: 'incident', sys_id: text(row, 'sys_id') }), 'Change the details')}</p>` : ''}${attached}${upload}`;
  return `<div class="columns"><div>${left}</div><div>${right}</div></div><p>${link(viewer.sp.page('list', { table: 'incident' }), 'Back to the incidents')}</p>`;
}

function facts(row: Row): string {
  return details([
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
}

/** A resolved incident offers its confirmation and the reject form (with the reason). */
const offersResolution = (state: number) => state === IncidentState.Resolved;

/** What the person may do next from this state; the service still checks every move. */
function actions(viewer: Viewer, row: Row, current: number, rejectError?: FormError): string {
  const path = incidentPath(text(row, 'sys_id'));
  const out: string[] = [];
  if (current === IncidentState.New) out.push(actionButton(viewer, `${path}/cancel`, 'Cancel the incident'));
  if (offersResolution(current)) {
    const reason = field(
      { name: 'reject_reason', label: 'Why the resolution does not work', type: 'textarea', required: false },
      rejectError,
    );
    out.push(
      `<p>DCC has resolved this incident. Confirm the resolution to close it, or reject it and say why.</p>`,
      actionButton(viewer, `${path}/confirm`, 'Confirm the resolution'),
      `<div id="reject">${form(viewer, `${path}/reject`, reason, 'Reject the resolution', rejectError)}</div>`,
    );
  }
  return out.length ? `<h2>Actions</h2>${out.join('')}` : '';
}
