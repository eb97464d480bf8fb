/**
 * OMS (OMS-01..11, UEPT-FSM-05): stock, forecasts, orders and tolerance exceptions, consignments and deliveries, returns and triage, transfers. Mounted at /portal/oms.
 */
import { Router } from 'express';
import type { Core } from '../services/context';
import type { Handlers, PortalServices } from './router';

export function omsPages(_core: Core, _handlers: Handlers, _services: PortalServices): Router {
  const router = Router();
  return router;
}
