/** Login transactions and sessions, stored by the SHA-256 of their token so a database dump opens nothing. */
import { createHash } from 'node:crypto';
import type { Queryable } from './db';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface LoginTransactionRow {
  account_id: string;
  passed: string[];
  expires_at: Date;
  purpose: string;
  state: Record<string, unknown>;
}

export async function insertLoginTransaction(
  db: Queryable,
  token: string,
  t: Pick<LoginTransactionRow, 'account_id' | 'expires_at' | 'purpose' | 'state'>,
): Promise<void> {
  await db.query('INSERT INTO login_transaction (token_hash, account_id, expires_at, purpose, state) VALUES ($1, $2, $3, $4, $5)', [
    hashToken(token),
    t.account_id,
    t.expires_at,
    t.purpose,
    JSON.stringify(t.state),
  ]);
}

export async function findLoginTransaction(db: Queryable, token: string): Promise<LoginTransactionRow | undefined> {
  const rows = await db.query<LoginTransactionRow>(
    'SELECT account_id, passed, expires_at, purpose, state FROM login_transaction WHERE token_hash = $1',
    [hashToken(token)],
  );
  return rows[0];
}

export async function saveLoginState(db: Queryable, token: string, state: Record<string, unknown>): Promise<void> {
  await db.query('UPDATE login_transaction SET state = $2 WHERE token_hash = $1', [hashToken(token), JSON.stringify(state)]);
}

/** Every way back in for the account ends: its sessions and its OAuth refresh tokens. */
export async function deleteSessionsOf(db: Queryable, accountId: string): Promise<void> {
  await db.query('DELETE FROM oauth_refresh_token WHERE account_id = $1', [accountId]);
  await db.query('DELETE FROM session WHERE account_id = $1', [accountId]);
}

export async function markLoginStepPassed(db: Queryable, token: string, step: string): Promise<void> {
  await db.query('UPDATE login_transaction SET passed = array_append(passed, $2) WHERE token_hash = $1', [hashToken(token), step]);
}

/** One more replayed code refused in this login: how many now (undefined when the login is gone). */
export async function countLoginReplay(db: Queryable, token: string): Promise<number | undefined> {
  const rows = await db.query<{ replays: number }>(
    'UPDATE login_transaction SET replays = replays + 1 WHERE token_hash = $1 RETURNING replays',
    [hashToken(token)],
  );
  return rows[0]?.replays;
}

export async function deleteLoginTransaction(db: Queryable, token: string): Promise<void> {
  await db.query('DELETE FROM login_transaction WHERE token_hash = $1', [hashToken(token)]);
}

export interface SessionRow {
  account_id: string;
  kind: 'api' | 'portal';
  amr: string[];
  last_seen_at: Date;
  /** The DCC Identity issuer of a session opened through it; null for the platform's own login. */
  issuer: string | null;
  /** The OAuth grant an access token belongs to (ServiceNow's /oauth_token.do); absent otherwise. */
  grant_id?: string | null;
  /** The OAuth app an access token was issued to; absent otherwise. */
  client_id?: string | null;
}

export async function insertSession(db: Queryable, token: string, s: SessionRow): Promise<void> {
  await db.query(
    'INSERT INTO session (token_hash, account_id, kind, amr, created_at, last_seen_at, issuer, grant_id, client_id) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)',
    [hashToken(token), s.account_id, s.kind, s.amr, s.last_seen_at, s.issuer, s.grant_id ?? null, s.client_id ?? null],
  );
}

/** Ends a session and, for an OAuth access token, its whole grant: the refresh token and the grant's other sessions. */
export async function deleteSession(db: Queryable, token: string): Promise<void> {
  const [ended] = await db.query<{ grant_id: string | null }>('DELETE FROM session WHERE token_hash = $1 RETURNING grant_id', [
    hashToken(token),
  ]);
  if (!ended?.grant_id) return;
  await db.query('DELETE FROM oauth_refresh_token WHERE grant_id = $1', [ended.grant_id]);
  await db.query('DELETE FROM session WHERE grant_id = $1', [ended.grant_id]);
}

export type SessionWithAccount = SessionRow & {
  party_id: string;
  username: string;
  roles: string[];
  status: string;
  /** The party's access routes (IAM-05), for requests by the internet route. */
  gateway_connected: boolean;
  internet_registered: boolean;
  internet_cidrs: string[];
};

export interface SessionTouch {
  token: string;
  kind: SessionRow['kind'];
  now: Date;
  /** A session whose last request was before this is left as it was and returned so, for the caller to end. */
  activeSince: Date;
}

