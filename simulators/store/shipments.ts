/** The carrier's shipments (`carrier_shipment`): the logistics simulator's side of consignments and returns. */
import type { ShipmentKind } from '../domain/shipments';
import type { Queryable } from './db';

export interface ShipmentRow {
  reference: string;
  kind: ShipmentKind;
  created_at: Date;
  due_on: string;
  delay_days: number;
  fault: 'fail' | 'reject' | null;
}

/** Registers a shipment; one registered already (a retry) is left as it was. */
export async function insertShipment(
  db: Queryable,
  s: { reference: string; kind: ShipmentKind; quantity: number; due_on: string },
  at: Date,
): Promise<void> {
  await db.query(
    'INSERT INTO carrier_shipment (reference, kind, quantity, due_on, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (reference) DO NOTHING',
    [s.reference, s.kind, s.quantity, s.due_on, at],
  );
}

export async function findShipment(db: Queryable, reference: string): Promise<ShipmentRow | undefined> {
  const [row] = await db.query<ShipmentRow>(
    'SELECT reference, kind, created_at, due_on::text AS due_on, delay_days, fault FROM carrier_shipment WHERE reference = $1',
    [reference],
  );
  return row;
}

export async function setDueOn(db: Queryable, reference: string, dueOn: string): Promise<void> {
  await db.query('UPDATE carrier_shipment SET due_on = $2 WHERE reference = $1', [reference, dueOn]);
}

export async function delayShipment(db: Queryable, reference: string, days: number): Promise<void> {
  await db.query('UPDATE carrier_shipment SET delay_days = delay_days + $2 WHERE reference = $1', [reference, days]);
}

export async function setShipmentFault(db: Queryable, reference: string, fault: 'fail' | 'reject'): Promise<void> {
  await db.query('UPDATE carrier_shipment SET fault = $2 WHERE reference = $1', [reference, fault]);
}

export async function clearShipmentFaults(db: Queryable, reference: string): Promise<void> {
  await db.query('UPDATE carrier_shipment SET delay_days = 0, fault = NULL WHERE reference = $1', [reference]);
}
