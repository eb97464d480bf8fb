/** Registered OAuth apps (client id, hashed secret, one party each) and refresh tokens, stored hashed. */
import type { Queryable } from './db';
import { hashToken } from './sessions';

export interface OAuthApp {
  client_id: string;
  party_id: string;
  name: string;
  secret_hash: string;
  user_id: string | null;
}

export interface RefreshToken {
  grant_id: string;
  client_id: string;
  account_id: string;
  expires_at: Date;
}

export async function insertOAuthApp(db: Queryable, app: OAuthApp, at: Date): Promise<void> {
  await db.query('INSERT INTO oauth_app (client_id, party_id, name, secret_hash, user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    app.client_id,
    app.party_id,
    app.name,
    app.secret_hash,
    app.user_id,
    at,
  ]);
}

export async function findOAuthApp(db: Queryable, clientId: string): Promise<OAuthApp | undefined> {
  const rows = await db.query<OAuthApp>('SELECT client_id, party_id, name, secret_hash, user_id FROM oauth_app WHERE client_id = $1', [
    clientId,
  ]);
  return rows[0];
}

export async function insertRefreshToken(db: Queryable, token: string, r: RefreshToken): Promise<void> {
  await db.query('INSERT INTO oauth_refresh_token (token_hash, grant_id, client_id, account_id, expires_at) VALUES ($1, $2, $3, $4, $5)', [
    hashToken(token),
    r.grant_id,
    r.client_id,
    r.account_id,
    r.expires_at,
  ]);
}

export async function findRefreshToken(db: Queryable, token: string): Promise<RefreshToken | undefined> {
  const rows = await db.query<RefreshToken>(
    'SELECT grant_id, client_id, account_id, expires_at FROM oauth_refresh_token WHERE token_hash = $1',
    [hashToken(token)],
  );
  return rows[0];
}

/** An OAuth token as issued: an access token (a session of a grant) or a refresh token, with its grant and app. */
export interface HeldOAuthToken {
  kind: 'access' | 'refresh';
  grant_id: string;
  client_id: string;
}

export async function findOAuthToken(db: Queryable, token: string): Promise<HeldOAuthToken | undefined> {
  const rows = await db.query<HeldOAuthToken>(
    `SELECT 'refresh' AS kind, grant_id, client_id FROM oauth_refresh_token WHERE token_hash = $1
     UNION ALL SELECT 'access', grant_id, client_id FROM session WHERE token_hash = $1 AND grant_id IS NOT NULL AND client_id IS NOT NULL`,
    [hashToken(token)],
  );
  return rows[0];
}

/** Expires an OAuth token: an access token alone; a refresh token with its grant's access tokens (RFC 7009 section 2.1). */
export async function revokeOAuthToken(db: Queryable, token: string, held: HeldOAuthToken): Promise<void> {
  if (held.kind === 'access') {
    await db.query('DELETE FROM session WHERE token_hash = $1', [hashToken(token)]);
    return;
  }
  await db.query('DELETE FROM oauth_refresh_token WHERE token_hash = $1', [hashToken(token)]);
  await db.query('DELETE FROM session WHERE grant_id = $1', [held.grant_id]);
}

/** An integration (web-service) account is flagged; its password is set by whoever sets up the integration. */
export async function setWebServiceAccess(db: Queryable, accountId: string, on: boolean, at: Date): Promise<void> {
  await db.query('UPDATE account SET web_service_access_only = $2, updated_at = $3 WHERE id = $1', [accountId, on, at]);
}

export async function setIntegrationPassword(db: Queryable, accountId: string, hash: string, at: Date): Promise<void> {
  await db.query(
    'UPDATE account SET password_hash = $2, password_expires_at = NULL, password_must_change = false, updated_at = $3 WHERE id = $1',
    [accountId, hash, at],
  );
}
