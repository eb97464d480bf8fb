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
}

/** A new account has no MFA yet: it enrols at first login (IAM-02). */
export type NewAccount = Omit<
  Account,
  'mfa_method' | 'totp_secret' | 'totp_last_step' | 'phone' | 'legacy_id' | 'migration_review' | 'region' | 'chargeable'
>;

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

export async function setPassword(db: Queryable, id: string, hash: string, at: Date): Promise<void> {
  await db.query(
    'UPDATE account SET password_hash = $2, password_must_change = false, password_expires_at = NULL, updated_at = $3 WHERE id = $1',
    [id, hash, at],
  );
}
