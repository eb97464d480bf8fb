/**
 * DCC's service desk as a test persona, on the control API. `POST /__sim/incidents/{sys_id}` takes
 * the Table API's fields (state, on_hold_reason, close_notes, comments, work_notes) for any party's
 * incident; `POST /__sim/requests/{sys_id}` fulfils, closes or rejects a request item;
 * `POST /__sim/quarantine` raises a quarantine incident for a party, awaiting its Quarantine Command Action.
 */
import express, { Router } from 'express';
import type { SimConfig } from '../config';
import type { Services } from '../services';
import { z } from 'zod';
import { SYS_ID } from '../domain/ids';
import { EUI64 } from '../domain/party';
import { parseInput } from '../services/validate';
import { requireJsonObject } from './errors';

const Devices = z
  .object({
    party_id: z.string().regex(SYS_ID),
    variant: z.string().max(20),
    device_ids: z.array(z.string().regex(EUI64, 'must be an EUI-64 such as 00-1B-C5-0C-00-00-00-01')).min(1).max(1000),
  })
  .strict();

export function serviceDeskRouter(config: SimConfig, { incidents, requests, oms }: Services): Router {
  const router = Router();
  router.use(express.json({ limit: config.http.bodyLimitBytes }), requireJsonObject);
  router.post('/incidents/:sysId', async (req, res) => {
    const row = await incidents.serviceDesk(String(req.params.sysId), req.body);
    res.json({ result: { sys_id: row.sys_id, number: row.number, state: String(row.state), on_hold_reason: row.on_hold_reason ?? '' } });
  });
  router.post('/requests/:sysId', async (req, res) => {
    const item = await requests.desk.decide(String(req.params.sysId), req.body);
    res.json({ result: { sys_id: item.sys_id, number: item.number, state: item.state } });
  });
  router.post('/quarantine', async (req, res) => {
    res.status(201).json({ result: await requests.desk.raiseQuarantine(req.body) });
  });
  /** DCC approves or rejects an order's tolerance exception (OMS-03). */
  router.post('/oms/orders/:sysId', async (req, res) => {
    res.json({ result: await oms.orders.decide(String(req.params.sysId), req.body) });
  });
  /** Hubs installed at a party's premises, so that it can return them (OMS-07). */
  router.post('/oms/devices', async (req, res) => {
    const input = parseInput(Devices, req.body);
    await oms.hubs.install(input.party_id, input.variant, input.device_ids);
    res.status(201).json({ result: { added: input.device_ids.length } });
  });
  /** DCC's engineers overrule the triage of a return the carrier delivered to them (OMS-09). */
  router.post('/oms/returns/:sysId/triage', async (req, res) => {
    res.json({ result: await oms.returns.triageAgain(String(req.params.sysId), req.body) });
  });
  return router;
}
