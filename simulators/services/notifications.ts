/**
 * SSI notifications (SM-07): every event a User must know of is recorded in the platform, which
 * counts as notified; an email copy goes through the gateway unless the User turned copies off.
 * A failed email copy is logged as a security-neutral event and never undoes the change.
 */
import { newSysId } from '../domain/ids';
import { findAccount } from '../store/accounts';
import type { Queryable } from '../store/db';
import type { Core } from './context';

export interface NotificationInput {
  accountId: string;
  subject: string;
  body: string;
  record?: { table: string; sysId: string };
}

export interface NotificationRow {
  sys_id: string;
  subject: string;
  body: string;
  record_table: string | null;
  record_sys_id: string | null;
  read_at: Date | null;
  created_at: Date;
}

/** Records the notification in `tx`; the email copy is sent by `deliver` once the change has committed. */
export async function recordNotification(core: Core, tx: Queryable, n: NotificationInput): Promise<() => Promise<void>> {
  const account = await findAccount(tx, n.accountId);
  if (!account) return async () => undefined;
  await tx.query(
    `INSERT INTO notification (sys_id, party_id, account_id, subject, body, record_table, record_sys_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [newSysId(), account.party_id, account.id, n.subject, n.body, n.record?.table ?? null, n.record?.sysId ?? null, core.clock.now()],
  );
  if (!account.email_notifications) return async () => undefined;
  return async () => {
    await core.mail.send({ to: account.username, subject: n.subject, text: n.body }).catch(async (error: Error) => {
      await core.audit({ accountId: account.id, kind: 'email_copy_failed', detail: error.message });
    });
  };
}

export async function listNotifications(db: Queryable, accountId: string, unreadOnly: boolean): Promise<NotificationRow[]> {
  return db.query<NotificationRow>(
    `SELECT sys_id, subject, body, record_table, record_sys_id, read_at, created_at FROM notification
     WHERE account_id = $1 AND ($2::boolean = false OR read_at IS NULL) ORDER BY created_at DESC, sys_id DESC LIMIT 200`,
    [accountId, unreadOnly],
  );
}

export async function markNotificationRead(db: Queryable, accountId: string, sysId: string, at: Date): Promise<boolean> {
  const rows = await db.query('UPDATE notification SET read_at = coalesce(read_at, $3) WHERE account_id = $1 AND sys_id = $2 RETURNING sys_id', [accountId, sysId, at]);
  return rows.length === 1;
}

export async function setEmailCopies(db: Queryable, accountId: string, enabled: boolean): Promise<void> {
  await db.query('UPDATE account SET email_notifications = $2 WHERE id = $1', [accountId, enabled]);
}
