/**
 * The OMS module of the FSM platform (OMS-01..09, OMS-11): forecasts, orders with the tolerance check
 * and DCC's decision on exceptions, confirmation into consignments tracked at the carrier, delivery
 * amendment, confirmation and acceptance within working-day windows, and returns to triage and charge.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Conflict, InvalidInput, NotFound } from '../domain/errors';
import { formatNumber, newSysId, SYS_ID } from '../domain/ids';
import { assertOrderableVariant, assertQuantity, expectedTriage, FAULT_REASONS, monthIndex, monthOf, monthText, NO_FAULT_REASONS, returnCharge, withinTolerance, type TriageOutcome } from '../domain/oms';
import { REGIONS } from '../domain/party';
import type { Queryable } from '../store/db';
import { findParty } from '../store/parties';
import type { Caller, Core } from './context';
import { parseInput } from './validate';

const region = z.enum(REGIONS);
const Forecast = z.object({ region, variant: z.string().max(20), months: z.array(z.object({ month: z.string().max(7), quantity: z.number().int().min(0).max(10_000_000) }).strict()).min(1).max(60) }).strict();
const Order = z.object({ region, variant: z.string().max(20), delivery_month: z.string().max(7), location: z.string().trim().min(3).max(200), quantity: z.number() }).strict();
const Acceptance = z.union([
  z.object({ decision: z.literal('accept') }).strict(),
  z.object({ decision: z.literal('reject'), reason: z.enum(['damaged', 'wrong_quantity', 'wrong_variant', 'late']), quantity: z.number().int().positive() }).strict(),
]);
const Return = z.object({ device_id: z.string().max(30), reason: z.enum([...FAULT_REASONS, ...NO_FAULT_REASONS]) }).strict();
const Triage = z.object({ outcome: z.enum(['redeployable', 'not_redeployable', 'no_fault_found']) }).strict();

export interface OrderRow { sys_id: string; number: string; party_id: string; region: string; variant: string; delivery_month: string; location: string; quantity: number; forecast_quantity: number | null; state: string; decision_reason: string | null }
export interface ConsignmentRow { sys_id: string; number: string; order_id: string; party_id: string; quantity: number; delivery_date: string; state: string; device_ids: string[]; delivered_at: Date | null; accepted_quantity: number | null; rejection_reason: string | null }
export interface ReturnRow { sys_id: string; rma_number: string; party_id: string; device_id: string; variant: string; reason: string; fault: boolean; state: string; triage_outcome: string | null; charge_pence: number | null }

const DAY = 86_400_000;
const deviceId = () => Array.from(randomBytes(8), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('-');

/**
 * A hub held for a pending CH transfer (OMS-10) is in no other transfer and is not returned until the
 * receiving party answers that one. Read once the hubs' rows are locked, so that the answer holds.
 */
export async function assertNotInTransfer(db: Queryable, deviceIds: string[], field: string): Promise<void> {
  const held = await db.query<{ device_id: string; number: string }>('SELECT d.device_id, i.number FROM device d JOIN ch_transfer t ON t.sys_id = d.transfer_id JOIN sc_req_item i ON i.sys_id = t.request_item WHERE d.device_id = ANY($1) ORDER BY d.device_id', [deviceIds]);
  if (held.length) throw new Conflict(held.map((h) => `${h.device_id} is already in pending transfer ${h.number}`).join('; '), 'A hub is in one transfer at a time: it is free again once the receiving party accepts or rejects that transfer.', field);
}

/** Only a submitted order can be confirmed: one waiting for DCC, rejected or confirmed already cannot. */
function assertConfirmable(order: OrderRow): OrderRow {
  if (order.state !== 'submitted') throw new Conflict(`${order.number} is ${order.state.replace('_', ' ')} and cannot be confirmed`, order.state === 'tolerance_exception' ? 'DCC must approve the tolerance exception first.' : '', 'state');
  return order;
}

export class OmsService {
  constructor(private readonly core: Core) {}

