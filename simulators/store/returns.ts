/** Returns of hubs (`ch_return`, OMS-07..09): the RMA, the carrier's progress, triage and charge. */
import type { ReturnState, TriageOutcome } from '../domain/returns';
import type { Queryable } from './db';

export interface ReturnRow {
  sys_id: string;
  rma_number: string;
  party_id: string;
  device_id: string;
  variant: string;
  reason: string;
  fault: boolean;
  state: ReturnState;
  triage_outcome: TriageOutcome | null;
  charge_pence: number | null;
}

export async function insertReturn(db: Queryable, r: ReturnRow, at: Date): Promise<void> {
  await db.query(
    'INSERT INTO ch_return (sys_id, rma_number, party_id, device_id, variant, reason, fault, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)',
    [r.sys_id, r.rma_number, r.party_id, r.device_id, r.variant, r.reason, r.fault, r.state, at],
  );
}

/** A party's return (any party's for DCC, when `partyId` is null), locked for update when asked. */
export async function findReturn(db: Queryable, partyId: string | null, sysId: string, forUpdate = false): Promise<ReturnRow | undefined> {
  const [row] = await db.query<ReturnRow>(
    `SELECT * FROM ch_return WHERE sys_id = $1 AND ($2::text IS NULL OR party_id = $2)${forUpdate ? ' FOR UPDATE' : ''}`,
    [sysId, partyId],
  );
  return row;
}

/** A party's returns, newest first. */
export async function listReturns(db: Queryable, partyId: string): Promise<ReturnRow[]> {
  return db.query<ReturnRow>('SELECT * FROM ch_return WHERE party_id = $1 ORDER BY created_at DESC LIMIT 50', [partyId]);
}

/** Moves a return on only from the states given (one that moved on meanwhile is left as it is); the row when it moved. */
export async function moveReturn(
  db: Queryable,
  sysId: string,
  move: { from: readonly ReturnState[]; to: ReturnState },
  at: Date,
): Promise<ReturnRow | undefined> {
  const [row] = await db.query<ReturnRow>(
    'UPDATE ch_return SET state = $3, updated_at = $4 WHERE sys_id = $1 AND state = ANY($2) RETURNING *',
    [sysId, move.from, move.to, at],
  );
  return row;
}

export async function recordTriage(
  db: Queryable,
  sysId: string,
  triage: { state: ReturnState; outcome: TriageOutcome; charge: number },
  at: Date,
): Promise<ReturnRow | undefined> {
  const [row] = await db.query<ReturnRow>(
    'UPDATE ch_return SET state = $2, triage_outcome = $3, charge_pence = $4, updated_at = $5 WHERE sys_id = $1 RETURNING *',
    [sysId, triage.state, triage.outcome, triage.charge, at],
  );
  return row;
}
