/**
 * Incidents in the portal: raise (`?id=form&table=incident&sys_id=-1`), list and filter
 * (`?id=list&table=incident`), open the ticket page (`?id=ticket&table=incident&sys_id=`) and there
 * comment, attach, cancel, confirm or reject a resolution; change the details (`?id=form&...`).
 */
import { harnessMessage } from '../../../clients/messages';
import type { InPortal } from '../modes';
import type { Outcome } from '../outcome';
import { escapeRegExp, refused, type PageResult, type Portal } from '../pages/portal';
import { IncidentState, stateOfLabel } from './states';
import type { IncidentChange, IncidentSummary } from './tasks';
import type { incidentsViaApi } from './via-api';

const LIST_CAPTION = "Your organisation's incidents, newest first";

/** "2 - Medium" is 2. */
const leading = (text: string): number => Number.parseInt(text, 10);

export const incidentsInPortal: InPortal<typeof incidentsViaApi> = {
  async raise(portal, request) {
    const opened = await portal.open(portal.sp('form', { table: 'incident', sys_id: '-1' }));
    if (opened.status >= 400) return refused(opened);
    await portal.fill({ 'Short description': request.short_description, Description: request.description });
    await portal.choose('Category', request.category);
    await portal.choose('Impact', request.impact);
    await portal.choose('Urgency', request.urgency);
    return portal.outcome(await portal.press('Raise the incident'), () => summary(portal));
  },

  async list(portal, filter) {
    portal.expectOk(await portal.open(portal.sp('list', { table: 'incident' })), 'Opening the incidents');
    if (filter.activeOnly) await portal.check('Active incidents only');
    await portal.choose('Priority', filter.maxPriority ? String(filter.maxPriority) : '');
    portal.expectOk(await portal.press('Show incidents'), 'Filtering the incidents');
    const count = await portal.page
      .getByRole('main')
      .getByText(/^\d+ incidents?$/)
      .innerText();
    const rows = (await portal.tableRows(LIST_CAPTION)).slice(0, filter.limit ?? 100);
    const incidents: IncidentSummary[] = [];
    for (const row of rows) {
      const number = row.Number ?? '';
      const href =
        (await portal.page
          .getByRole('table', { name: portal.label(LIST_CAPTION) })
          .getByRole('link', { name: number, exact: true })
          .getAttribute('href')) ?? '';
      incidents.push(toSummary(href, (label) => row[label] ?? ''));
    }
    return { total: leading(count), incidents };
  },

  async open(portal, sysId) {
    return portal.outcome(await portal.open(path(portal, sysId)), () => summary(portal));
  },

  /** Does the change as the person would: the form or the button for it, on the incident's pages. */
  async change(portal, sysId, change) {
    const { state, comments, ...fields } = change;
    const onlyFields = Object.keys(fields).length === 0;
    if (state === IncidentState.InProgress && comments !== undefined && onlyFields) return rejectResolution(portal, sysId, comments);
    if (state === undefined && comments !== undefined && onlyFields)
      return onIncidentPage(portal, sysId, async () => {
        await portal.fill({ 'Your comment': comments });
        return portal.press('Add the comment');
      });
    if (state === IncidentState.Closed && comments === undefined)
      return onIncidentPage(portal, sysId, () => portal.press('Confirm the resolution'));
    if (state === IncidentState.Canceled && comments === undefined)
      return onIncidentPage(portal, sysId, () => portal.press('Cancel the incident'));
    if (state === undefined && comments === undefined) return editFields(portal, sysId, fields);
    throw new Error(
      harnessMessage(
        `The portal has no single form for the change ${JSON.stringify(change)}: split it into a field change, a comment, or a state change.`,
      ),
    );
  },

  async attach(portal, sysId, file) {
    return onIncidentPage(
      portal,
      sysId,
      async () => {
        await portal.page
          .getByLabel(portal.label('File to attach'), { exact: true })
          .setInputFiles({ name: file.name, mimeType: file.type, buffer: Buffer.from(file.bytes) });
        return portal.press('Attach the file');
      },
      async () => {
        const row = (await portal.tableRows('Attachments')).findLast((r) => r.File === file.name);
        if (!row) throw await portal.notOnPage(`attachment "${file.name}" after it was attached`);
        return { fileName: row.File ?? '', bytes: Number(row['Size in bytes']) };
      },
    );
  },

  async details(portal, sysId) {
    portal.expectOk(await portal.open(path(portal, sysId)), 'Opening the incident');
    const comments = await activityOf(portal, 'Comment');
    const files = await portal.tableRows('Attachments');
    return { comments, attachments: files.map((f) => f.File ?? '') };
  },
};

