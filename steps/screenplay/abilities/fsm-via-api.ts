/**
 * UseFsm over the platform's REST API: the login API and the ServiceNow Table API. Actions give an
 * Outcome, for a step to judge a refusal; reads throw on any answer but the expected one (resultOf),
 * so that what a step "sees" is never an error taken for an empty answer.
 */
import { FsmApiClient, type SnRecord } from '../../../clients/fsm-api';
import { platformSaid, ProductError, resultOf, type ApiResponse } from '../../../clients/http';
import type { IncidentRequest } from '../../../fixtures/incidents';
import { OmsViaApi } from './oms-via-api';
import { signInWithOidc, type OidcClientRegistration } from '../../../clients/oidc-sign-in';
import type { SampleFile } from '../../../fixtures/files';
import type { Identity, IdentitySignIn, IncidentChange, IncidentFilter, RequestOutcome, SignedFile, UserChange, UserView, IncidentPage, IncidentSummary, Outcome, PromptAnswerer, UseFsm } from './use-fsm';

/** Registers the harness as an OpenID Connect client of a tenant (needs the simulator's control API). */
export type ClientRegistrar = (tenant: string, redirectUri: string) => Promise<OidcClientRegistration>;

/** Where the identity provider sends the browser back: never fetched, the agent stops there. */
const REDIRECT_URI = 'http://127.0.0.1:9/fsm-harness/callback';

export class FsmViaApi implements UseFsm {
  private readonly api: FsmApiClient;
  readonly oms: OmsViaApi;

  constructor(
    baseUrl: string,
    private readonly registerClient: ClientRegistrar,
    headers: Record<string, string> = {},
  ) {
    this.api = new FsmApiClient(baseUrl, headers);
    this.oms = new OmsViaApi(this.api);
  }

  async resetForgottenPassword(username: string, readCode: () => Promise<string>, newPassword: string): Promise<Outcome<void>> {
    const asked = await this.api.forgotPassword(username);
    if (asked.status !== 202) return refusal(asked);
    const reset = await this.api.resetPassword(username, await readCode(), newPassword);
    return reset.status === 200 ? { ok: true, value: undefined } : refusal(reset);
  }

  async logInThroughIdentity(tenant: string, username: string, password: string, answer: PromptAnswerer): Promise<Outcome<IdentitySignIn>> {
    const outcome = await signInWithOidc(await this.registerClient(tenant, REDIRECT_URI), username, password, answer);
    if (!outcome.ok) return outcome;
    this.api.useToken(outcome.value.accessToken);
    return { ok: true, value: { prompts: outcome.value.prompts, idClaims: outcome.value.idClaims } };
  }

  async logIn(username: string, password: string, answer: PromptAnswerer): Promise<Outcome<{ prompts: string[] }>> {
    const { response, prompts } = await this.api.answerPrompts(await this.api.startLogin(username, password), answer);
    return response.status === 200 ? { ok: true, value: { prompts } } : refusal(response);
  }

  async changeMfaMethod(answer: PromptAnswerer): Promise<Outcome<{ prompts: string[] }>> {
    const { response, prompts } = await this.api.answerPrompts(await this.api.changeMfa(), answer);
    return response.status === 200 ? { ok: true, value: { prompts } } : refusal(response);
  }

  async raiseIncident(request: IncidentRequest): Promise<Outcome<IncidentSummary>> {
    return summaryOf(await this.api.create('incident', { ...request }), 201);
  }

  async listIncidents(filter: IncidentFilter): Promise<IncidentPage> {
    const terms = [filter.activeOnly ? 'active=true' : '', filter.maxPriority ? `priority<=${filter.maxPriority}` : '', 'ORDERBYDESCnumber'];
    const response = await this.api.list('incident', { sysparm_query: terms.filter(Boolean).join('^'), sysparm_limit: filter.limit ?? 100 });
    const incidents = resultOf<SnRecord[]>(response, 200, 'Listing incidents');
    const total = response.headers.get('x-total-count');
    if (total === null || !/^\d+$/.test(total)) throw new ProductError(`Listing incidents: ${response.request?.url ?? 'the Table API'} gave no X-Total-Count header (got ${total}), so the total is unknown`, response);
    return { total: Number(total), incidents: incidents.map(toSummary) };
  }

  async openIncident(sysId: string): Promise<Outcome<IncidentSummary>> {
    return summaryOf(await this.api.get('incident', sysId), 200);
  }

  async changeIncident(sysId: string, change: IncidentChange): Promise<Outcome<IncidentSummary>> {
    return summaryOf(await this.api.update('incident', sysId, { ...change }), 200);
  }

  async attachToIncident(sysId: string, file: SampleFile): Promise<Outcome<{ fileName: string; bytes: number }>> {
    const response = await this.api.attach(sysId, file.name, file.type, file.bytes);
    return response.status === 201 ? { ok: true, value: { fileName: String(response.body.result.file_name), bytes: Number(response.body.result.size_bytes) } } : refusal(response);
  }

  async incidentDetails(sysId: string): Promise<{ comments: string[]; attachments: string[] }> {
    const journal = resultOf<SnRecord[]>(await this.api.list('sys_journal_field', { sysparm_query: `element_id=${sysId}^ORDERBYsys_created_on` }), 200, "Reading the incident's comments");
    const files = resultOf<SnRecord[]>(await this.api.list('sys_attachment', { sysparm_query: `table_sys_id=${sysId}` }), 200, "Reading the incident's attachments");
    return { comments: journal.map((j) => String(j.value)), attachments: files.map((f) => String(f.file_name)) };
  }

