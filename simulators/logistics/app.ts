/**
 * The CH logistics simulator: the carrier and warehouse side, as its own Express app and origin. The
 * FSM platform registers consignments and returns here and reads their events over HTTP; tests make
 * the carrier fail, delay or reject a shipment through its control API (`/__sim/faults`).
 */
import express, { Router, type Express } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SimClock } from '../domain/clock';
import { NotFound, Unavailable } from '../domain/errors';
import { shipmentEvents, type Shipment } from '../domain/shipments';
import type { WorkingCalendar } from '../domain/working-days';
import { errorHandler, notFoundHandler, requireJsonObject } from '../http/errors';
import { Journal } from '../http/journal';
import type { Core } from '../services/context';
import { parseInput } from '../services/validate';

const Register = z.object({ reference: z.string().regex(/^[A-Z]{2,4}\d{7}$/), kind: z.enum(['delivery', 'return']), quantity: z.number().int().positive(), due_on: z.string().date() }).strict();
const Amend = z.object({ due_on: z.string().date() }).strict();
const Fault = z.object({ reference: z.string().min(1).max(20), kind: z.enum(['delay', 'fail', 'reject']), days: z.number().int().min(1).max(60).optional() }).strict();

interface Row {
  reference: string;
  kind: 'delivery' | 'return';
  created_at: Date;
  due_on: Date | string;
  delay_days: number;
  fault: 'fail' | 'reject' | null;
}

export interface LogisticsAppOptions {
  core: Core;
  clock: SimClock;
  logger: Logger;
  calendar: WorkingCalendar;
  control: boolean;
  journals?: Journal[];
}

export function createLogisticsApp({ core, clock, logger, calendar, control, journals = [] }: LogisticsAppOptions): Express {
  const app = express();
  const journal = new Journal(core.config.http.journalSize);
  journals.push(journal);
  app.disable('x-powered-by');
  app.use(journal.middleware(clock), express.json({ limit: core.config.http.bodyLimitBytes }), requireJsonObject);
  const find = async (reference: string): Promise<Row> => {
    const [row] = await core.db.query<Row>('SELECT reference, kind, created_at, due_on::text AS due_on, delay_days, fault FROM carrier_shipment WHERE reference = $1', [reference]);
    if (!row) throw new NotFound('Shipment');
    return row;
  };
  const carrier = Router();
  carrier.post('/shipments', async (req, res) => {
    const s = parseInput(Register, req.body);
    await core.db.query('INSERT INTO carrier_shipment (reference, kind, quantity, due_on, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (reference) DO NOTHING', [s.reference, s.kind, s.quantity, s.due_on, clock.now()]);
    res.status(201).json({ result: { reference: s.reference } });
  });
  carrier.patch('/shipments/:reference', async (req, res) => {
    const { due_on } = parseInput(Amend, req.body);
    await find(String(req.params.reference));
    await core.db.query('UPDATE carrier_shipment SET due_on = $2 WHERE reference = $1', [req.params.reference, due_on]);
    res.json({ result: { reference: req.params.reference, due_on } });
  });
  carrier.get('/shipments/:reference', async (req, res) => {
    const row = await find(String(req.params.reference));
    if (row.fault === 'fail') throw new Unavailable('The carrier\'s tracking service is not answering', 'Try again later.');
    const shipment: Shipment = { reference: row.reference, kind: row.kind, createdAt: row.created_at, dueOn: new Date(`${String(row.due_on)}T00:00:00Z`), delayDays: row.delay_days, fault: row.fault };
    res.json({ result: { reference: row.reference, kind: row.kind, events: shipmentEvents(shipment, clock.now(), calendar) } });
  });
  app.use('/carrier', carrier);
  if (control) {
    app.post('/__sim/faults', async (req, res) => {
      const fault = parseInput(Fault, req.body);
      await find(fault.reference);
      if (fault.kind === 'delay') await core.db.query('UPDATE carrier_shipment SET delay_days = delay_days + $2 WHERE reference = $1', [fault.reference, fault.days ?? 1]);
      else await core.db.query('UPDATE carrier_shipment SET fault = $2 WHERE reference = $1', [fault.reference, fault.kind]);
      res.status(201).json({ result: fault });
    });
    app.delete('/__sim/faults/:reference', async (req, res) => {
      await core.db.query('UPDATE carrier_shipment SET delay_days = 0, fault = NULL WHERE reference = $1', [req.params.reference]);
      res.status(204).end();
    });
  }
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
