/** MFA records: each account's method and TOTP secret, one-time codes (stored hashed) and security events. */
import type { Queryable } from './db';

export type MfaMethod = 'totp' | 'email' | 'sms';

export async function enrolTotp(db: Queryable, accountId: string, secret: string, step: number, at: Date): Promise<void> {
  await db.query(`UPDATE account SET mfa_method = 'totp', totp_secret = $2, totp_last_step = $3, updated_at = $4 WHERE id = $1`, [
    accountId,
    secret,
    step,
    at,
  ]);
}

export async function enrolCodeMethod(db: Queryable, accountId: string, method: 'email' | 'sms', at: Date): Promise<void> {
  await db.query(`UPDATE account SET mfa_method = $2, totp_secret = NULL, totp_last_step = NULL, updated_at = $3 WHERE id = $1`, [
    accountId,
    method,
    at,
  ]);
}

export async function clearMfa(db: Queryable, accountId: string, at: Date): Promise<void> {
  await db.query(`UPDATE account SET mfa_method = NULL, totp_secret = NULL, totp_last_step = NULL, updated_at = $2 WHERE id = $1`, [
    accountId,
    at,
  ]);
}

/** Accepts a TOTP time step only if it is later than the last accepted one: one statement, so two requests cannot both win. */
export async function acceptTotpStep(db: Queryable, accountId: string, step: number): Promise<boolean> {
  const rows = await db.query(
    `UPDATE account SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
    [accountId, step],
  );
  return rows.length === 1;
}

export interface CodeRow {
  account_id: string;
  code_hash: string;
  expires_at: Date;
  /** When it was accepted: a used code is kept until it expires or is replaced, so that a replay shows. */
  used_at: Date | null;
}

/** Saves the account's one live code for a purpose, replacing any earlier one. */
export async function saveCode(
  db: Queryable,
  accountId: string,
  purpose: string,
  codeHash: string,
  expiresAt: Date,
  at: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO one_time_code (account_id, purpose, code_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (account_id, purpose) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, created_at = excluded.created_at, used_at = NULL`,
    [accountId, purpose, codeHash, expiresAt, at],
  );
}

/** The account's code for the purpose; no account (null) runs the same query and finds none. */
export async function findCode(db: Queryable, accountId: string | null, purpose: string): Promise<CodeRow | undefined> {
  const rows = await db.query<CodeRow>(
    'SELECT account_id, code_hash, expires_at, used_at FROM one_time_code WHERE account_id = $1 AND purpose = $2',
    [accountId, purpose],
  );
  return rows[0];
}

/** Marks the code used if it is still the one given and unused: true for exactly one of two racing requests. */
export async function consumeCode(db: Queryable, accountId: string, purpose: string, codeHash: string, at: Date): Promise<boolean> {
  const rows = await db.query(
    'UPDATE one_time_code SET used_at = $4 WHERE account_id = $1 AND purpose = $2 AND code_hash = $3 AND used_at IS NULL RETURNING account_id',
    [accountId, purpose, codeHash, at],
  );
  return rows.length === 1;
}

export async function recordSecurityEvent(db: Queryable, accountId: string | null, kind: string, detail: string, at: Date): Promise<void> {
  await db.query('INSERT INTO security_event (account_id, kind, detail, at) VALUES ($1, $2, $3, $4)', [accountId, kind, detail, at]);
}

export async function securityEvents(db: Queryable, accountId: string): Promise<{ kind: string; detail: string; at: Date }[]> {
  return db.query('SELECT kind, detail, at FROM security_event WHERE account_id = $1 ORDER BY id', [accountId]);
}
