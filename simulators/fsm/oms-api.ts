/**
 * The OMS API of the FSM platform (`/api/x_dcc/oms`): stock, forecasts, orders, consignments and
 * deliveries, returns. Handlers only translate HTTP; the rules are in services/oms.ts.
 */
import { Router, type Response } from 'express';
import type { OmsService } from '../services/oms';
import { callerOf } from './authenticate';

const send = (res: Response, result: unknown, status = 200) => void res.status(status).json({ result });

export function omsApi(oms: OmsService): Router {
  const router = Router();
  router.get('/stock', async (_req, res) => send(res, await oms.stock(callerOf(res))));
  router.post('/forecasts', async (req, res) => send(res, await oms.submitForecast(callerOf(res), req.body), 201));
  router.post('/orders', async (req, res) => send(res, await oms.placeOrder(callerOf(res), req.body), 201));
  router.post('/orders/:sysId/confirm', async (req, res) => send(res, await oms.confirmOrder(callerOf(res), String(req.params.sysId))));
  router.get('/consignments/:sysId', async (req, res) => send(res, await oms.consignment(callerOf(res), String(req.params.sysId))));
  router.post('/consignments/:sysId/amend', async (req, res) => send(res, await oms.amendDelivery(callerOf(res), String(req.params.sysId), req.body)));
  router.post('/consignments/:sysId/confirm', async (req, res) => send(res, await oms.confirmDelivery(callerOf(res), String(req.params.sysId))));
  router.post('/consignments/:sysId/respond', async (req, res) => send(res, await oms.respondToDelivery(callerOf(res), String(req.params.sysId), req.body)));
  router.post('/returns', async (req, res) => send(res, await oms.raiseReturn(callerOf(res), req.body), 201));
  router.get('/returns/:sysId', async (req, res) => send(res, await oms.returnProgress(callerOf(res), String(req.params.sysId))));
  return router;
}
