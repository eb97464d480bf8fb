/** Incidents in the portal: raise, list and filter, open, change, comment, attach, confirm or reject a resolution. */
import type { SampleFile } from '../../../fixtures/files';
import type { IncidentRequest } from '../../../fixtures/incidents';
import { IncidentState, stateOfLabel } from '../incidents/states';
import type { IncidentChange, IncidentFilter, IncidentPage, IncidentSummary, Outcome } from '../abilities/use-fsm';
import type { PageResult, Portal } from './portal';

const LIST_CAPTION = "Your organisation's incidents, newest first";

/** "2 - Medium" is 2. */
const leading = (text: string): number => Number.parseInt(text, 10);

export class IncidentsInPortal {
  constructor(private readonly portal: Portal) {}

  async raiseIncident(request: IncidentRequest): Promise<Outcome<IncidentSummary>> {
    const { portal } = this;
    const opened = await portal.open('/portal/incidents/new');
    if (opened.status >= 400) return refusal(opened);
    await portal.fill({ 'Short description': request.short_description, Description: request.description });
    await portal.choose('Category', request.category);
    await portal.choose('Impact', request.impact);
    await portal.choose('Urgency', request.urgency);
    return portal.outcome(await portal.press('Raise the incident'), () => this.summary());
  }

  async listIncidents(filter: IncidentFilter): Promise<IncidentPage> {
    const { portal } = this;
    portal.expectOk(await portal.open('/portal/incidents'), 'Opening the incidents');
    if (filter.activeOnly) await portal.check('Active incidents only');
    await portal.choose('Priority', filter.maxPriority ? String(filter.maxPriority) : '');
    portal.expectOk(await portal.press('Show incidents'), 'Filtering the incidents');
    const count = await portal.page.getByRole('main').getByText(/^\d+ incidents?$/).innerText();
    const rows = (await portal.tableRows(LIST_CAPTION)).slice(0, filter.limit ?? 100);
    const incidents: IncidentSummary[] = [];
    for (const row of rows) {
      const number = row.Number ?? '';
      const href = (await portal.page.getByRole('table', { name: LIST_CAPTION }).getByRole('link', { name: number, exact: true }).getAttribute('href')) ?? '';
      incidents.push(toSummary(href, (label) => row[label] ?? ''));
    }
    return { total: leading(count), incidents };
  }

  async openIncident(sysId: string): Promise<Outcome<IncidentSummary>> {
    return this.portal.outcome(await this.portal.open(path(sysId)), () => this.summary());
  }

  /** Does the change as the person would: the form or the button for it, on the incident's pages. */
  async changeIncident(sysId: string, change: IncidentChange): Promise<Outcome<IncidentSummary>> {
    const { portal } = this;
    const { state, comments, ...fields } = change;
    if (state === IncidentState.InProgress && comments !== undefined && Object.keys(fields).length === 0) return this.rejectResolution(sysId, comments);
    if (state === undefined && comments !== undefined && Object.keys(fields).length === 0) return this.onIncidentPage(sysId, async () => {
      await portal.fill({ Comment: comments });
      return portal.press('Add the comment');
    });
    if (state === IncidentState.Closed && comments === undefined) return this.onIncidentPage(sysId, () => portal.press('Confirm the resolution'));
    if (state === IncidentState.Canceled && comments === undefined) return this.onIncidentPage(sysId, () => portal.press('Cancel the incident'));
    if (state === undefined && comments === undefined) return this.editFields(sysId, fields);
    throw new Error(`[fsm-harness] The portal has no single form for the change ${JSON.stringify(change)}: split it into a field change, a comment, or a state change.`);
  }

  async attachToIncident(sysId: string, file: SampleFile): Promise<Outcome<{ fileName: string; bytes: number }>> {
    const { portal } = this;
    return this.onIncidentPage(sysId, async () => {
      await portal.page.getByLabel('File to attach', { exact: true }).setInputFiles({ name: file.name, mimeType: file.type, buffer: Buffer.from(file.bytes) });
      return portal.press('Attach the file');
    }, async () => {
      const row = (await portal.tableRows('Attachments')).findLast((r) => r.File === file.name);
      if (!row) throw await portal.notOnPage(`attachment "${file.name}" after it was attached`);
      return { fileName: row.File ?? '', bytes: Number(row['Size in bytes']) };
    });
  }

  async incidentDetails(sysId: string): Promise<{ comments: string[]; attachments: string[] }> {
    const { portal } = this;
    portal.expectOk(await portal.open(path(sysId)), 'Opening the incident');
    const comments = await portal.tableRows('Comments, oldest first');
    const files = await portal.tableRows('Attachments');
    return { comments: comments.map((c) => c.Comment ?? ''), attachments: files.map((f) => f.File ?? '') };
  }

  private async rejectResolution(sysId: string, reason: string): Promise<Outcome<IncidentSummary>> {
    const { portal } = this;
    const opened = await portal.open(`${path(sysId)}/reject`);
    if (opened.status >= 400) return refusal(opened);
    await portal.fill({ 'Why the resolution does not work': reason });
    return portal.outcome(await portal.press('Reject the resolution'), () => this.summary());
  }

  private async editFields(sysId: string, fields: Omit<IncidentChange, 'state' | 'comments'>): Promise<Outcome<IncidentSummary>> {
    const { portal } = this;
    const opened = await portal.open(`${path(sysId)}/edit`);
    if (opened.status >= 400) return refusal(opened);
    if (fields.short_description !== undefined) await portal.fill({ 'Short description': fields.short_description });
    if (fields.impact !== undefined) await portal.choose('Impact', fields.impact);
    if (fields.urgency !== undefined) await portal.choose('Urgency', fields.urgency);
    return portal.outcome(await portal.press('Save the changes'), () => this.summary());
  }

  /** Opens the incident, does `act` there, and reads the page it lands on. */
  private async onIncidentPage<T = IncidentSummary>(sysId: string, act: () => Promise<PageResult>, read?: () => Promise<T>): Promise<Outcome<T>> {
    const opened = await this.portal.open(path(sysId));
    if (opened.status >= 400) return refusal(opened);
    return this.portal.outcome(await act(), read ?? ((() => this.summary()) as unknown as () => Promise<T>));
  }

  /** The incident on the page now: its fields as the page defines them, its sys_id from the address. */
  private async summary(): Promise<IncidentSummary> {
    const { portal } = this;
    const values: Record<string, string> = {};
    for (const label of ['Number', 'Short description', 'Impact', 'Urgency', 'Priority', 'State', 'Active', 'Raised by', 'Raised on', 'Target resolution time']) values[label] = await portal.definition(label);
    return toSummary(portal.page.url(), (label) => values[label] ?? '');
  }
}

function path(sysId: string): string {
  return `/portal/incidents/${encodeURIComponent(sysId)}`;
}

/** A summary from an incident's address and its labelled values (a details list or a table row). */
function toSummary(address: string, value: (label: string) => string): IncidentSummary {
  return {
    sysId: decodeURIComponent(new URL(address, 'http://portal').pathname.split('/')[3] ?? ''),
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

function refusal(result: PageResult): Outcome<never> {
  return { ok: false, status: result.status, message: result.message };
}
