/** CH transfers between parties (`ch_transfer`, OMS-10), each with the request item that ordered it. */
import type { TransferState } from '../domain/transfer';
import type { Queryable } from './db';

export interface TransferRow {
  sys_id: string;
  request_item: string;
  from_party: string;
  to_party: string;
  device_ids: string[];
  state: TransferState;
}

export async function insertTransfer(db: Queryable, t: TransferRow, at: Date): Promise<void> {
  await db.query(
    'INSERT INTO ch_transfer (sys_id, request_item, from_party, to_party, device_ids, state, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [t.sys_id, t.request_item, t.from_party, t.to_party, t.device_ids, t.state, at],
  );
}

/** A transfer to the party, locked for the rest of the transaction. */
export async function lockIncomingTransfer(db: Queryable, toParty: string, sysId: string): Promise<TransferRow | undefined> {
  const [row] = await db.query<TransferRow>(
    'SELECT sys_id, request_item, from_party, to_party, device_ids, state FROM ch_transfer WHERE sys_id = $1 AND to_party = $2 FOR UPDATE',
    [sysId, toParty],
  );
  return row;
}

export async function setTransferState(db: Queryable, sysId: string, state: TransferState, at: Date, by: string): Promise<void> {
  await db.query('UPDATE ch_transfer SET state = $2, decided_at = $3, decided_by = $4 WHERE sys_id = $1', [sysId, state, at, by]);
}

/** Transfers to the party, oldest first, with the sending party's name. */
export async function incomingTransfers(
  db: Queryable,
  toParty: string,
): Promise<{ sys_id: string; from_party: string; device_ids: string[]; state: TransferState }[]> {
  return db.query(
    'SELECT t.sys_id, p.name AS from_party, t.device_ids, t.state FROM ch_transfer t JOIN party p ON p.id = t.from_party WHERE t.to_party = $1 ORDER BY t.created_at',
    [toParty],
  );
}

/** Whether the request item's transfer is in `state`. */
export async function transferOfItemIs(db: Queryable, requestItem: string, state: TransferState): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM ch_transfer WHERE request_item = $1 AND state = $2', [requestItem, state]);
  return rows.length > 0;
}
