/** Journal entries (comments and work notes) and attachments of records. */
import type { Queryable } from './db';

export interface JournalEntry {
  sys_id: string;
  party_id: string;
  table_name: string;
  element_id: string;
  element: 'comments' | 'work_notes';
  value: string;
  sys_created_by: string;
  sys_created_on: Date;
}

export async function insertJournalEntry(db: Queryable, e: JournalEntry): Promise<void> {
  await db.query(
    `INSERT INTO journal_entry (sys_id, party_id, table_name, element_id, element, value, sys_created_by, sys_created_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [e.sys_id, e.party_id, e.table_name, e.element_id, e.element, e.value, e.sys_created_by, e.sys_created_on],
  );
}

export interface AttachmentRow {
  sys_id: string;
  party_id: string;
  table_name: string;
  table_sys_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  hash: string;
  sys_created_by: string;
  sys_created_on: Date;
}

export async function insertAttachment(db: Queryable, a: AttachmentRow, content: Uint8Array): Promise<void> {
  await db.query(
    `INSERT INTO attachment (sys_id, party_id, table_name, table_sys_id, file_name, content_type, size_bytes, hash, content, sys_created_by, sys_created_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      a.sys_id,
      a.party_id,
      a.table_name,
      a.table_sys_id,
      a.file_name,
      a.content_type,
      a.size_bytes,
      a.hash,
      content,
      a.sys_created_by,
      a.sys_created_on,
    ],
  );
}

const ATTACHMENT_COLUMNS =
  'sys_id, party_id, table_name, table_sys_id, file_name, content_type, size_bytes, hash, sys_created_by, sys_created_on';

export async function listAttachments(db: Queryable, partyId: string, tableSysId?: string): Promise<AttachmentRow[]> {
  return db.query<AttachmentRow>(
    `SELECT ${ATTACHMENT_COLUMNS} FROM attachment WHERE party_id = $1 AND ($2::text IS NULL OR table_sys_id = $2) ORDER BY sys_created_on, sys_id`,
    [partyId, tableSysId ?? null],
  );
}

export async function findAttachment(
  db: Queryable,
  partyId: string,
  sysId: string,
): Promise<(AttachmentRow & { content: Uint8Array }) | undefined> {
  const rows = await db.query<AttachmentRow & { content: Uint8Array }>(
    `SELECT ${ATTACHMENT_COLUMNS}, content FROM attachment WHERE party_id = $1 AND sys_id = $2`,
    [partyId, sysId],
  );
  return rows[0];
}

/** A record's attachments with their bytes, newest first, for a workflow to read. */
export async function attachmentsWithContent(
  db: Queryable,
  partyId: string,
  tableSysId: string,
): Promise<(AttachmentRow & { content: Uint8Array })[]> {
  return db.query(
    `SELECT ${ATTACHMENT_COLUMNS}, content FROM attachment WHERE party_id = $1 AND table_sys_id = $2 ORDER BY sys_created_on DESC, sys_id DESC`,
    [partyId, tableSysId],
  );
}
