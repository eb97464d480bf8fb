/**
 * User and role administration (ACC-02, ACC-03, ACC-04, UEPT-FSM-04): list, create, change roles, deactivate and reinstate accounts of the own party; migration review. Mounted at /portal/users.
 */
import { Router } from 'express';
import type { Core } from '../services/context';
import type { Handlers, PortalServices } from './router';

export function userPages(_core: Core, _handlers: Handlers, _services: PortalServices): Router {
  const router = Router();
  return router;
}