  private now = () => this.core.clock.now();

  async stock(caller: Caller): Promise<{ variant: string; status: string; count: number }[]> {
    this.core.roles.require(caller.roles, 'oms.read');
    return this.core.db.query('SELECT variant, status, count(*)::int AS count FROM device WHERE party_id = $1 GROUP BY variant, status ORDER BY variant, status', [caller.partyId]);
  }

  /** The months a forecast covers now: from next month to the end of the horizon (OMS-01). */
  forecastMonths(): string[] {
    const { first, last } = this.horizon();
    return Array.from({ length: last - first + 1 }, (_, i) => monthText(first + i));
  }

  private horizon(): { first: number; last: number } {
    return { first: monthOf(this.now()) + 1, last: monthOf(this.now()) + this.core.config.oms.horizonMonths };
  }

  /** An order of the caller's party, with its consignment once confirmed. */
  async orderOf(caller: Caller, sysId: string): Promise<OrderRow & { consignment: { sys_id: string; number: string } | null }> {
    this.core.roles.require(caller.roles, 'oms.read');
    const order = await this.order(this.core.db, caller.partyId, sysId, false);
    const [consignment] = await this.core.db.query<{ sys_id: string; number: string }>('SELECT sys_id, number FROM consignment WHERE order_id = $1 AND party_id = $2', [order.sys_id, caller.partyId]);
    return { ...order, consignment: consignment ?? null };
  }

  /** The caller's party's orders and returns, newest first, for the portal's OMS page. */
  async recent(caller: Caller): Promise<{ orders: OrderRow[]; returns: ReturnRow[] }> {
    this.core.roles.require(caller.roles, 'oms.read');
    const orders = await this.core.db.query<OrderRow>('SELECT * FROM oms_order WHERE party_id = $1 ORDER BY created_at DESC LIMIT 50', [caller.partyId]);
    const returns = await this.core.db.query<ReturnRow>('SELECT * FROM ch_return WHERE party_id = $1 ORDER BY created_at DESC LIMIT 50', [caller.partyId]);
    return { orders, returns };
  }

