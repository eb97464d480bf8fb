/**
 * Consignments and their delivery (OMS-04..06): the carrier's word recorded by an explicit,
 * idempotent sync; the delivery date moved until the cut-off, with the carrier told first; the
 * delivery date confirmed; the delivery accepted or partly rejected within the window, the accepted
 * hubs joining the party's stock. Reading a consignment changes nothing.
 */
import { z } from 'zod';
import { CONSIGNMENT, assertAmendable, deliveredAt, respond } from '../domain/consignment';
import { Conflict, NotFound } from '../domain/errors';
import { HubStatus } from '../domain/hubs';
import { SYS_ID } from '../domain/ids';
import type { ShipmentEvent } from '../domain/shipments';
import type { Queryable } from '../store/db';
import { addHub } from '../store/hubs';
import { findConsignment, findOrder, recordDelivered, setConsignmentState, setDeliveryDate, type ConsignmentRow } from '../store/oms';
import type { Caller, Core } from './context';
import { parseInput } from './validate';

const Amend = z.object({ delivery_date: z.string().date('must be a date, YYYY-MM-DD') }).strict();
const Answer = z.union([
  z.object({ decision: z.literal('accept') }).strict(),
  z
    .object({
      decision: z.literal('reject'),
      reason: z.enum(['damaged', 'wrong_quantity', 'wrong_variant', 'late']),
      quantity: z.number().int().positive(),
    })
    .strict(),
]);

export class DeliveryService {
  constructor(private readonly core: Core) {}

  private now = () => this.core.clock.now();

  /** The consignment as recorded: a read, which changes nothing (`sync` records the carrier's word). */
  async consignment(caller: Caller, sysId: string): Promise<ConsignmentRow> {
    this.core.roles.require(caller.roles, 'oms.read');
    return this.find(this.core.db, caller.partyId, sysId);
  }

  /**
   * Records what the carrier says of the consignment (OMS-04), and gives its events: a delivery
   * moves a planned or confirmed consignment to delivered. Idempotent: a second sync, or one that
   * lands after the party answered, changes nothing. Run before the consignment is shown or answered.
   */
  async sync(caller: Caller, sysId: string): Promise<ShipmentEvent[]> {
    this.core.roles.require(caller.roles, 'oms.read');
    const c = await this.find(this.core.db, caller.partyId, sysId);
    const events = await this.core.carrier.events(c.number);
    const at = deliveredAt(events);
    if (at && CONSIGNMENT.allows(c.state, 'carrier_delivered')) {
      await recordDelivered(
        this.core.db,
        c.sys_id,
        { from: CONSIGNMENT.from('carrier_delivered'), to: CONSIGNMENT.next(c.state, 'carrier_delivered') },
        at,
        this.now(),
      );
    }
    return events;
  }

  /**
   * A new delivery date, until the cut-off before the current one (OMS-05). The carrier is told
   * first; if the change then cannot be recorded, the carrier is told the recorded date again. The
   * change is made to the date it was asked against: one made meanwhile is not silently replaced.
   */
  async amend(caller: Caller, sysId: string, body: unknown): Promise<ConsignmentRow> {
    this.core.roles.require(caller.roles, 'oms.order');
    const { delivery_date } = parseInput(Amend, body);
    const { calendar } = this.core;
    const cutoff = this.core.config.oms.amendCutoffWorkingDays;
    const current = await this.find(this.core.db, caller.partyId, sysId);
    assertAmendable(current, delivery_date, this.now(), calendar, cutoff);
    await this.core.carrier.amend(current.number, delivery_date);
    try {
      return await this.core.db.transaction(async (tx) => {
        const c = await this.find(tx, caller.partyId, sysId, true);
        assertAmendable(c, delivery_date, this.now(), calendar, cutoff);
        if (c.delivery_date !== current.delivery_date)
          throw new Conflict(
            `${c.number}'s delivery date was changed to ${c.delivery_date} meanwhile`,
            'Check the new date, and amend it again if it still does not suit.',
            'delivery_date',
          );
        await setDeliveryDate(tx, c.sys_id, delivery_date, this.now());
        return { ...c, delivery_date };
      });
    } catch (error) {
      const recorded = await this.find(this.core.db, caller.partyId, sysId).catch(() => current);
      await this.core.carrier.amend(current.number, recorded.delivery_date).catch(() => undefined);
      throw error;
    }
  }

  /** The party confirms the planned delivery date, once. */
  async confirm(caller: Caller, sysId: string): Promise<ConsignmentRow> {
    this.core.roles.require(caller.roles, 'oms.order');
    return this.core.db.transaction(async (tx) => {
      const c = await this.find(tx, caller.partyId, sysId, true);
      const state = CONSIGNMENT.next(c.state, 'confirm_delivery', c.number);
      await setConsignmentState(tx, c.sys_id, state, this.now());
      return { ...c, state };
    });
  }

  /** Accept or reject a delivered consignment within the window (OMS-06), once; accepted hubs join the party's stock. */
  async respond(caller: Caller, sysId: string, body: unknown): Promise<ConsignmentRow> {
    this.core.roles.require(caller.roles, 'oms.order');
    const input = parseInput(Answer, body);
    await this.sync(caller, sysId);
    return this.core.db.transaction(async (tx) => {
      const c = await this.find(tx, caller.partyId, sysId, true);
      const { state, accepted } = respond(c, input, this.now(), this.core.calendar, this.core.config.oms.acceptanceWindowWorkingDays);
      const rejection_reason = input.decision === 'reject' ? input.reason : null;
      await setConsignmentState(tx, c.sys_id, state, this.now(), { accepted, reason: rejection_reason });
      const variant = (await findOrder(tx, null, c.order_id))?.variant ?? '';
      for (const device_id of c.device_ids.slice(0, accepted)) {
        if (!(await addHub(tx, { device_id, party_id: c.party_id, variant, status: HubStatus.InStock }, this.now())))
          throw new Error(`Hub ${device_id} of ${c.number} is already known to the platform`);
      }
      return { ...c, state, accepted_quantity: accepted, rejection_reason };
    });
  }

  private async find(db: Queryable, partyId: string, sysId: string, forUpdate = false): Promise<ConsignmentRow> {
    const row = SYS_ID.test(sysId) ? await findConsignment(db, partyId, sysId, forUpdate) : undefined;
    if (!row) throw new NotFound('Consignment');
    return row;
  }
}
