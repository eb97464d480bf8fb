/**
 * A consignment of a confirmed order (OMS-04..06): planned for the first working day of its month,
 * moved until the cut-off before it, delivered when the carrier says so, then accepted or partly
 * rejected within the acceptance window. Working days are England and Wales's.
 */
import { Conflict, InvalidInput } from './errors';
import { monthIndex } from './oms';
import type { ShipmentEvent } from './shipments';
import { StateMachine, stateWords } from './state-machine';
import type { WorkingCalendar } from './working-days';

export const ConsignmentState = {
  Planned: 'planned',
  DeliveryConfirmed: 'delivery_confirmed',
  Delivered: 'delivered',
  Accepted: 'accepted',
  Rejected: 'rejected',
} as const;
export type ConsignmentState = (typeof ConsignmentState)[keyof typeof ConsignmentState];
/** `carrier_delivered` is the carrier's word, recorded by a sync; the others are the party's. */
export type ConsignmentEvent = 'amend' | 'confirm_delivery' | 'carrier_delivered' | 'accept' | 'reject';

const answered = (state: ConsignmentState) => state === ConsignmentState.Accepted || state === ConsignmentState.Rejected;

export const CONSIGNMENT = new StateMachine<ConsignmentState, ConsignmentEvent>(
  {
    amend: { planned: 'planned' },
    confirm_delivery: { planned: 'delivery_confirmed' },
    carrier_delivered: { planned: 'delivered', delivery_confirmed: 'delivered' },
    accept: { delivered: 'accepted' },
    reject: { delivered: 'rejected' },
  },
  (from, event, number) => {
    if (event === 'amend') return new Conflict(`${number} is ${stateWords(from)}: its delivery can no longer change`, '', 'state');
    if (event === 'confirm_delivery' || event === 'carrier_delivered')
      return new Conflict(`${number} is already ${stateWords(from)}`, '', 'state');
    return answered(from)
      ? new Conflict(`${number} was already ${from}`, '', 'state')
      : new Conflict(`${number} has not been delivered yet; it is ${stateWords(from)}`, '', 'state');
  },
);

const day = (date: string) => new Date(`${date}T00:00:00Z`);
const dateText = (date: Date) => date.toISOString().slice(0, 10);

/** The first working day of the order's delivery month (`YYYY-MM`), as `YYYY-MM-DD`. */
export function plannedDeliveryDate(deliveryMonth: string, calendar: WorkingCalendar): string {
  const index = monthIndex(deliveryMonth);
  const dayBefore = new Date(Date.UTC(Math.floor(index / 12), index % 12, 1) - 86_400_000);
  return dateText(calendar.addWorkingDays(dayBefore, 1));
}

/** A delivery changes until `cutoffDays` working days before it: both the current date and the new one. */
export function assertAmendable(
  c: { number: string; state: ConsignmentState; delivery_date: string },
  date: string,
  now: Date,
  calendar: WorkingCalendar,
  cutoffDays: number,
): void {
  CONSIGNMENT.next(c.state, 'amend', c.number);
  if (c.delivery_date === date) throw new Conflict(`${c.number} is already due on ${date}`, '', 'delivery_date');
  assertBeforeCutoff(c.delivery_date, c.number, now, calendar, cutoffDays);
  if (!calendar.isWorkingDay(day(date))) throw new InvalidInput(`${date} is not a working day in England and Wales`, '', 'delivery_date');
  assertBeforeCutoff(date, c.number, now, calendar, cutoffDays);
}

function assertBeforeCutoff(date: string, number: string, now: Date, calendar: WorkingCalendar, cutoffDays: number): void {
  const cutoff = calendar.addWorkingDays(day(date), -cutoffDays);
  if (now >= cutoff)
    throw new Conflict(
      `${number}'s delivery on ${date} can no longer change: the cut-off was ${dateText(cutoff)}`,
      `Deliveries change until ${cutoffDays} working days before.`,
      'delivery_date',
    );
}

/**
 * The state a party's answer moves a delivered consignment to, and the hubs it accepts: within the
 * window of `windowDays` working days after delivery, rejecting at most what was delivered.
 */
export function respond(
  c: { number: string; state: ConsignmentState; quantity: number; delivered_at: Date | null },
  answer: { decision: 'accept' } | { decision: 'reject'; quantity: number },
  now: Date,
  calendar: WorkingCalendar,
  windowDays: number,
): { state: ConsignmentState; accepted: number } {
  const state = CONSIGNMENT.next(c.state, answer.decision, c.number);
  if (!c.delivered_at) throw new Conflict(`${c.number} has not been delivered yet; it is ${stateWords(c.state)}`, '', 'state');
  const closes = calendar.addWorkingDays(c.delivered_at, windowDays + 1);
  if (now >= closes)
    throw new Conflict(
      `The window to accept or reject ${c.number} closed on ${dateText(closes)}`,
      'Raise an incident if the delivery was wrong.',
      'state',
    );
  if (answer.decision === 'accept') return { state, accepted: c.quantity };
  if (answer.quantity > c.quantity)
    throw new InvalidInput(`${c.number} held ${c.quantity} hubs; you cannot reject ${answer.quantity}`, '', 'quantity');
  return { state, accepted: c.quantity - answer.quantity };
}

/** When the carrier says it delivered the consignment, if it does. */
export function deliveredAt(events: readonly ShipmentEvent[]): string | undefined {
  return events.find((e) => e.status === 'delivered')?.at;
}
