/**
 * DCC's service desk as a test persona, on the control API: `POST /__sim/incidents/{sys_id}` with
 * the same fields as the Table API (state, on_hold_reason, close_notes, comments, work_notes,
 * assignment_group) works any party's incident as DCC would: assign, hold awaiting the caller, resolve.
 */
import express, { Router } from 'express';
import type { Core } from '../services/context';
import type { IncidentService } from '../services/incidents';
import { requireJsonObject } from './errors';

export function serviceDeskRouter(core: Core, incidents: IncidentService): Router {
  const router = Router();
  router.use(express.json({ limit: core.config.http.bodyLimitBytes }), requireJsonObject);
  router.post('/:sysId', async (req, res) => {
    const row = await incidents.serviceDesk(String(req.params.sysId), req.body);
    res.json({ result: { sys_id: row.sys_id, number: row.number, state: String(row.state), on_hold_reason: row.on_hold_reason ?? '' } });
  });
  return router;
}
