/**
 * The carrier's use cases, as the CH logistics simulator runs them: shipments registered and their
 * due dates amended by the FSM platform, their events told on the simulated clock, and the faults
 * tests inject (a delay, a tracking service that fails, a shipment the carrier rejects).
 */
import { z } from 'zod';
import type { Clock } from '../domain/clock';
import { NotFound, Unavailable } from '../domain/errors';
import { shipmentEvents, type ShipmentEvent, type ShipmentKind } from '../domain/shipments';
import type { WorkingCalendar } from '../domain/working-days';
import type { Queryable } from '../store/db';
import {
  clearShipmentFaults,
  delayShipment,
  findShipment,
  insertShipment,
  setDueOn,
  setShipmentFault,
  type ShipmentRow,
} from '../store/shipments';
import { parseInput } from './validate';

const Register = z
  .object({
    reference: z.string().regex(/^[A-Z]{2,4}\d{7}$/),
    kind: z.enum(['delivery', 'return']),
    quantity: z.number().int().positive(),
    due_on: z.string().date(),
  })
  .strict();
const Amend = z.object({ due_on: z.string().date() }).strict();
const Fault = z
  .object({
    reference: z.string().min(1).max(20),
    kind: z.enum(['delay', 'fail', 'reject']),
    days: z.number().int().min(1).max(60).optional(),
  })
  .strict();
export type FaultInput = z.infer<typeof Fault>;

export class LogisticsService {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
  ) {}

  /** A shipment the platform registers; registering the same reference again changes nothing. */
  async register(body: unknown): Promise<{ reference: string }> {
    const s = parseInput(Register, body);
    await insertShipment(this.db, s, this.clock.now());
    return { reference: s.reference };
  }

  async amend(reference: string, body: unknown): Promise<{ reference: string; due_on: string }> {
    const { due_on } = parseInput(Amend, body);
    await this.find(reference);
    await setDueOn(this.db, reference, due_on);
    return { reference, due_on };
  }

  /** The shipment's events so far, unless its tracking has been made to fail. */
  async track(reference: string): Promise<{ reference: string; kind: ShipmentKind; events: ShipmentEvent[] }> {
    const row = await this.find(reference);
    if (row.fault === 'fail') throw new Unavailable("The carrier's tracking service is not answering", 'Try again later.');
    const shipment = {
      reference: row.reference,
      kind: row.kind,
      createdAt: row.created_at,
      dueOn: new Date(`${row.due_on}T00:00:00Z`),
      delayDays: row.delay_days,
      fault: row.fault,
    };
    return { reference: row.reference, kind: row.kind, events: shipmentEvents(shipment, this.clock.now(), this.calendar) };
  }

  /** A fault a test injects: a delay of some working days (they add up), or a failing or rejected shipment. */
  async injectFault(body: unknown): Promise<FaultInput> {
    const fault = parseInput(Fault, body);
    await this.find(fault.reference);
    if (fault.kind === 'delay') await delayShipment(this.db, fault.reference, fault.days ?? 1);
    else await setShipmentFault(this.db, fault.reference, fault.kind);
    return fault;
  }

  async clearFaults(reference: string): Promise<void> {
    await clearShipmentFaults(this.db, reference);
  }

  private async find(reference: string): Promise<ShipmentRow> {
    const row = await findShipment(this.db, reference);
    if (!row) throw new NotFound('Shipment');
    return row;
  }
}
