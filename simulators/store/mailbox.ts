/** The simulator's own mailbox: what the email gateway delivered, readable through the control API. */
import type { Queryable } from './db';

export interface StoredMail {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  receivedAt: Date;
}

export async function storeMail(db: Queryable, mail: StoredMail): Promise<void> {
  await db.query('INSERT INTO mail_message (id, to_address, from_address, subject, body, received_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    mail.id,
    mail.to.toLowerCase(),
    mail.from,
    mail.subject,
    mail.text,
    mail.receivedAt,
  ]);
}

export async function listMail(db: Queryable, to: string, limit: number): Promise<StoredMail[]> {
  return db.query<StoredMail>(
    `SELECT id, to_address AS "to", from_address AS "from", subject, body AS "text", received_at AS "receivedAt"
     FROM mail_message WHERE to_address = $1 ORDER BY received_at DESC, seq DESC LIMIT $2`,
    [to.toLowerCase(), limit],
  );
}
