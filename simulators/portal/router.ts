/**
 * The FSM portal: server-rendered pages over the same use cases as the REST API, mounted at the root.
 * The pages people browse are the Service Portal's, at /{prefix}?id=page (ServiceNow's scheme); the
 * forms, sign-in and the OMS and user pages are under /portal. Security headers on every response, a
 * CSRF token on every form, sessions by cookie. Each area of the platform is a router of its own (and
 * registers its Service Portal pages by id); this module composes them in one table.
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
import { knowledgePages } from './knowledge-pages';
import { omsPages } from './oms-pages';
import { requestPages } from './request-pages';
import { userPages } from './user-pages';
import type { Services } from '../services';
import { securityHeaders } from '../http/security-headers';
import { PortalSessions } from './session';
import { spRouter, type SpPage } from './sp-router';

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
  const prefix = config.portal.prefix;
  const sessions = new PortalSessions(services.sessions, services.roles, route, prefix);
  const handlers = portalHandlers(sessions);
  const home = homePages(prefix, services, handlers, tenantOf);
  const incidents = incidentPages(config, handlers, services);
  const requests = requestPages(config, handlers, services);
  const knowledge = knowledgePages(config, services);
  const pages = new Map<string, SpPage>([...home.pages, ...incidents.pages, ...requests.pages, ...knowledge.pages]);
  const notFound: express.RequestHandler = (req, _res, next) =>
    next(
      new DomainError('no_page', 404, 'Page not found', `There is no portal page at ${req.originalUrl.split('?')[0] ?? ''}. Use the menu.`),
    );

  const forms = Router();
  forms.use(securityHeaders, express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  forms.use(authPages(config, services, sessions, route, identityLinks));
  forms.use(home.router);
  forms.use('/incidents', incidents.router);
  forms.use(requests.router);
  forms.use(knowledge.router);
  forms.use('/users', userPages(config, handlers, services));
  forms.use('/oms', omsPages(config, handlers, services));
  for (const r of extra?.(sessions, handlers) ?? []) forms.use(r);
  forms.use(notFound, portalErrorHandler(logger, sessions));

  const sp = Router();
  sp.use(securityHeaders, spRouter(pages, handlers), notFound, portalErrorHandler(logger, sessions));

  const router = Router();
  router.use('/portal', forms);
  router.use(`/${prefix}`, sp);
  return router;
}
