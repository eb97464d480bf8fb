/** A party's Communications Hubs (the `device` table): stock, status, and the transfer holding each. */
import type { HubStatus } from '../domain/hubs';
import type { Queryable } from './db';

export async function stockOf(db: Queryable, partyId: string): Promise<{ variant: string; status: HubStatus; count: number }[]> {
  return db.query(
    'SELECT variant, status, count(*)::int AS count FROM device WHERE party_id = $1 GROUP BY variant, status ORDER BY variant, status',
    [partyId],
  );
}

/** Adds hubs to a party; true when the hub was new to the platform (one known already is left as it was). */
export async function addHub(
  db: Queryable,
  hub: { device_id: string; party_id: string; variant: string; status: HubStatus },
  at: Date,
): Promise<boolean> {
  const added = await db.query(
    'INSERT INTO device (device_id, party_id, variant, status, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (device_id) DO NOTHING RETURNING device_id',
    [hub.device_id, hub.party_id, hub.variant, hub.status, at],
  );
  return added.length > 0;
}

/** One of the party's hubs, locked for update when asked. */
export async function findHub(
  db: Queryable,
  partyId: string,
  deviceId: string,
  forUpdate = false,
): Promise<{ variant: string; status: HubStatus } | undefined> {
  const [row] = await db.query<{ variant: string; status: HubStatus }>(
    `SELECT variant, status FROM device WHERE device_id = $1 AND party_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [deviceId, partyId],
  );
  return row;
}

export async function setHubStatus(db: Queryable, deviceId: string, status: HubStatus, at: Date): Promise<void> {
  await db.query('UPDATE device SET status = $2, updated_at = $3 WHERE device_id = $1', [deviceId, status, at]);
}

/** Which of these hubs a pending transfer holds, with that transfer's request number. */
export async function heldHubs(db: Queryable, deviceIds: readonly string[]): Promise<{ device_id: string; number: string }[]> {
  return db.query(
    'SELECT d.device_id, i.number FROM device d JOIN ch_transfer t ON t.sys_id = d.transfer_id JOIN sc_req_item i ON i.sys_id = t.request_item WHERE d.device_id = ANY($1) ORDER BY d.device_id',
    [deviceIds],
  );
}

/** Which of these hubs the party has in one of `statuses`, locked for the rest of the transaction. */
export async function lockHubs(
  db: Queryable,
  partyId: string,
  deviceIds: readonly string[],
  statuses: readonly HubStatus[],
): Promise<string[]> {
  const rows = await db.query<{ device_id: string }>(
    'SELECT device_id FROM device WHERE party_id = $1 AND device_id = ANY($2) AND status = ANY($3) ORDER BY device_id FOR UPDATE',
    [partyId, deviceIds, statuses],
  );
  return rows.map((r) => r.device_id);
}

export async function holdHubs(db: Queryable, deviceIds: readonly string[], transferId: string): Promise<void> {
  await db.query('UPDATE device SET transfer_id = $1 WHERE device_id = ANY($2)', [transferId, deviceIds]);
}

/** Gives the hubs still the sender's and held for this transfer to the receiver, in `status`; the ones it moved. */
export async function moveHeldHubs(
  db: Queryable,
  t: { sys_id: string; from_party: string; device_ids: readonly string[] },
  toParty: string,
  status: HubStatus,
  at: Date,
): Promise<string[]> {
  const rows = await db.query<{ device_id: string }>(
    'UPDATE device SET party_id = $2, status = $3, transfer_id = NULL, updated_at = $4 WHERE device_id = ANY($1) AND party_id = $5 AND transfer_id = $6 RETURNING device_id',
    [t.device_ids, toParty, status, at, t.from_party, t.sys_id],
  );
  return rows.map((r) => r.device_id);
}

export async function releaseHubs(db: Queryable, transferId: string): Promise<void> {
  await db.query('UPDATE device SET transfer_id = NULL WHERE transfer_id = $1', [transferId]);
}
