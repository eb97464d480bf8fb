/** Incidents over the Table API (incident, sys_journal_field, sys_attachment). */
import type { SnRecord } from '../../../clients/fsm-api';
import { ProductError, resultOf, type ApiResponse } from '../../../clients/http';
import type { SampleFile } from '../../../fixtures/files';
import type { IncidentRequest } from '../../../fixtures/incidents';
import type { CallTheApi } from '../abilities/call-the-api';
import { outcomeOf, type Outcome } from '../outcome';
import type { IncidentChange, IncidentDetails, IncidentFilter, IncidentPage, IncidentSummary } from './tasks';

export const incidentsViaApi = {
  async raise(api: CallTheApi, request: IncidentRequest): Promise<Outcome<IncidentSummary>> {
    return summaryOf(await api.create('incident', { ...request }), 201);
  },

  async list(api: CallTheApi, filter: IncidentFilter): Promise<IncidentPage> {
    const terms = [
      filter.activeOnly ? 'active=true' : '',
      filter.maxPriority ? `priority<=${filter.maxPriority}` : '',
      'ORDERBYDESCnumber',
    ];
    const response = await api.list('incident', { sysparm_query: terms.filter(Boolean).join('^'), sysparm_limit: filter.limit ?? 100 });
    const incidents = resultOf<SnRecord[]>(response, 200, 'Listing incidents');
    const total = response.headers.get('x-total-count');
    if (total === null || !/^\d+$/.test(total))
      throw new ProductError(
        `Listing incidents: ${response.request?.url ?? 'the Table API'} gave no X-Total-Count header (got ${total}), so the total is unknown`,
        response,
      );
    return { total: Number(total), incidents: incidents.map(toSummary) };
  },

  async open(api: CallTheApi, sysId: string): Promise<Outcome<IncidentSummary>> {
    return summaryOf(await api.get('incident', sysId), 200);
  },

  async change(api: CallTheApi, sysId: string, change: IncidentChange): Promise<Outcome<IncidentSummary>> {
    return summaryOf(await api.update('incident', sysId, { ...change }), 200);
  },

  async attach(api: CallTheApi, sysId: string, file: SampleFile): Promise<Outcome<{ fileName: string; bytes: number }>> {
    const response = await api.attach(sysId, file.name, file.type, file.bytes);
    return outcomeOf(response, 201, ({ result }) => ({ fileName: String(result.file_name), bytes: Number(result.size_bytes) }));
  },

  async details(api: CallTheApi, sysId: string): Promise<IncidentDetails> {
    const journal = resultOf<SnRecord[]>(
      await api.list('sys_journal_field', { sysparm_query: `element_id=${sysId}^ORDERBYsys_created_on` }),
      200,
      "Reading the incident's comments",
    );
    const files = resultOf<SnRecord[]>(
      await api.list('sys_attachment', { sysparm_query: `table_sys_id=${sysId}` }),
      200,
      "Reading the incident's attachments",
    );
    return { comments: journal.map((j) => String(j.value)), attachments: files.map((f) => String(f.file_name)) };
  },
};

function summaryOf(response: ApiResponse<{ result: SnRecord }>, expected: number): Outcome<IncidentSummary> {
  return outcomeOf(response, expected, ({ result }) => toSummary(result));
}

function toSummary(record: SnRecord): IncidentSummary {
  const text = (name: string) => String(record[name] ?? '');
  return {
    sysId: text('sys_id'),
    number: text('number'),
    shortDescription: text('short_description'),
    impact: Number(text('impact')),
    urgency: Number(text('urgency')),
    priority: Number(text('priority')),
    state: Number(text('state')),
    active: text('active') === 'true',
    raisedBy: text('sys_created_by'),
    raisedAt: isoOf(text('sys_created_on')),
    targetResolutionAt: isoOf(text('target_resolution_at')),
  };
}

/** ServiceNow's `YYYY-MM-DD HH:mm:ss` (UTC) as ISO 8601; anything else ('' included) as sent, for a check to reject. */
function isoOf(snDateTime: string): string {
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(snDateTime) ? new Date(`${snDateTime.replace(' ', 'T')}Z`).toISOString() : snDateTime;
}
