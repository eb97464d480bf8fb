/** Service requests and their items (REQ / RITM), and the thresholds a fulfilled ADT submission sets. */
import type { Queryable } from './db';

export type RequestItemState = 'submitted' | 'validating' | 'in_progress' | 'fulfilled' | 'rejected' | 'closed';

export interface RequestItemRow {
  sys_id: string;
  number: string;
  request_id: string;
  party_id: string;
  cat_item: string;
  short_description: string;
  variables: Record<string, string>;
  state: RequestItemState;
  rejection_reason: string | null;
  row_problems: { row: number; reason: string }[];
  incident_id: string | null;
  sys_created_on: Date;
  sys_created_by: string;
  sys_updated_on: Date;
  sys_updated_by: string;
}

export async function nextNumber(db: Queryable, sequence: 'request_number' | 'request_item_number'): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT nextval('${sequence}')::int AS n`);
  if (!row) throw new Error(`${sequence} returned nothing`);
  return row.n;
}

export async function insertRequest(
  db: Queryable,
  r: { sys_id: string; number: string; party_id: string; requested_for: string; at: Date; by: string },
): Promise<void> {
  await db.query(
    'INSERT INTO sc_request (sys_id, number, party_id, requested_for, sys_created_on, sys_created_by) VALUES ($1, $2, $3, $4, $5, $6)',
    [r.sys_id, r.number, r.party_id, r.requested_for, r.at, r.by],
  );
}

export async function insertRequestItem(db: Queryable, i: RequestItemRow): Promise<void> {
  await db.query(
    `INSERT INTO sc_req_item (sys_id, number, request_id, party_id, cat_item, short_description, variables, state, rejection_reason, row_problems,
       incident_id, sys_created_on, sys_created_by, sys_updated_on, sys_updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      i.sys_id,
      i.number,
      i.request_id,
      i.party_id,
      i.cat_item,
      i.short_description,
      JSON.stringify(i.variables),
      i.state,
      i.rejection_reason,
      JSON.stringify(i.row_problems),
      i.incident_id,
      i.sys_created_on,
      i.sys_created_by,
      i.sys_updated_on,
      i.sys_updated_by,
    ],
  );
}

/** A party's item (or any party's, for DCC, when `partyId` is null), locked for update when asked. */
export async function findRequestItem(
  db: Queryable,
  partyId: string | null,
  sysId: string,
  forUpdate = false,
): Promise<RequestItemRow | undefined> {
  const rows = await db.query<RequestItemRow>(
    `SELECT * FROM sc_req_item WHERE sys_id = $2 AND ($1::text IS NULL OR party_id = $1)${forUpdate ? ' FOR UPDATE' : ''}`,
    [partyId, sysId],
  );
  return rows[0];
}

/** One party's items, newest first. */
export async function listRequestItems(db: Queryable, partyId: string): Promise<RequestItemRow[]> {
  return db.query<RequestItemRow>('SELECT * FROM sc_req_item WHERE party_id = $1 ORDER BY sys_created_on DESC, number DESC', [partyId]);
}

export async function updateRequestItem(
  db: Queryable,
  i: Pick<RequestItemRow, 'sys_id' | 'state' | 'rejection_reason' | 'row_problems' | 'sys_updated_on' | 'sys_updated_by'>,
): Promise<void> {
  await db.query(
    'UPDATE sc_req_item SET state = $2, rejection_reason = $3, row_problems = $4, sys_updated_on = $5, sys_updated_by = $6 WHERE sys_id = $1',
    [i.sys_id, i.state, i.rejection_reason, JSON.stringify(i.row_problems), i.sys_updated_on, i.sys_updated_by],
  );
}

/** Moves an item to `state` only from `from` (one moved meanwhile is left as it is); true when it moved. */
export async function moveRequestItem(
  db: Queryable,
  sysId: string,
  move: { from: RequestItemState; state: RequestItemState; rejection_reason: string | null; at: Date; by: string },
): Promise<boolean> {
  const rows = await db.query(
    'UPDATE sc_req_item SET state = $2, rejection_reason = $3, sys_updated_on = $4, sys_updated_by = $5 WHERE sys_id = $1 AND state = $6 RETURNING sys_id',
    [sysId, move.state, move.rejection_reason, move.at, move.by, move.from],
  );
  return rows.length > 0;
}

export async function upsertThreshold(
  db: Queryable,
  t: { party_id: string; user_id: string; threshold_type: string; value: number; request_item_id: string; at: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO party_threshold (party_id, user_id, threshold_type, value, request_item_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (party_id, user_id, threshold_type) DO UPDATE SET value = excluded.value, request_item_id = excluded.request_item_id, updated_at = excluded.updated_at`,
    [t.party_id, t.user_id, t.threshold_type, t.value, t.request_item_id, t.at],
  );
}

export async function thresholdsOf(db: Queryable, partyId: string): Promise<{ user_id: string; threshold_type: string; value: number }[]> {
  return db.query('SELECT user_id, threshold_type, value FROM party_threshold WHERE party_id = $1 ORDER BY user_id, threshold_type', [
    partyId,
  ]);
}

export async function setSigningKey(db: Queryable, partyId: string, pem: string | null): Promise<void> {
  await db.query('UPDATE party SET signing_key = $2 WHERE id = $1', [partyId, pem]);
}

export async function signingKeyOf(db: Queryable, partyId: string): Promise<string | null> {
  const [row] = await db.query<{ signing_key: string | null }>('SELECT signing_key FROM party WHERE id = $1', [partyId]);
  return row?.signing_key ?? null;
}
