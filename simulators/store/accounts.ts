/** Account rows: the platform's users, each in exactly one party. */
import type { Queryable } from './db';

export interface Account {
  id: string;
  party_id: string;
  username: string;
  display_name: string;
  password_hash: string;
  password_expires_at: Date | null;
  password_must_change: boolean;
  status: 'active' | 'inactive';
  identity_path: 'entra' | 'local';
  roles: string[];
  failed_logins: number;
  locked_until: Date | null;
  email_notifications: boolean;
  migrated: boolean;
  created_at: Date;
  updated_at: Date;
  mfa_method: 'totp' | 'email' | 'sms' | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  phone: string | null;
  legacy_id: string | null;
  migration_review: 'pending' | 'reinstated' | 'declined' | null;
  region: string | null;
  chargeable: boolean;
  /** An integration account: Basic auth and OAuth's password grant, never an interactive sign-in. */
  web_service_access_only: boolean;
}

/** A new account has no MFA yet: it enrols at first login (IAM-02). */
export type NewAccount = Omit<
  Account,
  | 'mfa_method'
  | 'totp_secret'
  | 'totp_last_step'
  | 'phone'
  | 'legacy_id'
  | 'migration_review'
  | 'region'
  | 'chargeable'
  | 'web_service_access_only'
>;

/** What every new account starts with: active, no failures, email copies on, not migrated. */
export function freshAccount(now: Date) {
  return {
    status: 'active' as const,
    failed_logins: 0,
    locked_until: null,
    email_notifications: true,
    migrated: false,
    created_at: now,
    updated_at: now,
  };
}

export async function insertAccount(db: Queryable, a: NewAccount): Promise<void> {
  await db.query(
    `INSERT INTO account (id, party_id, username, display_name, password_hash, password_expires_at, password_must_change,
       status, identity_path, roles, failed_logins, locked_until, email_notifications, migrated, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      a.id,
      a.party_id,
      a.username,
      a.display_name,
      a.password_hash,
      a.password_expires_at,
      a.password_must_change,
      a.status,
      a.identity_path,
      a.roles,
      a.failed_logins,
      a.locked_until,
      a.email_notifications,
      a.migrated,
      a.created_at,
      a.updated_at,
    ],
  );
}

export async function findAccountByUsername(db: Queryable, username: string): Promise<Account | undefined> {
  const rows = await db.query<Account>('SELECT * FROM account WHERE username = $1', [username.trim().toLowerCase()]);
  return rows[0];
}

export async function findAccount(db: Queryable, id: string): Promise<Account | undefined> {
  const rows = await db.query<Account>('SELECT * FROM account WHERE id = $1', [id]);
  return rows[0];
}

/**
 * Counts a failed sign-in; true when this failure reached the limit and locked the account. No
 * account (null) runs the same statement, matching nothing, so that the time says nothing.
 */
export async function recordLoginFailure(db: Queryable, id: string | null, maxFailures: number, lockedUntil: Date): Promise<boolean> {
  // One statement, so concurrent failures cannot lose a count; the count is 0 again only when it locked.
  const rows = await db.query<{ locked: boolean }>(
    `UPDATE account SET
       failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
       locked_until  = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END
     WHERE id = $1 RETURNING failed_logins = 0 AS locked`,
    [id, maxFailures, lockedUntil],
  );
  return rows[0]?.locked === true;
}

export async function recordLoginSuccess(db: Queryable, id: string): Promise<void> {
  await db.query(
    'UPDATE account SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)',
    [id],
  );
}

/** Sets an active account's password; answers false, changing nothing, when the account is no longer active. */
export async function setPassword(db: Queryable, id: string, hash: string, at: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE account SET password_hash = $2, password_must_change = false, password_expires_at = NULL, updated_at = $3
     WHERE id = $1 AND status = 'active' RETURNING id`,
    [id, hash, at],
  );
  return rows.length === 1;
}

/** The party's longest-standing active account holding `role`. */
export async function firstActiveAccountWithRole(db: Queryable, partyId: string, role: string): Promise<Account | undefined> {
  const rows = await db.query<Account>(
    `SELECT * FROM account WHERE party_id = $1 AND status = 'active' AND $2 = ANY(roles) ORDER BY created_at LIMIT 1`,
    [partyId, role],
  );
  return rows[0];
}

/** Counts the party's active accounts other than `except` that hold any of `roles`, in `region` when one is given. */
export async function countOtherActiveAccounts(
  db: Queryable,
  q: { partyId: string; except: string; roles: readonly string[]; region?: string },
): Promise<number> {
  const [{ n } = { n: 0 }] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM account
     WHERE party_id = $1 AND id <> $2 AND status = 'active' AND roles && $3::text[] AND ($4::text IS NULL OR region = $4)`,
    [q.partyId, q.except, q.roles, q.region ?? null],
  );
  return n;
}

/** Locks the party's accounts until the transaction ends, so that changes to its administrators are made one at a time. */
export async function lockPartyAccounts(db: Queryable, partyId: string): Promise<void> {
  await db.query('SELECT id FROM account WHERE party_id = $1 FOR UPDATE', [partyId]);
}

export async function setRegion(db: Queryable, id: string, region: string | null, chargeable: boolean): Promise<void> {
  await db.query('UPDATE account SET region = $2, chargeable = $3 WHERE id = $1', [id, region, chargeable]);
}

/** What a party's administrator changes on an account. */
export async function updateAdministered(
  db: Queryable,
  id: string,
  a: Pick<Account, 'display_name' | 'roles' | 'status' | 'migration_review'>,
  at: Date,
): Promise<void> {
  await db.query('UPDATE account SET display_name = $2, roles = $3, status = $4, migration_review = $5, updated_at = $6 WHERE id = $1', [
    id,
    a.display_name,
    a.roles,
    a.status,
    a.migration_review,
    at,
  ]);
}

/** A password the person must change at their next sign-in, before it expires. */
export async function setOneTimePassword(db: Queryable, id: string, hash: string, expiresAt: Date): Promise<void> {
  await db.query('UPDATE account SET password_hash = $2, password_expires_at = $3, password_must_change = true WHERE id = $1', [
    id,
    hash,
    expiresAt,
  ]);
}
