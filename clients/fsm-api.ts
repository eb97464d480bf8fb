/**
 * A typed client of the FSM platform's REST API, as a User's integration would call it: the login
 * endpoints and the ServiceNow Table API. Works against the simulator and a real UIT environment.
 */
import { DCC_API_PATHS, type DccApiPaths } from './dcc-apis';
import { send, type ApiResponse, type RequestOptions } from './http';
import { harnessMessage } from './messages';

export interface LoginPrompt {
  name: string;
  title: string;
  message: string;
  fields: { name: string; label: string; type: string; choices?: { value: string; label: string }[] }[];
  actions?: { name: string; label: string }[];
  data?: Record<string, string>;
  error?: string;
}

export type LoginStep =
  | { status: 'prompt'; login_token: string; prompt: LoginPrompt }
  | { status: 'authenticated'; access_token: string; token_type: 'Bearer'; expires_in: number }
  | { status: 'done' };

/** A record as the Table API returns it: strings, and references as { link, value }. */
export type SnRecord = Record<string, string | { link: string; value: string } | undefined>;

export interface ListQuery {
  sysparm_query?: string;
  sysparm_limit?: number;
  sysparm_offset?: number;
  sysparm_fields?: string;
  sysparm_display_value?: string;
}

export class FsmApiClient {
  private token: string | undefined;

  /** `headers` go with every request: X-Forwarded-For to stand in for a source address on the internet route. */
  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
    /** Where DCC's own (unpublished) APIs are: the harness's assumption, or the target file's. */
    readonly paths: Readonly<DccApiPaths> = DCC_API_PATHS,
  ) {}

  get signedIn(): boolean {
    return this.token !== undefined;
  }

  get accessToken(): string | undefined {
    return this.token;
  }

  useToken(token: string | undefined): void {
    this.token = token;
  }

  request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers = { ...this.headers, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...options.headers };
    return send<T>(method, `${this.baseUrl}${path}`, { ...options, headers });
  }

  startLogin(username: string, password: string) {
    return this.request<{ result: LoginStep }>('POST', `${this.paths.login}/login`, { json: { username, password } });
  }

  continueLogin(loginToken: string, answers: Record<string, string>) {
    return this.request<{ result: LoginStep }>('POST', `${this.paths.login}/login/continue`, {
      json: { login_token: loginToken, ...answers },
    });
  }

  /**
   * Answers each prompt until the login (or MFA change) completes or is refused. The last response
   * is returned as it came, for the caller to judge; on success the client keeps the access token.
   */
  async answerPrompts(
    first: ApiResponse<{ result: LoginStep }>,
    answer: (prompt: LoginPrompt) => Promise<Record<string, string>>,
    maxPrompts = 8,
  ): Promise<{ response: ApiResponse<{ result: LoginStep }>; prompts: string[] }> {
    let response = first;
    const prompts: string[] = [];
    while (response.status === 200 && response.body.result.status === 'prompt') {
      const { prompt, login_token } = response.body.result;
      if (prompts.length === maxPrompts)
        throw new Error(harnessMessage(`The login asked more than ${maxPrompts} prompts: ${prompts.join(', ')}`));
      prompts.push(prompt.name);
      response = await this.continueLogin(login_token, await answer(prompt));
    }
    if (response.status === 200 && response.body.result.status === 'authenticated') this.useToken(response.body.result.access_token);
    return { response, prompts };
  }

  changeMfa() {
    return this.request<{ result: LoginStep }>('POST', `${this.paths.login}/mfa/change`);
  }

  forgotPassword(username: string) {
    return this.request('POST', `${this.paths.login}/password/forgot`, { json: { username } });
  }

  resetPassword(username: string, code: string, newPassword: string) {
    return this.request('POST', `${this.paths.login}/password/reset`, { json: { username, code, new_password: newPassword } });
  }

  me() {
    return this.request<{
      result: {
        user_name: string;
        roles: string[];
        company: { value: string; name: string };
        mfa_method: string | null;
        amr: string[];
        sys_id: string;
      };
    }>('GET', `${this.paths.login}/me`);
  }

  logout() {
    return this.request('POST', `${this.paths.login}/logout`);
  }

  attach(tableSysId: string, fileName: string, contentType: string, content: Uint8Array, tableName = 'incident') {
    const query = new URLSearchParams({ table_name: tableName, table_sys_id: tableSysId, file_name: fileName });
    return this.request<{ result: SnRecord & { download_link?: string } }>('POST', `/api/now/attachment/file?${query}`, {
      raw: content,
      headers: { 'content-type': contentType },
    });
  }

  orderNow(catalogItemSysId: string, variables: Record<string, string> = {}) {
    return this.request<{ result: { sys_id: string; number: string; items: { sys_id: string; number: string; state: string }[] } }>(
      'POST',
      `/api/sn_sc/servicecatalog/items/${encodeURIComponent(catalogItemSysId)}/order_now`,
      { json: { sysparm_quantity: '1', variables } },
    );
  }

  submitRequestItem(itemSysId: string) {
    return this.request<{
      result: { sys_id: string; number: string; state: string; rejection_reason: string; row_problems: { row: number; reason: string }[] };
    }>('POST', `${this.paths.requests}/${encodeURIComponent(itemSysId)}/submit`, { json: {} });
  }

  /** The OMS API: `path` under its base (clients/dcc-apis.ts), e.g. POST /orders. */
  oms<T = Record<string, unknown>>(method: string, path: string, json?: unknown) {
    return this.request<{ result: T }>(method, `${this.paths.oms}${path}`, json === undefined ? {} : { json });
  }

  notifications(unreadOnly = false) {
    return this.request<{
      result: { sys_id: string; subject: string; body: string; read: boolean; record: { table: string; sys_id: string } | null }[];
    }>('GET', `${this.paths.notifications}${unreadOnly ? '?unread=true' : ''}`);
  }

  setEmailCopies(enabled: boolean) {
    return this.request('PUT', `${this.paths.notifications}/preferences`, { json: { email_copies: enabled } });
  }

  /** The party's contacts (a DCC API). */
  contacts() {
    return this.request('GET', this.paths.contacts);
  }

  /** Marks a notification read (a DCC API). */
  markNotificationRead(sysId: string) {
    return this.request('POST', `${this.paths.notifications}/${encodeURIComponent(sysId)}/read`);
  }

  list(table: string, query: ListQuery = {}) {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    return this.request<{ result: SnRecord[] }>('GET', `/api/now/table/${table}${params.size ? `?${params}` : ''}`);
  }

  get(table: string, sysId: string, query: Pick<ListQuery, 'sysparm_fields'> = {}) {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    return this.request<{ result: SnRecord }>(
      'GET',
      `/api/now/table/${table}/${encodeURIComponent(sysId)}${params.size ? `?${params}` : ''}`,
    );
  }

  create(table: string, fields: Record<string, unknown>) {
    return this.request<{ result: SnRecord }>('POST', `/api/now/table/${table}`, { json: fields });
  }

  update(table: string, sysId: string, fields: Record<string, unknown>) {
    return this.request<{ result: SnRecord }>('PATCH', `/api/now/table/${table}/${encodeURIComponent(sysId)}`, { json: fields });
  }
}
