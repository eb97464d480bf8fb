/**
 * DCC's service desk as a test persona, on the control API. `POST /__sim/incidents/{sys_id}` takes
 * the Table API's fields (state, on_hold_reason, close_notes, comments, work_notes) for any party's
 * incident; `POST /__sim/requests/{sys_id}` fulfils, closes or rejects a request item;
 * `POST /__sim/quarantine` raises a quarantine incident for a party, awaiting its Quarantine Command Action.
 */
import express, { Router } from 'express';
import type { Core } from '../services/context';
import type { IncidentService } from '../services/incidents';
import type { RequestService } from '../services/requests';
import { requireJsonObject } from './errors';

export function serviceDeskRouter(core: Core, incidents: IncidentService, requests: RequestService): Router {
  const router = Router();
  router.use(express.json({ limit: core.config.http.bodyLimitBytes }), requireJsonObject);
  router.post('/incidents/:sysId', async (req, res) => {
    const row = await incidents.serviceDesk(String(req.params.sysId), req.body);
    res.json({ result: { sys_id: row.sys_id, number: row.number, state: String(row.state), on_hold_reason: row.on_hold_reason ?? '' } });
  });
  router.post('/requests/:sysId', async (req, res) => {
    const item = await requests.serviceDesk(String(req.params.sysId), req.body);
    res.json({ result: { sys_id: item.sys_id, number: item.number, state: item.state } });
  });
  router.post('/quarantine', async (req, res) => {
    res.status(201).json({ result: await requests.raiseQuarantine(req.body) });
  });
  return router;
}
