/**
 * The carrier's view of a shipment as events on the simulated clock, worked out from its due date:
 * deterministic, so the same moment always tells the same story. Deliveries go picked → dispatched →
 * in transit → delivered; returns go collected → in transit → received. A fault delays or rejects it.
 */
import type { WorkingCalendar } from './working-days';

export type ShipmentKind = 'delivery' | 'return';

export interface Shipment {
  reference: string;
  kind: ShipmentKind;
  createdAt: Date;
  dueOn: Date;
  delayDays: number;
  fault: 'fail' | 'reject' | null;
}

export interface ShipmentEvent {
  status: string;
  at: string;
}

export function shipmentEvents(s: Shipment, now: Date, calendar: WorkingCalendar): ShipmentEvent[] {
  const due = calendar.addWorkingDays(s.dueOn, s.delayDays);
  const plan: [string, Date][] =
    s.kind === 'delivery'
      ? [
          ['picked', s.createdAt],
          ['dispatched', calendar.addWorkingDays(due, -2)],
          ['in_transit', calendar.addWorkingDays(due, -1)],
          ['delivered', due],
        ]
      : [
          ['collected', calendar.addWorkingDays(s.createdAt, 1)],
          ['in_transit', calendar.addWorkingDays(s.createdAt, 2)],
          ['received', calendar.addWorkingDays(s.createdAt, 3)],
        ];
  if (s.fault === 'reject') plan.splice(1, plan.length - 1, ['rejected_by_carrier', s.createdAt]);
  return plan.filter(([, at]) => at <= now).map(([status, at]) => ({ status, at: at.toISOString() }));
}