async function rejectResolution(portal: Portal, sysId: string, reason: string): Promise<Outcome<IncidentSummary>> {
  return onIncidentPage(portal, sysId, async () => {
    if ((await portal.page.getByLabel(portal.label('Why the resolution does not work'), { exact: true }).count()) === 0)
      throw await portal.notOnPage('form to reject the resolution (is the incident resolved?)');
    await portal.fill({ 'Why the resolution does not work': reason });
    return portal.press('Reject the resolution');
  });
}

/**
 * The activity stream's entries of one kind ("Comment"), oldest first: each entry is a list item
 * whose first paragraph says what and who ("Comment by ..."), and whose second holds the text.
 */
async function activityOf(portal: Portal, kind: string): Promise<string[]> {
  const stream = portal.page.getByRole('list', { name: portal.label('Activity'), exact: true });
  if ((await stream.count()) === 0) throw await portal.notOnPage('activity stream');
  const entries = await stream
    .getByRole('listitem')
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(portal.label(kind))} by `) })
    .all();
  const texts: string[] = [];
  for (const entry of entries) texts.push((await entry.getByRole('paragraph').nth(1).innerText()).trim());
  return texts.reverse();
}

async function editFields(
  portal: Portal,
  sysId: string,
  fields: Omit<IncidentChange, 'state' | 'comments'>,
): Promise<Outcome<IncidentSummary>> {
  const opened = await portal.open(portal.sp('form', { table: 'incident', sys_id: sysId }));
  if (opened.status >= 400) return refused(opened);
  if (fields.short_description !== undefined) await portal.fill({ 'Short description': fields.short_description });
  if (fields.impact !== undefined) await portal.choose('Impact', fields.impact);
  if (fields.urgency !== undefined) await portal.choose('Urgency', fields.urgency);
  return portal.outcome(await portal.press('Save the changes'), () => summary(portal));
}

/** Opens the incident, does `act` there, and reads the page it lands on (the incident, unless `read` says otherwise). */
async function onIncidentPage<T = IncidentSummary>(
  portal: Portal,
  sysId: string,
  act: () => Promise<PageResult>,
  read?: () => Promise<T>,
): Promise<Outcome<T>> {
  const opened = await portal.open(path(portal, sysId));
  if (opened.status >= 400) return refused(opened);
  return portal.outcome(await act(), read ?? ((() => summary(portal)) as unknown as () => Promise<T>));
}

/** The incident on the page now: its fields as the page defines them, its sys_id from the address. */
async function summary(portal: Portal): Promise<IncidentSummary> {
  const values = new Map<string, string>();
  for (const label of [
    'Number',
    'Short description',
    'Impact',
    'Urgency',
    'Priority',
    'State',
    'Active',
    'Raised by',
    'Raised on',
    'Target resolution time',
  ])
    values.set(label, await portal.definition(label));
  return toSummary(portal.page.url(), (label) => values.get(label) ?? '');
}

function path(portal: Portal, sysId: string): string {
  return portal.sp('ticket', { table: 'incident', sys_id: sysId });
}

/** A summary from an incident's address and its labelled values (a details list or a table row). */
function toSummary(address: string, value: (label: string) => string): IncidentSummary {
  return {
    sysId: new URL(address, 'http://portal').searchParams.get('sys_id') ?? '',
    number: value('Number'),
    shortDescription: value('Short description'),
    impact: leading(value('Impact')),
    urgency: leading(value('Urgency')),
    priority: leading(value('Priority')),
    state: stateOfLabel(value('State')) ?? Number.NaN,
    active: value('Active') === 'Yes',
    raisedBy: value('Raised by'),
    raisedAt: isoOf(value('Raised on')),
    targetResolutionAt: isoOf(value('Target resolution time')),
  };
}

/** The portal's `YYYY-MM-DD HH:mm UTC` as ISO 8601 (to the minute, as shown); anything else as shown, for a check to reject. */
function isoOf(shown: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC$/.exec(shown);
  return match ? new Date(`${match[1]}T${match[2]}:00Z`).toISOString() : shown;
}
