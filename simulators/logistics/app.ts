/**
 * The CH logistics simulator: the carrier and warehouse side, as its own Express app and origin. The
 * FSM platform registers consignments and returns here and reads their events over HTTP; tests make
 * the carrier fail, delay or reject a shipment through its control API (`/__sim/faults`).
 */
import express, { Router, type Express } from 'express';
import type { Logger } from 'pino';
import type { SimClock } from '../domain/clock';
import { errorHandler, notFoundHandler, requireJsonObject } from '../http/errors';
import { Journal } from '../http/journal';
import type { SimConfig } from '../config';
import type { LogisticsService } from '../services/logistics';

export interface LogisticsAppOptions {
  config: SimConfig;
  /** The carrier's and warehouse's use cases, over their own tables. */
  shipments: LogisticsService;
  clock: SimClock;
  logger: Logger;
  control: boolean;
  journals?: Journal[];
}

export function createLogisticsApp({ config, shipments, clock, logger, control, journals = [] }: LogisticsAppOptions): Express {
  const app = express();
  const journal = new Journal(config.http.journalSize);
  journals.push(journal);
  app.disable('x-powered-by');
  app.use(journal.middleware(clock), express.json({ limit: config.http.bodyLimitBytes }), requireJsonObject);
  const carrier = Router();
  carrier.post('/shipments', async (req, res) => void res.status(201).json({ result: await shipments.register(req.body) }));
  carrier.patch(
    '/shipments/:reference',
    async (req, res) => void res.json({ result: await shipments.amend(String(req.params.reference), req.body) }),
  );
  carrier.get('/shipments/:reference', async (req, res) => void res.json({ result: await shipments.track(String(req.params.reference)) }));
  app.use('/carrier', carrier);
  if (control) {
    app.post('/__sim/faults', async (req, res) => void res.status(201).json({ result: await shipments.injectFault(req.body) }));
    app.delete('/__sim/faults/:reference', async (req, res) => {
      await shipments.clearFaults(String(req.params.reference));
      res.status(204).end();
    });
  }
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