  async createUser(user: { email: string; name: string; roles: string[]; region?: string }): Promise<Outcome<{ sysId: string }>> {
    const response = await this.api.create('sys_user', { user_name: user.email, name: user.name, roles: user.roles, ...(user.region ? { region: user.region } : {}) });
    return response.status === 201 ? { ok: true, value: { sysId: String(response.body.result.sys_id) } } : refusal(response);
  }

  async changeUser(sysId: string, change: UserChange): Promise<Outcome<void>> {
    const response = await this.api.update('sys_user', sysId, { ...change });
    return response.status === 200 ? { ok: true, value: undefined } : refusal(response);
  }

  async submitSignedFile(itemName: string, file: SignedFile, variables: Record<string, string> = {}): Promise<Outcome<RequestOutcome>> {
    const items = await this.api.request<{ result: { sys_id: string; name: string }[] }>('GET', '/api/sn_sc/servicecatalog/items');
    if (items.status !== 200) return refusal(items);
    const item = items.body.result.find((i) => i.name === itemName);
    if (!item) throw new ProductError(`The catalogue has no item "${itemName}"`, items);
    const ordered = await this.api.orderNow(item.sys_id, variables);
    if (ordered.status !== 200) return refusal(ordered);
    const ritm = ordered.body.result.items[0]?.sys_id;
    if (!ritm) throw new ProductError(`Ordering "${itemName}" answered HTTP 200 with no request item to attach the file to`, ordered);
    const encode = (text: string) => new TextEncoder().encode(text);
    for (const [name, type, content] of [[file.name, 'text/csv', file.csv], [`${file.name}.sig`, 'text/plain', file.signature]] as const) {
      const attached = await this.api.attach(ritm, name, type, encode(content), 'sc_req_item');
      if (attached.status !== 201) return refusal(attached);
    }
    const submitted = await this.api.submitRequestItem(ritm);
    if (submitted.status !== 200) return refusal(submitted);
    const r = submitted.body.result;
    return { ok: true, value: { number: r.number, state: r.state, rejectionReason: r.rejection_reason, rowProblems: r.row_problems } };
  }

  async notifications(): Promise<{ subject: string; body: string }[]> {
    const notifications = resultOf<{ subject: string; body: string }[]>(await this.api.notifications(), 200, 'Reading notifications');
    return notifications.map(({ subject, body }) => ({ subject, body }));
  }

  async setEmailCopies(enabled: boolean): Promise<Outcome<void>> {
    const response = await this.api.setEmailCopies(enabled);
    return response.status === 200 ? { ok: true, value: undefined } : refusal(response);
  }

  async whoAmI(): Promise<Outcome<Identity>> {
    const response = await this.api.me();
    if (response.status !== 200) return refusal(response);
    const me = response.body.result;
    return { ok: true, value: { username: me.user_name, partyName: me.company.name, roles: me.roles, mfaMethod: me.mfa_method, amr: me.amr } };
  }

  async users(): Promise<UserView[]> {
    const users = resultOf<SnRecord[]>(await this.api.list('sys_user', { sysparm_query: 'ORDERBYuser_name' }), 200, 'Listing users');
    return users.map((u) => ({
      sysId: String(u.sys_id),
      username: String(u.user_name),
      name: String(u.name),
      active: u.active === 'true',
      roles: String(u.roles ?? '').split(',').filter(Boolean),
      migrationReview: String(u.migration_review ?? ''),
    }));
  }

  async searchKnowledge(words: string): Promise<string[]> {
    const query = `short_descriptionLIKE${words}^ORtextLIKE${words}`;
    const articles = resultOf<SnRecord[]>(await this.api.list('kb_knowledge', { sysparm_query: query }), 200, 'Searching knowledge');
    return articles.map((a) => String(a.short_description));
  }

  async orderItem(itemName: string, variables: Record<string, string>): Promise<Outcome<{ sysId: string; number: string }>> {
    const items = await this.api.request<{ result: { sys_id: string; name: string }[] }>('GET', '/api/sn_sc/servicecatalog/items');
    const item = items.body.result?.find((i) => i.name === itemName);
    if (!item) return items.status === 200 ? { ok: false, status: 404, message: `No catalogue item "${itemName}"` } : refusal(items);
    const ordered = await this.api.orderNow(item.sys_id, variables);
    const first = ordered.body.result?.items[0];
    return ordered.status === 200 && first ? { ok: true, value: { sysId: first.sys_id, number: first.number } } : refusal(ordered);
  }

  async nominatedContacts(): Promise<{ role: string; name: string; email: string }[]> {
    const contacts = resultOf<{ role: string; name: string; email: string }[]>(await this.api.request('GET', '/api/x_dcc/contacts'), 200, 'Reading nominated contacts');
    return contacts.map(({ role, name, email }) => ({ role, name, email }));
  }
}

function summaryOf(response: ApiResponse<{ result: SnRecord }>, expected: number): Outcome<IncidentSummary> {
  return response.status === expected ? { ok: true, value: toSummary(response.body.result) } : refusal(response);
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

function refusal(response: ApiResponse): { ok: false; status: number; message: string } {
  return { ok: false, status: response.status, message: platformSaid(response) };
}