  /** A new version of the forecast for a Region and variant: every month inside the horizon (OMS-01). */
  async submitForecast(caller: Caller, body: unknown): Promise<{ version: number; months: number }> {
    this.core.roles.require(caller.roles, 'oms.order');
    const input = parseInput(Forecast, body);
    const variant = assertOrderableVariant(input.variant);
    const { first, last } = this.horizon();
    for (const m of input.months) {
      const index = monthIndex(m.month);
      if (index < first || index > last) throw new InvalidInput(`${m.month} is outside the forecast horizon`, `Forecast the ${this.core.config.oms.horizonMonths} months from next month.`, 'months');
    }
    return this.core.db.transaction(async (tx) => {
      // One forecast at a time per party: two sent at once would otherwise both take the next version.
      await tx.query('SELECT id FROM party WHERE id = $1 FOR NO KEY UPDATE', [caller.partyId]);
      const [{ v } = { v: 0 }] = await tx.query<{ v: number }>('SELECT coalesce(max(version), 0)::int AS v FROM forecast WHERE party_id = $1 AND region = $2 AND variant = $3', [caller.partyId, input.region, variant]);
      for (const m of input.months) {
        await tx.query('INSERT INTO forecast (party_id, region, variant, month, version, quantity, submitted_at, submitted_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [caller.partyId, input.region, variant, m.month, v + 1, m.quantity, this.now(), caller.username]);
      }
      return { version: v + 1, months: input.months.length };
    });
  }

  /** An order (OMS-02, OMS-03, OMS-11): outside the tolerance of the latest forecast it waits for DCC. */
  async placeOrder(caller: Caller, body: unknown): Promise<OrderRow> {
    this.core.roles.require(caller.roles, 'oms.order');
    const input = parseInput(Order, body);
    const variant = assertOrderableVariant(input.variant);
    const { oms } = this.core.config;
    assertQuantity(input.quantity, oms.packSize, oms.maxOrderQuantity);
    const earliest = monthOf(this.now()) + oms.leadTimeMonths;
    if (monthIndex(input.delivery_month) < earliest) throw new InvalidInput(`${input.delivery_month} is inside the ${oms.leadTimeMonths}-month lead time`, 'Order for a later delivery month.', 'delivery_month');
    if (monthIndex(input.delivery_month) > monthOf(this.now()) + oms.horizonMonths) throw new InvalidInput(`${input.delivery_month} is beyond the forecast horizon`, '', 'delivery_month');
    return this.core.db.transaction(async (tx) => {
      const [forecast] = await tx.query<{ quantity: number }>(
        'SELECT quantity FROM forecast WHERE party_id = $1 AND region = $2 AND variant = $3 AND month = $4 ORDER BY version DESC LIMIT 1',
        [caller.partyId, input.region, variant, input.delivery_month],
      );
      const ok = withinTolerance(input.quantity, forecast?.quantity, oms.tolerancePercent);
      const [{ n } = { n: 0 }] = await tx.query<{ n: number }>("SELECT nextval('oms_order_number')::int AS n");
      const row: OrderRow = { sys_id: newSysId(), number: formatNumber('ORD', n), party_id: caller.partyId, region: input.region, variant, delivery_month: input.delivery_month, location: input.location, quantity: input.quantity, forecast_quantity: forecast?.quantity ?? null, state: ok ? 'submitted' : 'tolerance_exception', decision_reason: null };
      await tx.query(
        `INSERT INTO oms_order (sys_id, number, party_id, region, variant, delivery_month, location, quantity, forecast_quantity, state, created_at, created_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11)`,
        [row.sys_id, row.number, row.party_id, row.region, row.variant, row.delivery_month, row.location, row.quantity, row.forecast_quantity, row.state, this.now(), caller.username],
      );
      return row;
    });
  }

  /** DCC approves or rejects a tolerance exception (the service-desk persona). */
  async decide(orderSysId: string, body: unknown): Promise<OrderRow> {
    const input = parseInput(z.object({ decision: z.enum(['approve', 'reject']), reason: z.string().max(2000).optional() }).strict(), body);
    return this.core.db.transaction(async (tx) => {
      const order = await this.order(tx, null, orderSysId);
      if (order.state !== 'tolerance_exception') throw new Conflict(`${order.number} is not waiting for a decision`, '', 'state');
      if (input.decision === 'reject' && !input.reason) throw new InvalidInput('Say why the order is rejected', '', 'reason');
      const state = input.decision === 'approve' ? 'submitted' : 'rejected';
      await tx.query('UPDATE oms_order SET state = $2, decision_reason = $3, updated_at = $4 WHERE sys_id = $1', [order.sys_id, state, input.reason ?? null, this.now()]);
      return { ...order, state, decision_reason: input.reason ?? null };
    });
  }

  /**
   * Confirming an order creates its consignment, with an Advance Shipment Notice, at the carrier
   * (OMS-02, OMS-04). The carrier hears of it first: if it cannot be reached, nothing is recorded and
   * the order stays submitted, so the person can confirm again. A registration whose commit then
   * fails is never read (its reference is never reused).
   */
  async confirmOrder(caller: Caller, orderSysId: string): Promise<ConsignmentRow> {
    this.core.roles.require(caller.roles, 'oms.order');
    const order = assertConfirmable(await this.order(this.core.db, caller.partyId, orderSysId, false));
    const number = formatNumber('CON', await this.next('consignment_number'));
    const index = monthIndex(order.delivery_month);
    const monthStart = new Date(Date.UTC(Math.floor(index / 12), index % 12, 1));
    const delivery = this.core.calendar.addWorkingDays(new Date(monthStart.getTime() - DAY), 1).toISOString().slice(0, 10);
    await this.core.carrier.register({ reference: number, kind: 'delivery', quantity: order.quantity, due_on: delivery });
    return this.core.db.transaction(async (tx) => {
      assertConfirmable(await this.order(tx, caller.partyId, orderSysId));
      await tx.query(`UPDATE oms_order SET state = 'confirmed', updated_at = $2 WHERE sys_id = $1`, [order.sys_id, this.now()]);
      const row: ConsignmentRow = { sys_id: newSysId(), number, order_id: order.sys_id, party_id: order.party_id, quantity: order.quantity, delivery_date: delivery, state: 'planned', device_ids: Array.from({ length: order.quantity }, deviceId), delivered_at: null, accepted_quantity: null, rejection_reason: null };
      await tx.query('INSERT INTO consignment (sys_id, number, order_id, party_id, quantity, delivery_date, state, device_ids, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [row.sys_id, row.number, row.order_id, row.party_id, row.quantity, row.delivery_date, row.state, row.device_ids, this.now()]);
      return row;
    });
  }

  /** The consignment with the carrier's events; a delivery the carrier reports is recorded (OMS-04). */
  async consignment(caller: Caller, sysId: string): Promise<ConsignmentRow & { events: { status: string; at: string }[] }> {
    this.core.roles.require(caller.roles, 'oms.read');
    const row = await this.findConsignment(this.core.db, caller.partyId, sysId);
    const events = await this.core.carrier.events(row.number);
    const delivered = events.find((e) => e.status === 'delivered');
    if (delivered && (row.state === 'planned' || row.state === 'delivery_confirmed')) {
      await this.core.db.query(`UPDATE consignment SET state = 'delivered', delivered_at = $2, updated_at = $3 WHERE sys_id = $1 AND state IN ('planned', 'delivery_confirmed')`, [row.sys_id, delivered.at, this.now()]);
      return { ...row, state: 'delivered', delivered_at: new Date(delivered.at), events };
    }
    return { ...row, events };
  }

  /**
   * A new delivery date, until the cut-off before the current one (OMS-05). The carrier is told
   * first; if the change then cannot be recorded, the carrier is told the recorded date again. The
   * change is made to the date it was asked against: one made meanwhile is not silently replaced.
   */
  async amendDelivery(caller: Caller, sysId: string, body: unknown): Promise<ConsignmentRow> {
    this.core.roles.require(caller.roles, 'oms.order');
    const { delivery_date } = parseInput(z.object({ delivery_date: z.string().date('must be a date, YYYY-MM-DD') }).strict(), body);
    const current = this.assertAmendable(await this.findConsignment(this.core.db, caller.partyId, sysId), delivery_date);
    await this.core.carrier.amend(current.number, delivery_date);
    try {
      return await this.core.db.transaction(async (tx) => {
        const c = this.assertAmendable(await this.findConsignment(tx, caller.partyId, sysId, true), delivery_date);
        if (c.delivery_date !== current.delivery_date) throw new Conflict(`${c.number}'s delivery date was changed to ${c.delivery_date} meanwhile`, 'Check the new date, and amend it again if it still does not suit.', 'delivery_date');
        await tx.query('UPDATE consignment SET delivery_date = $2, updated_at = $3 WHERE sys_id = $1', [c.sys_id, delivery_date, this.now()]);
        return { ...c, delivery_date };
      });
    } catch (error) {
      const recorded = await this.findConsignment(this.core.db, caller.partyId, sysId).catch(() => current);
      await this.core.carrier.amend(current.number, recorded.delivery_date).catch(() => undefined);
      throw error;
    }
  }

  async confirmDelivery(caller: Caller, sysId: string): Promise<ConsignmentRow> {
    this.core.roles.require(caller.roles, 'oms.order');
    return this.core.db.transaction(async (tx) => {
      const c = await this.findConsignment(tx, caller.partyId, sysId, true);
      if (c.state !== 'planned') throw new Conflict(`${c.number} is already ${c.state.replace('_', ' ')}`, '', 'state');
      await tx.query(`UPDATE consignment SET state = 'delivery_confirmed', updated_at = $2 WHERE sys_id = $1`, [c.sys_id, this.now()]);
      return { ...c, state: 'delivery_confirmed' };
    });
  }

  /** Accept or reject a delivered consignment within the window (OMS-06); accepted hubs join the party's stock. */
  async respondToDelivery(caller: Caller, sysId: string, body: unknown): Promise<ConsignmentRow> {
    this.core.roles.require(caller.roles, 'oms.order');
    const input = parseInput(Acceptance, body);
    const current = await this.consignment(caller, sysId);
    return this.core.db.transaction(async (tx) => {
      const c = await this.findConsignment(tx, caller.partyId, current.sys_id, true);
      if (c.state === 'accepted' || c.state === 'rejected') throw new Conflict(`${c.number} was already ${c.state}`, '', 'state');
      if (c.state !== 'delivered' || !c.delivered_at) throw new Conflict(`${c.number} has not been delivered yet; it is ${c.state.replace('_', ' ')}`, '', 'state');
      const closes = this.core.calendar.addWorkingDays(c.delivered_at, this.core.config.oms.acceptanceWindowWorkingDays + 1);
      if (this.now() >= closes) throw new Conflict(`The window to accept or reject ${c.number} closed on ${closes.toISOString().slice(0, 10)}`, 'Raise an incident if the delivery was wrong.', 'state');
      if (input.decision === 'reject' && input.quantity > c.quantity) throw new InvalidInput(`${c.number} held ${c.quantity} hubs; you cannot reject ${input.quantity}`, '', 'quantity');
      const state = input.decision === 'accept' ? 'accepted' : 'rejected';
      const accepted = input.decision === 'accept' ? c.quantity : c.quantity - input.quantity;
      await tx.query('UPDATE consignment SET state = $2, accepted_quantity = $3, rejection_reason = $4, updated_at = $5 WHERE sys_id = $1', [c.sys_id, state, accepted, input.decision === 'reject' ? input.reason : null, this.now()]);
      const [variant] = await tx.query<{ variant: string }>('SELECT variant FROM oms_order WHERE sys_id = $1', [c.order_id]);
      for (const id of c.device_ids.slice(0, accepted)) await tx.query(`INSERT INTO device (device_id, party_id, variant, status, updated_at) VALUES ($1, $2, $3, 'in_stock', $4)`, [id, c.party_id, variant?.variant ?? '', this.now()]);
      return { ...c, state, accepted_quantity: accepted };
    });
  }

  /**
   * An in-life return of a party's hub (OMS-07, OMS-08): an RMA, and a collection at the carrier,
   * booked first, so that a carrier that cannot be reached leaves the hub as it was.
   */
  async raiseReturn(caller: Caller, body: unknown): Promise<ReturnRow> {
    this.core.roles.require(caller.roles, 'oms.returns');
    const input = parseInput(Return, body);
    await this.returnableDevice(this.core.db, caller.partyId, input.device_id);
    const rma = formatNumber('RMA', await this.next('rma_number'));
    await this.core.carrier.register({ reference: rma, kind: 'return', quantity: 1, due_on: this.now().toISOString().slice(0, 10) });
    return this.core.db.transaction(async (tx) => {
      const device = await this.returnableDevice(tx, caller.partyId, input.device_id, true);
      const fault = (FAULT_REASONS as readonly string[]).includes(input.reason);
      const r: ReturnRow = { sys_id: newSysId(), rma_number: rma, party_id: caller.partyId, device_id: input.device_id.toUpperCase(), variant: device.variant, reason: input.reason, fault, state: 'rma_issued', triage_outcome: null, charge_pence: null };
      await tx.query(`UPDATE device SET status = 'returning', updated_at = $2 WHERE device_id = $1`, [r.device_id, this.now()]);
      await tx.query('INSERT INTO ch_return (sys_id, rma_number, party_id, device_id, variant, reason, fault, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)', [r.sys_id, r.rma_number, r.party_id, r.device_id, r.variant, r.reason, r.fault, r.state, this.now()]);
      return r;
    });
  }

  /**
   * A return's progress (OMS-09): the carrier's events, and once received, triage and its charge.
   * A reading moves the return on only from where it found it: one that lands late changes nothing.
   */
  async returnProgress(caller: Caller, sysId: string): Promise<ReturnRow & { events: { status: string; at: string }[] }> {
    this.core.roles.require(caller.roles, 'oms.read');
    const row = await this.findReturn(caller.partyId, sysId);
    const events = await this.core.carrier.events(row.rma_number);
    const stage = events.at(-1)?.status;
    if (row.state !== 'triaged' && stage === 'received') return { ...(await this.triage(row.sys_id, expectedTriage(row.fault), 'first')), events };
    if (row.state !== 'rma_issued' || (stage !== 'collected' && stage !== 'in_transit')) return { ...row, events };
    const [moved] = await this.core.db.query<ReturnRow>(`UPDATE ch_return SET state = 'collected', updated_at = $2 WHERE sys_id = $1 AND state = 'rma_issued' RETURNING *`, [row.sys_id, this.now()]);
    return { ...(moved ?? (await this.findReturn(caller.partyId, sysId))), events };
  }

  /** DCC's engineers overrule the triage of a return the carrier delivered to them (the service-desk persona). */
  async overrideTriage(sysId: string, body: unknown): Promise<ReturnRow> {
    const { outcome } = parseInput(Triage, body);
    if (!SYS_ID.test(sysId)) throw new NotFound('Return');
    return this.triage(sysId, outcome, 'again');
  }

  /**
   * Records a triage outcome and its charge, with the return's row locked: the `first` triage, once
   * the carrier has delivered the return (a reading that finds it triaged already answers that one),
   * or DCC triaging it `again`, which only a triaged return can be.
   */
  private async triage(sysId: string, outcome: TriageOutcome, which: 'first' | 'again'): Promise<ReturnRow> {
    return this.core.db.transaction(async (tx) => {
      const [row] = await tx.query<ReturnRow>('SELECT * FROM ch_return WHERE sys_id = $1 FOR UPDATE', [sysId]);
      if (!row) throw new NotFound('Return');
      if (which === 'first' && row.state === 'triaged') return row;
      if (which === 'again' && row.state !== 'triaged') throw new Conflict(`${row.rma_number} has not been triaged yet; it is ${row.state.replace('_', ' ')}`, 'A triage can be overruled once the carrier has delivered the return to DCC.', 'state');
      const charge = returnCharge(outcome, row.variant, this.core.config.oms.charges);
      const [triaged = row] = await tx.query<ReturnRow>(`UPDATE ch_return SET state = 'triaged', triage_outcome = $2, charge_pence = $3, updated_at = $4 WHERE sys_id = $1 RETURNING *`, [row.sys_id, outcome, charge, this.now()]);
      await tx.query(`UPDATE device SET status = 'returned', updated_at = $2 WHERE device_id = $1`, [row.device_id, this.now()]);
      return triaged;
    });
  }

  /** Hubs installed in a party's premises, for returns (fixtures through the control API): all of them, or none. */
  async addInstalledDevices(partyId: string, variant: string, ids: string[]): Promise<void> {
    if (new Set(ids).size !== ids.length) throw new InvalidInput('device_ids lists a hub more than once', '', 'device_ids');
    await this.core.db.transaction(async (tx) => {
      if (!(await findParty(tx, partyId))) throw new NotFound('Party');
      for (const id of ids) {
        // A hub added twice at once is refused here too: the second insert waits for the first, then finds it.
        const [added] = await tx.query(`INSERT INTO device (device_id, party_id, variant, status, updated_at) VALUES ($1, $2, $3, 'installed', $4) ON CONFLICT (device_id) DO NOTHING RETURNING device_id`, [id, partyId, variant, this.now()]);
        if (!added) throw new Conflict(`Hub ${id} is already known to the platform`, 'Each hub is installed once; use new device IDs.', 'device_ids');
      }
    });
  }

  /** A hub of the party that is not already on its way back, nor held for a pending transfer. */
  private async returnableDevice(db: Queryable, partyId: string, deviceId: string, lock = false): Promise<{ variant: string }> {
    const [device] = await db.query<{ variant: string; status: string }>(`SELECT variant, status FROM device WHERE device_id = $1 AND party_id = $2${lock ? ' FOR UPDATE' : ''}`, [deviceId.toUpperCase(), partyId]);
    if (!device) throw new InvalidInput(`${deviceId.slice(0, 30)} is not a hub of your party`, 'Check the device ID (EUI-64) on the hub.', 'device_id');
    if (device.status === 'returning' || device.status === 'returned') throw new Conflict(`${deviceId} is already being returned`, '', 'device_id');
    await assertNotInTransfer(db, [deviceId.toUpperCase()], 'device_id');
    return device;
  }

  private assertAmendable(c: ConsignmentRow, date: string): ConsignmentRow {
    if (c.state !== 'planned') throw new Conflict(`${c.number} is ${c.state.replace('_', ' ')}: its delivery can no longer change`, '', 'state');
    if (c.delivery_date === date) throw new Conflict(`${c.number} is already due on ${date}`, '', 'delivery_date');
    this.assertBeforeCutoff(c.delivery_date, c.number);
    if (!this.core.calendar.isWorkingDay(new Date(`${date}T00:00:00Z`))) throw new InvalidInput(`${date} is not a working day in England and Wales`, '', 'delivery_date');
    this.assertBeforeCutoff(date, c.number);
    return c;
  }

  private async next(sequence: 'consignment_number' | 'rma_number'): Promise<number> {
    const [{ n } = { n: 0 }] = await this.core.db.query<{ n: number }>(`SELECT nextval('${sequence}')::int AS n`);
    return n;
  }

  private assertBeforeCutoff(date: string, number: string): void {
    const cutoff = this.core.calendar.addWorkingDays(new Date(`${date}T00:00:00Z`), -this.core.config.oms.amendCutoffWorkingDays);
    if (this.now() >= cutoff) throw new Conflict(`${number}'s delivery on ${date} can no longer change: the cut-off was ${cutoff.toISOString().slice(0, 10)}`, `Deliveries change until ${this.core.config.oms.amendCutoffWorkingDays} working days before.`, 'delivery_date');
  }

  private async order(tx: Queryable, partyId: string | null, sysId: string, lock = true): Promise<OrderRow> {
    const [row] = SYS_ID.test(sysId) ? await tx.query<OrderRow>(`SELECT * FROM oms_order WHERE sys_id = $1 AND ($2::text IS NULL OR party_id = $2)${lock ? ' FOR UPDATE' : ''}`, [sysId, partyId]) : [];
    if (!row) throw new NotFound('Order');
    return row;
  }

  private async findReturn(partyId: string, sysId: string): Promise<ReturnRow> {
    const [row] = SYS_ID.test(sysId) ? await this.core.db.query<ReturnRow>('SELECT * FROM ch_return WHERE sys_id = $1 AND party_id = $2', [sysId, partyId]) : [];
    if (!row) throw new NotFound('Return');
    return row;
  }

  private async findConsignment(tx: Queryable, partyId: string, sysId: string, lock = false): Promise<ConsignmentRow> {
    const [row] = SYS_ID.test(sysId) ? await tx.query<ConsignmentRow>(`SELECT sys_id, number, order_id, party_id, quantity, delivery_date::text AS delivery_date, state, device_ids, delivered_at, accepted_quantity, rejection_reason FROM consignment WHERE sys_id = $1 AND party_id = $2${lock ? ' FOR UPDATE' : ''}`, [sysId, partyId]) : [];
    if (!row) throw new NotFound('Consignment');
    return row;
  }
}
