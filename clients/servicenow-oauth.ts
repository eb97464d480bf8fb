/**
 * ServiceNow's OAuth token endpoint as any integration calls it: POST /oauth_token.do, form-encoded,
 * with the party's OAuth app (client id and secret) and an integration account; refreshed with the
 * refresh token. Works against the simulator and a real instance alike.
 */
import { tokensOf, type TokenOutcome, type TokenWay } from './bearer';
import { platformSaid, send, type ApiResponse } from './http';

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
}

export interface OAuthTokens {
  access_token: string;
  refresh_token?: string;
  scope: string;
  token_type: string;
  expires_in: number;
}

function tokenRequest(baseUrl: string, form: Record<string, string>): Promise<ApiResponse<OAuthTokens>> {
  return send<OAuthTokens>('POST', `${baseUrl}/oauth_token.do`, {
    raw: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

export function passwordGrant(baseUrl: string, app: OAuthApp, username: string, password: string) {
  return tokenRequest(baseUrl, { grant_type: 'password', client_id: app.clientId, client_secret: app.clientSecret, username, password });
}

export function refreshGrant(baseUrl: string, app: OAuthApp, refreshToken: string) {
  return tokenRequest(baseUrl, {
    grant_type: 'refresh_token',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    refresh_token: refreshToken,
  });
}

/** OAuth at /oauth_token.do as an API ability's way to its bearer (clients/bearer.ts). */
export function oauthWay(baseUrl: string, app: OAuthApp): TokenWay {
  const outcome = (response: ApiResponse<OAuthTokens>): TokenOutcome =>
    response.status === 200
      ? { ok: true, value: tokensOf(response.body) }
      : { ok: false, status: response.status, message: platformSaid(response) };
  return {
    name: `OAuth at ${baseUrl}/oauth_token.do`,
    signIn: async ({ username, password }) => outcome(await passwordGrant(baseUrl, app, username, password)),
    refresh: async (refreshToken) => outcome(await refreshGrant(baseUrl, app, refreshToken)),
  };
}

/** ServiceNow's token revocation (/oauth_revoke_token.do): an access or refresh token, with the app's credentials when given. */
export function revokeToken(baseUrl: string, token: string, app?: OAuthApp) {
  const form = { token, ...(app ? { client_id: app.clientId, client_secret: app.clientSecret } : {}) };
  return send('POST', `${baseUrl}/oauth_revoke_token.do`, {
    raw: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}
