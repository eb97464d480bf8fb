/**
 * OMS orders (OMS-01..03, OMS-11): forecasts by Region and variant, orders checked against the
 * tolerance of the latest forecast with DCC's decision on exceptions, and confirmation into a
 * consignment with its Advance Shipment Notice, which the carrier hears of first.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConsignmentState, plannedDeliveryDate } from '../domain/consignment';
import { InvalidInput, NotFound } from '../domain/errors';
import { formatNumber, newSysId, SYS_ID } from '../domain/ids';
import { assertOrderableVariant, assertQuantity } from '../domain/oms';
import { assertDeliveryMonth, assertInForecastHorizon, forecastMonths, ORDER, orderableMonths, placedState } from '../domain/order';
import { REGIONS } from '../domain/party';
import type { Queryable } from '../store/db';
import {
  consignmentOfOrder,
  findOrder,
  insertConsignment,
  insertForecast,
  insertOrder,
  latestForecast,
  listOrders,
  lockLatestForecastVersion,
  nextOmsNumber,
  setOrderState,
  type ConsignmentRow,
  type OrderRow,
} from '../store/oms';
import type { Caller, Core } from './context';
import { parseInput } from './validate';

const region = z.enum(REGIONS);
const Forecast = z
  .object({
    region,
    variant: z.string().max(20),
    months: z
      .array(z.object({ month: z.string().max(7), quantity: z.number().int().min(0).max(10_000_000) }).strict())
      .min(1)
      .max(60),
  })
  .strict();
const Order = z
  .object({
    region,
    variant: z.string().max(20),
    delivery_month: z.string().max(7),
    location: z.string().trim().min(3).max(200),
    quantity: z.number(),
  })
  .strict();
const Decision = z.object({ decision: z.enum(['approve', 'reject']), reason: z.string().max(2000).optional() }).strict();

const deviceId = () => Array.from(randomBytes(8), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('-');

export class OrderService {
  constructor(private readonly core: Core) {}

  private now = () => this.core.clock.now();

  /** The months a forecast covers now (OMS-01). */
  forecastMonths(): string[] {
    return forecastMonths(this.now(), this.core.config.oms.horizonMonths);
  }

  /**
   * The terms an order is checked against, for a form to show before it is sent: the delivery months
   * that can be ordered now (after the lead time, inside the horizon), the tolerance and the pack size.
   */
  orderTerms(): { months: string[]; leadTimeMonths: number; horizonMonths: number; tolerancePercent: number; packSize: number } {
    const { leadTimeMonths, horizonMonths, tolerancePercent, packSize } = this.core.config.oms;
    return { months: orderableMonths(this.now(), this.core.config.oms), leadTimeMonths, horizonMonths, tolerancePercent, packSize };
  }

  /** Forecasts and orders need this component: the portal asks before it shows a form. */
  assertMayOrder(caller: Caller): void {
    this.core.roles.require(caller.roles, 'oms.order');
  }

  /** A new version of the forecast for a Region and variant: every month inside the horizon (OMS-01). */
  async submitForecast(caller: Caller, body: unknown): Promise<{ version: number; months: number }> {
    this.assertMayOrder(caller);
    const input = parseInput(Forecast, body);
    const variant = assertOrderableVariant(input.variant);
    assertInForecastHorizon(
      input.months.map((m) => m.month),
      this.now(),
      this.core.config.oms.horizonMonths,
    );
    return this.core.db.transaction(async (tx) => {
      const version = (await lockLatestForecastVersion(tx, caller.partyId, input.region, variant)) + 1;
      for (const m of input.months)
        await insertForecast(tx, {
          party_id: caller.partyId,
          region: input.region,
          variant,
          month: m.month,
          version,
          quantity: m.quantity,
          at: this.now(),
          by: caller.username,
        });
      return { version, months: input.months.length };
    });
  }

  /** An order (OMS-02, OMS-03, OMS-11): outside the tolerance of the latest forecast it waits for DCC. */
  async place(caller: Caller, body: unknown): Promise<OrderRow> {
    this.assertMayOrder(caller);
    const input = parseInput(Order, body);
    const variant = assertOrderableVariant(input.variant);
    const { oms } = this.core.config;
    assertQuantity(input.quantity, oms.packSize, oms.maxOrderQuantity);
    assertDeliveryMonth(input.delivery_month, this.now(), oms);
    return this.core.db.transaction(async (tx) => {
      const forecast = await latestForecast(tx, caller.partyId, input.region, variant, input.delivery_month);
      const number = formatNumber('ORD', await nextOmsNumber(tx, 'oms_order_number'));
      const row: OrderRow = {
        sys_id: newSysId(),
        number,
        party_id: caller.partyId,
        region: input.region,
        variant,
        delivery_month: input.delivery_month,
        location: input.location,
        quantity: input.quantity,
        forecast_quantity: forecast ?? null,
        state: placedState(input.quantity, forecast, oms.tolerancePercent),
        decision_reason: null,
      };
      await insertOrder(tx, row, this.now(), caller.username);
      return row;
    });
  }

  /** DCC approves or rejects a tolerance exception (the service-desk persona), once. */
  async decide(orderSysId: string, body: unknown): Promise<OrderRow> {
    const input = parseInput(Decision, body);
    return this.core.db.transaction(async (tx) => {
      const order = await this.find(tx, null, orderSysId, true);
      const state = ORDER.next(order.state, input.decision, order.number);
      if (input.decision === 'reject' && !input.reason) throw new InvalidInput('Say why the order is rejected', '', 'reason');
      await setOrderState(tx, order.sys_id, state, input.reason ?? null, this.now());
      return { ...order, state, decision_reason: input.reason ?? null };
    });
  }

  /**
   * Confirming an order creates its consignment, with an Advance Shipment Notice, at the carrier
   * (OMS-02, OMS-04). The carrier hears of it first: if it cannot be reached, nothing is recorded and
   * the order stays submitted, so the person can confirm again. A registration whose commit then
   * fails is never read (its reference is never reused).
   */
  async confirm(caller: Caller, orderSysId: string): Promise<ConsignmentRow> {
    this.assertMayOrder(caller);
    const order = await this.find(this.core.db, caller.partyId, orderSysId);
    ORDER.next(order.state, 'confirm', order.number);
    const number = formatNumber('CON', await nextOmsNumber(this.core.db, 'consignment_number'));
    const delivery = plannedDeliveryDate(order.delivery_month, this.core.calendar);
    await this.core.carrier.register({ reference: number, kind: 'delivery', quantity: order.quantity, due_on: delivery });
    return this.core.db.transaction(async (tx) => {
      const current = await this.find(tx, caller.partyId, orderSysId, true);
      await setOrderState(tx, current.sys_id, ORDER.next(current.state, 'confirm', current.number), current.decision_reason, this.now());
      const row: ConsignmentRow = {
        sys_id: newSysId(),
        number,
        order_id: order.sys_id,
        party_id: order.party_id,
        quantity: order.quantity,
        delivery_date: delivery,
        state: ConsignmentState.Planned,
        device_ids: Array.from({ length: order.quantity }, deviceId),
        delivered_at: null,
        accepted_quantity: null,
        rejection_reason: null,
      };
      await insertConsignment(tx, row, this.now());
      return row;
    });
  }

  /** An order of the caller's party, with its consignment once confirmed. */
  async orderOf(caller: Caller, sysId: string): Promise<OrderRow & { consignment: { sys_id: string; number: string } | null }> {
    this.core.roles.require(caller.roles, 'oms.read');
    const order = await this.find(this.core.db, caller.partyId, sysId);
    return { ...order, consignment: (await consignmentOfOrder(this.core.db, caller.partyId, order.sys_id)) ?? null };
  }

  /** The caller's party's orders, newest first. */
  async list(caller: Caller): Promise<OrderRow[]> {
    this.core.roles.require(caller.roles, 'oms.read');
    return listOrders(this.core.db, caller.partyId);
  }

  private async find(db: Queryable, partyId: string | null, sysId: string, forUpdate = false): Promise<OrderRow> {
    const row = SYS_ID.test(sysId) ? await findOrder(db, partyId, sysId, forUpdate) : undefined;
    if (!row) throw new NotFound('Order');
    return row;
  }
}
