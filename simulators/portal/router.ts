/**
 * The FSM portal: server-rendered pages over the same use cases as the REST API, under /portal.
 * Security headers on every response, a CSRF token on every form, sessions by cookie. Each area of
 * the platform is a router of its own; this module composes them in one table.
 */
import express, { Router } from 'express';
import type { Logger } from 'pino';
import type { Route } from '../domain/access';
import { DomainError } from '../domain/errors';
import type { SimConfig } from '../config';
import { authPages, type IdentityLink } from './auth-pages';
import { portalErrorHandler, portalHandlers } from './handlers';
import { homePages } from './home-pages';
import { incidentPages } from './incident-pages';
import { omsPages } from './oms-pages';
import { requestPages } from './request-pages';
import { userPages } from './user-pages';
import type { Services } from '../services';
import { securityHeaders } from '../http/security-headers';
import { PortalSessions } from './session';

export interface PortalOptions {
  config: SimConfig;
  logger: Logger;
  /** The use cases the REST API runs, shared so that no rule is written twice. */
  services: Services;
  route: Route;
  /** The DCC Identity tenants people may sign in through, as links on the sign-in page. */
  identityLinks?: () => IdentityLink[];
  /** The tenant name of a DCC Identity issuer. */
  tenantOf?: (issuer: string) => string | undefined;
  /** More routers, mounted after the built-in ones (the Entra sign-in, say), given the portal's sessions. */
  extra?: (sessions: PortalSessions, handlers: ReturnType<typeof portalHandlers>) => Router[];
}

export function portalRouter({
  config,
  logger,
  services,
  route,
  identityLinks = () => [],
  tenantOf = () => undefined,
  extra,
}: PortalOptions): Router {
  const sessions = new PortalSessions(services.sessions, services.roles, route);
  const handlers = portalHandlers(sessions);
  const router = Router();
  router.use(securityHeaders, express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  router.use(authPages(config, services, sessions, route, identityLinks));
  router.use(homePages(services, handlers, tenantOf));
  router.use('/incidents', incidentPages(config, handlers, services));
  router.use(requestPages(config, handlers, services));
  router.use('/users', userPages(config, handlers, services));
  router.use('/oms', omsPages(config, handlers, services));
  for (const r of extra?.(sessions, handlers) ?? []) router.use(r);
  router.use((req, _res, next) =>
    next(new DomainError('no_page', 404, 'Page not found', `There is no portal page at ${req.path}. Use the menu.`)),
  );
  router.use(portalErrorHandler(logger, sessions));
  return router;
}
