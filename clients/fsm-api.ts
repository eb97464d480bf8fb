/**
 * A typed client of the FSM platform's REST API, as a User's integration would call it: the login
 * endpoints and the ServiceNow Table API. Works against the simulator and a real UIT environment.
 */
import { send, type ApiResponse, type RequestOptions } from './http';

export interface LoginPrompt {
  name: string;
  title: string;
  message: string;
  fields: { name: string; label: string; type: string }[];
}

export type LoginStep =
  | { status: 'prompt'; login_token: string; prompt: LoginPrompt }
  | { status: 'authenticated'; access_token: string; token_type: 'Bearer'; expires_in: number };

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

  constructor(readonly baseUrl: string) {}

  get signedIn(): boolean {
    return this.token !== undefined;
  }

  useToken(token: string | undefined): void {
    this.token = token;
  }

  request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers = { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...options.headers };
    return send<T>(method, `${this.baseUrl}${path}`, { ...options, headers });
  }

  startLogin(username: string, password: string) {
    return this.request<{ result: LoginStep }>('POST', '/api/x_dcc/auth/login', { json: { username, password } });
  }

  continueLogin(loginToken: string, answers: Record<string, string>) {
    return this.request<{ result: LoginStep }>('POST', '/api/x_dcc/auth/login/continue', { json: { login_token: loginToken, ...answers } });
  }

  me() {
    return this.request<{ result: { user_name: string; roles: string[]; company: { value: string; name: string } } }>('GET', '/api/x_dcc/auth/me');
  }

  logout() {
    return this.request('POST', '/api/x_dcc/auth/logout');
  }

  list(table: string, query: ListQuery = {}) {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    return this.request<{ result: SnRecord[] }>('GET', `/api/now/table/${table}${params.size ? `?${params}` : ''}`);
  }

  get(table: string, sysId: string, query: Pick<ListQuery, 'sysparm_fields'> = {}) {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    return this.request<{ result: SnRecord }>('GET', `/api/now/table/${table}/${encodeURIComponent(sysId)}${params.size ? `?${params}` : ''}`);
  }

  create(table: string, fields: Record<string, unknown>) {
    return this.request<{ result: SnRecord }>('POST', `/api/now/table/${table}`, { json: fields });
  }

  update(table: string, sysId: string, fields: Record<string, unknown>) {
    return this.request<{ result: SnRecord }>('PATCH', `/api/now/table/${table}/${encodeURIComponent(sysId)}`, { json: fields });
  }
}
