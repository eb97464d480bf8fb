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

export async function deleteSessionsOf(db: Queryable, accountId: string): Promise<void> {
  await db.query('DELETE FROM session WHERE account_id = $1', [accountId]);
}

export async function markLoginStepPassed(db: Queryable, token: string, step: string): Promise<void> {
  await db.query('UPDATE login_transaction SET passed = array_append(passed, $2) WHERE token_hash = $1', [hashToken(token), step]);
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
}

export async function insertSession(db: Queryable, token: string, s: SessionRow): Promise<void> {
  await db.query(
    'INSERT INTO session (token_hash, account_id, kind, amr, created_at, last_seen_at, issuer) VALUES ($1, $2, $3, $4, $5, $5, $6)',
    [hashToken(token), s.account_id, s.kind, s.amr, s.last_seen_at, s.issuer],
  );
}


export async function touchSession(db: Queryable, token: string, at: Date): Promise<void> {
  await db.query('UPDATE session SET last_seen_at = $2 WHERE token_hash = $1', [hashToken(token), at]);
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.query('DELETE FROM session WHERE token_hash = $1', [hashToken(token)]);
}

/** The session and its account in one query: every authenticated request starts here. */
export async function findSessionWithAccount(
  db: Queryable,
  token: string,
): Promise<(SessionRow & { party_id: string; username: string; roles: string[]; status: string }) | undefined> {
  const rows = await db.query<SessionRow & { party_id: string; username: string; roles: string[]; status: string }>(
    `SELECT s.account_id, s.kind, s.amr, s.last_seen_at, s.issuer, a.party_id, a.username, a.roles, a.status
     FROM session s JOIN account a ON a.id = s.account_id WHERE s.token_hash = $1`,
    [hashToken(token)],
  );
  return rows[0];
}
