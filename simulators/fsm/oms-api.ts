/**
 * The OMS API of the FSM platform (`/api/x_dcc/oms`): stock, forecasts, orders, consignments and
 * deliveries, returns, CH transfers to the party. Handlers only translate HTTP; the rules are in the
 * OMS services. A consignment's or return's GET runs the carrier sync first (an explicit, idempotent
 * step, as incidents' sweep before the Table API's reads), then a read that changes nothing.
 */
import { Router, type Response } from 'express';
import type { OmsService } from '../services/oms';
import { callerOf } from './authenticate';

const send = (res: Response, result: unknown, status = 200) => void res.status(status).json({ result });

export function omsApi({ orders, deliveries, returns, transfers, hubs }: OmsService): Router {
  const router = Router();
  router.get('/stock', async (_req, res) => send(res, await hubs.stock(callerOf(res))));
  router.post('/forecasts', async (req, res) => send(res, await orders.submitForecast(callerOf(res), req.body), 201));
  router.post('/orders', async (req, res) => send(res, await orders.place(callerOf(res), req.body), 201));
  router.post('/orders/:sysId/confirm', async (req, res) => send(res, await orders.confirm(callerOf(res), String(req.params.sysId))));
  router.get('/consignments/:sysId', async (req, res) => {
    const events = await deliveries.sync(callerOf(res), String(req.params.sysId));
    send(res, { ...(await deliveries.consignment(callerOf(res), String(req.params.sysId))), events });
  });
  router.post('/consignments/:sysId/amend', async (req, res) =>
    send(res, await deliveries.amend(callerOf(res), String(req.params.sysId), req.body)),
  );
  router.post('/consignments/:sysId/confirm', async (req, res) =>
    send(res, await deliveries.confirm(callerOf(res), String(req.params.sysId))),
  );
  router.post('/consignments/:sysId/respond', async (req, res) =>
    send(res, await deliveries.respond(callerOf(res), String(req.params.sysId), req.body)),
  );
  router.post('/returns', async (req, res) => send(res, await returns.raise(callerOf(res), req.body), 201));
  router.get('/returns/:sysId', async (req, res) => {
    const events = await returns.sync(callerOf(res), String(req.params.sysId));
    send(res, { ...(await returns.progress(callerOf(res), String(req.params.sysId))), events });
  });
  router.get('/transfers', async (_req, res) => send(res, await transfers.incoming(callerOf(res))));
  router.post('/transfers/:sysId/accept', async (req, res) =>
    send(res, await transfers.answer(callerOf(res), String(req.params.sysId), true)),
  );
  router.post('/transfers/:sysId/reject', async (req, res) =>
    send(res, await transfers.answer(callerOf(res), String(req.params.sysId), false)),
  );
  return router;
}
