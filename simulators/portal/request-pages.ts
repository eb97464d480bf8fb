/**
 * Service catalogue and requests (SM-04, SM-05, SM-06, SM-08): order items, upload signed ADT and Quarantine Command Action files, knowledge search, nominated contacts. Mounted at /portal (paths /catalog, /requests, /knowledge, /contacts).
 */
import { Router } from 'express';
import type { Core } from '../services/context';
import type { Handlers, PortalServices } from './router';

export function requestPages(_core: Core, _handlers: Handlers, _services: PortalServices): Router {
  const router = Router();
  return router;
}