/**
 * What every authenticated request starts with: the session of this kind, its account and party (the
 * CTE `touched`), which also makes `now` the session's last request. Values are bound through `bind`,
 * so the CTEs can begin a larger statement (store/as-who.ts).
 *
 * A request that finds another of the same session recording its activity (the row locked until that
 * one commits) leaves the recording to it rather than queue behind it (SKIP LOCKED): an integration's
 * parallel calls on one token would otherwise run one at a time, each through the other's commit. The
 * session, its account and party are read as committed either way, so a logout, a deactivation or a
 * role change still takes effect at the next request. The time recorded is then the other request's,
 * earlier by at most the overlap (and none, should that one's statement fail): a session can only end
 * sooner for it, never later. One request at a time (as every test of idle time makes them) each
 * records its own. A session that reads as idle is read again with `wait` (queuing behind any other
 * request, as before) before it is ended: the other may be keeping it alive (readTouched).
 * A session already idle too long is not touched: it is returned as it was.
 */
export function touchSessionSql(touch: SessionTouch, bind: (value: unknown) => string, wait = false): string {
  const [hash, kind, now, since] = [hashToken(touch.token), touch.kind, touch.now, touch.activeSince].map(bind);
  // GREATEST: of two requests at once, the later one's time stays, whichever commits last.
  if (wait)
    // The row's latest version, once any other request holding it has committed (an UPDATE rereads it then).
    return `touched AS (
      UPDATE session s SET last_seen_at = CASE WHEN s.last_seen_at >= ${since} THEN GREATEST(s.last_seen_at, ${now}) ELSE s.last_seen_at END
      FROM account a JOIN party p ON p.id = a.party_id WHERE s.token_hash = ${hash} AND s.kind = ${kind} AND a.id = s.account_id
      RETURNING s.account_id, s.kind, s.amr, s.last_seen_at, s.issuer, a.party_id, a.username, a.roles, a.status,
        p.gateway_connected, p.internet_registered, p.internet_cidrs)`;
  return `session_found AS (
      SELECT s.account_id, s.kind, s.amr, s.last_seen_at, s.issuer, a.party_id, a.username, a.roles, a.status,
        p.gateway_connected, p.internet_registered, p.internet_cidrs
      FROM session s JOIN account a ON a.id = s.account_id JOIN party p ON p.id = a.party_id
      WHERE s.token_hash = ${hash} AND s.kind = ${kind}),
    session_touch AS (
      UPDATE session s SET last_seen_at = GREATEST(s.last_seen_at, ${now})
      WHERE s.token_hash = (SELECT l.token_hash FROM session l
        WHERE l.token_hash = ${hash} AND l.kind = ${kind} AND l.last_seen_at >= ${since} FOR NO KEY UPDATE SKIP LOCKED)
      RETURNING s.last_seen_at),
    touched AS (
      SELECT f.account_id, f.kind, f.amr, COALESCE((SELECT t.last_seen_at FROM session_touch t), f.last_seen_at) AS last_seen_at,
        f.issuer, f.party_id, f.username, f.roles, f.status, f.gateway_connected, f.internet_registered, f.internet_cidrs
      FROM session_found f)`;
}

/**
 * What `read` answers through a touch (touchSessionSql) that does not wait; when the session it read
 * (`sessionOf`) looks idle, what it answers through one that waits: another request holding the row
 * may be keeping the session alive, and it is not ended before that one has committed.
 */
export async function readTouched<T>(
  touch: SessionTouch,
  read: (wait: boolean) => Promise<T>,
  sessionOf: (answer: T) => Pick<SessionRow, 'last_seen_at'> | undefined,
): Promise<T> {
  const answer = await read(false);
  const session = sessionOf(answer);
  return session !== undefined && session.last_seen_at.getTime() < touch.activeSince.getTime() ? read(true) : answer;
}

/** The session of this kind with its account, touched (touchSessionSql) in one statement (readTouched). */
export function touchSessionWithAccount(db: Queryable, touch: SessionTouch): Promise<SessionWithAccount | undefined> {
  const read = async (wait: boolean) => {
    const params: unknown[] = [];
    const sql = `WITH ${touchSessionSql(touch, (value) => `$${params.push(value)}`, wait)} SELECT * FROM touched`;
    return (await db.query<SessionWithAccount>(sql, params, { prepare: true }))[0];
  };
  return readTouched(touch, read, (session) => session);
}
