/**
 * Incidents (SM-01, SM-02, SM-03, UEPT-FSM-02, UEPT-FSM-03): list and filter, raise, view, comment, attach, confirm or reject a resolution. Mounted at /portal/incidents.
 */
import { Router } from 'express';
import type { Core } from '../services/context';
import type { Handlers, PortalServices } from './router';

export function incidentPages(_core: Core, _handlers: Handlers, _services: PortalServices): Router {
  const router = Router();
  return router;
}
