/**
 * SSI notifications (SM-07): every event a User must know of is recorded in the platform, which
 * counts as notified; an email copy goes through the gateway unless the User turned copies off.
 * A failed email copy is logged as a security-neutral event and never undoes the change.
 */
import { z } from 'zod';
import { NotFound } from '../domain/errors';
import { newSysId } from '../domain/ids';
import { findAccount } from '../store/accounts';
import type { Queryable } from '../store/db';
import type { Caller, Core } from './context';
import { parseInput } from './validate';

/** The one rule for the preference, from JSON (true) or a form ("true"); anything else says what to send. */
const Preferences = z
  .object({
    email_copies: z.preprocess(
      (v) => (v === 'true' ? true : v === 'false' ? false : v),
      z.boolean({ message: 'Choose whether to send email copies (true or false)' }),
    ),
  })
  .strict();

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

/** A person's SSI inbox and their choice of email copies: every User may read their own. */
export class NotificationService {
  constructor(private readonly core: Core) {}

  /** The caller's notifications, newest first. */
  list(caller: Caller, unreadOnly = false): Promise<NotificationRow[]> {
    this.core.roles.require(caller.roles, 'notifications.read');
    return this.core.db.query<NotificationRow>(
      `SELECT sys_id, subject, body, record_table, record_sys_id, read_at, created_at FROM notification
       WHERE account_id = $1 AND ($2::boolean = false OR read_at IS NULL) ORDER BY created_at DESC, sys_id DESC LIMIT 200`,
      [caller.accountId, unreadOnly],
    );
  }

  async markRead(caller: Caller, sysId: string): Promise<void> {
    this.core.roles.require(caller.roles, 'notifications.read');
    const rows = await this.core.db.query(
      'UPDATE notification SET read_at = coalesce(read_at, $3) WHERE account_id = $1 AND sys_id = $2 RETURNING sys_id',
      [caller.accountId, sysId, this.core.clock.now()],
    );
    if (rows.length !== 1) throw new NotFound('Notification');
  }

  /** Turns email copies on or off; `body` is `{ email_copies }` as the API or the portal's form sends it. */
  async setPreferences(caller: Caller, body: unknown): Promise<{ email_copies: boolean }> {
    this.core.roles.require(caller.roles, 'notifications.read');
    const { email_copies } = parseInput(Preferences, body);
    await this.core.db.query('UPDATE account SET email_notifications = $2 WHERE id = $1', [caller.accountId, email_copies]);
    return { email_copies };
  }
}
