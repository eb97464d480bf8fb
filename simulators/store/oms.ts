/** OMS rows (OMS-01..06): forecasts, orders and their consignments. States are the domain's. */
import type { ConsignmentState } from '../domain/consignment';
import type { OrderState } from '../domain/order';
import type { Queryable } from './db';

export interface OrderRow {
  sys_id: string;
  number: string;
  party_id: string;
  region: string;
  variant: string;
  delivery_month: string;
  location: string;
  quantity: number;
  forecast_quantity: number | null;
  state: OrderState;
  decision_reason: string | null;
}
export interface ConsignmentRow {
  sys_id: string;
  number: string;
  order_id: string;
  party_id: string;
  quantity: number;
  delivery_date: string;
  state: ConsignmentState;
  device_ids: string[];
  delivered_at: Date | null;
  accepted_quantity: number | null;
  rejection_reason: string | null;
}
export interface Forecast {
  party_id: string;
  region: string;
  variant: string;
  month: string;
  version: number;
  quantity: number;
  at: Date;
  by: string;
}

export async function nextOmsNumber(db: Queryable, sequence: 'oms_order_number' | 'consignment_number' | 'rma_number'): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT nextval('${sequence}')::int AS n`);
  if (!row) throw new Error(`${sequence} returned nothing`);
  return row.n;
}

/** The latest forecast version of a party's Region and variant, its party's row locked so that two forecasts at once take one version each. */
export async function lockLatestForecastVersion(db: Queryable, partyId: string, region: string, variant: string): Promise<number> {
  await db.query('SELECT id FROM party WHERE id = $1 FOR NO KEY UPDATE', [partyId]);
  const [row] = await db.query<{ v: number }>(
    'SELECT coalesce(max(version), 0)::int AS v FROM forecast WHERE party_id = $1 AND region = $2 AND variant = $3',
    [partyId, region, variant],
  );
  return row?.v ?? 0;
}

export async function insertForecast(db: Queryable, f: Forecast): Promise<void> {
  await db.query(
    'INSERT INTO forecast (party_id, region, variant, month, version, quantity, submitted_at, submitted_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [f.party_id, f.region, f.variant, f.month, f.version, f.quantity, f.at, f.by],
  );
}

/** The quantity of the latest forecast version for a month, if any. */
export async function latestForecast(
  db: Queryable,
  partyId: string,
  region: string,
  variant: string,
  month: string,
): Promise<number | undefined> {
  const [row] = await db.query<{ quantity: number }>(
    'SELECT quantity FROM forecast WHERE party_id = $1 AND region = $2 AND variant = $3 AND month = $4 ORDER BY version DESC LIMIT 1',
    [partyId, region, variant, month],
  );
  return row?.quantity;
}

export async function insertOrder(db: Queryable, o: OrderRow, at: Date, by: string): Promise<void> {
  await db.query(
    `INSERT INTO oms_order (sys_id, number, party_id, region, variant, delivery_month, location, quantity, forecast_quantity, state, created_at, created_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11)`,
    [o.sys_id, o.number, o.party_id, o.region, o.variant, o.delivery_month, o.location, o.quantity, o.forecast_quantity, o.state, at, by],
  );
}

/** A party's order (any party's for DCC, when `partyId` is null), locked for update when asked. */
export async function findOrder(db: Queryable, partyId: string | null, sysId: string, forUpdate = false): Promise<OrderRow | undefined> {
  const [row] = await db.query<OrderRow>(
    `SELECT * FROM oms_order WHERE sys_id = $1 AND ($2::text IS NULL OR party_id = $2)${forUpdate ? ' FOR UPDATE' : ''}`,
    [sysId, partyId],
  );
  return row;
}

export async function setOrderState(
  db: Queryable,
  sysId: string,
  state: OrderState,
  decisionReason: string | null,
  at: Date,
): Promise<void> {
  await db.query('UPDATE oms_order SET state = $2, decision_reason = $3, updated_at = $4 WHERE sys_id = $1', [
    sysId,
    state,
    decisionReason,
    at,
  ]);
}

/** A party's orders, newest first. */
export async function listOrders(db: Queryable, partyId: string): Promise<OrderRow[]> {
  return db.query<OrderRow>('SELECT * FROM oms_order WHERE party_id = $1 ORDER BY created_at DESC LIMIT 50', [partyId]);
}

const CONSIGNMENT =
  'sys_id, number, order_id, party_id, quantity, delivery_date::text AS delivery_date, state, device_ids, delivered_at, accepted_quantity, rejection_reason';

export async function insertConsignment(db: Queryable, c: ConsignmentRow, at: Date): Promise<void> {
  await db.query(
    'INSERT INTO consignment (sys_id, number, order_id, party_id, quantity, delivery_date, state, device_ids, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [c.sys_id, c.number, c.order_id, c.party_id, c.quantity, c.delivery_date, c.state, c.device_ids, at],
  );
}

export async function findConsignment(
  db: Queryable,
  partyId: string,
  sysId: string,
  forUpdate = false,
): Promise<ConsignmentRow | undefined> {
  const [row] = await db.query<ConsignmentRow>(
    `SELECT ${CONSIGNMENT} FROM consignment WHERE sys_id = $1 AND party_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [sysId, partyId],
  );
  return row;
}

export async function consignmentOfOrder(
  db: Queryable,
  partyId: string,
  orderId: string,
): Promise<{ sys_id: string; number: string } | undefined> {
  const [row] = await db.query<{ sys_id: string; number: string }>(
    'SELECT sys_id, number FROM consignment WHERE order_id = $1 AND party_id = $2',
    [orderId, partyId],
  );
  return row;
}

export async function setDeliveryDate(db: Queryable, sysId: string, date: string, at: Date): Promise<void> {
  await db.query('UPDATE consignment SET delivery_date = $2, updated_at = $3 WHERE sys_id = $1', [sysId, date, at]);
}

/** Moves a consignment to `state`, with the party's answer to its delivery when there is one. */
export async function setConsignmentState(
  db: Queryable,
  sysId: string,
  state: ConsignmentState,
  at: Date,
  answer?: { accepted: number; reason: string | null },
): Promise<void> {
  if (!answer) await db.query('UPDATE consignment SET state = $2, updated_at = $3 WHERE sys_id = $1', [sysId, state, at]);
  else
    await db.query('UPDATE consignment SET state = $2, accepted_quantity = $3, rejection_reason = $4, updated_at = $5 WHERE sys_id = $1', [
      sysId,
      state,
      answer.accepted,
      answer.reason,
      at,
    ]);
}

/** Records the carrier's delivery, only from the states given (a second sync, or a late one, changes nothing); true when it did. */
export async function recordDelivered(
  db: Queryable,
  sysId: string,
  move: { from: readonly ConsignmentState[]; to: ConsignmentState },
  deliveredAt: string,
  at: Date,
): Promise<boolean> {
  const rows = await db.query(
    'UPDATE consignment SET state = $3, delivered_at = $4, updated_at = $5 WHERE sys_id = $1 AND state = ANY($2) RETURNING sys_id',
    [sysId, move.from, move.to, deliveredAt, at],
  );
  return rows.length > 0;
}
