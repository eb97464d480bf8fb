/**
 * Deleting an incident as ServiceNow does when its delete ACL allows it: its attachments go with it
 * (cascade), a request item that named it no longer does (a reference's "Clear" cascade rule), its
 * journal entries stay, and each record removed is kept as it was in deleted_record (ServiceNow's
 * Deleted Records, sys_audit_delete): an attachment without its bytes.
 */
import { newSysId } from '../domain/ids';
import type { Queryable } from './db';

export async function deleteIncidentRecord(db: Queryable, partyId: string, sysId: string, by: string, at: Date): Promise<void> {
  const kept = await db.query<{ table_name: string; document_key: string; payload: unknown }>(
    `SELECT 'incident' AS table_name, i.sys_id AS document_key, to_jsonb(i) AS payload FROM incident i WHERE i.party_id = $1 AND i.sys_id = $2
     UNION ALL SELECT 'sys_attachment', a.sys_id, to_jsonb(a) - 'content' FROM attachment a WHERE a.table_name = 'incident' AND a.table_sys_id = $2 AND a.party_id = $1`,
    [partyId, sysId],
  );
  for (const row of kept)
    await db.query(
      'INSERT INTO deleted_record (sys_id, party_id, table_name, document_key, payload, sys_created_by, sys_created_on) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [newSysId(), partyId, row.table_name, row.document_key, JSON.stringify(row.payload), by, at],
    );
  await db.query(`DELETE FROM attachment WHERE table_name = 'incident' AND table_sys_id = $1 AND party_id = $2`, [sysId, partyId]);
  await db.query('UPDATE sc_req_item SET incident_id = NULL WHERE incident_id = $1', [sysId]);
  await db.query('DELETE FROM incident WHERE sys_id = $1 AND party_id = $2', [sysId, partyId]);
}

/** What deletions kept of a record (the control API and tests read it). */
export async function findDeletedRecords(
  db: Queryable,
  documentKey: string,
): Promise<{ table_name: string; payload: Record<string, unknown> }[]> {
  return db.query('SELECT table_name, payload FROM deleted_record WHERE document_key = $1 ORDER BY table_name', [documentKey]);
}
