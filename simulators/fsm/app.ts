/**
 * The FSM platform simulator as an Express app: the ServiceNow-shaped REST API, the login API and,
 * unless disabled, the control API. It never listens by itself; start.ts does.
 */
import express, { type Express, type Request, type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import type { SimClock } from '../domain/clock';
import { controlRouter } from '../http/control';
import { errorHandler, notFoundHandler, requireJsonObject } from '../http/errors';
import { serviceNowFormats, xmlBodies } from '../http/formats';
import { Journal } from '../http/journal';
import { TRUSTED_PROXIES } from '../http/origin';
import type { SimConfig } from '../config';
import type { Services } from '../services';
import { authApi } from './auth-api';
import { authenticateApi, challenge, type IdpTokenVerifier } from './authenticate';
import type { Route } from '../domain/access';
import { attachmentApi } from './attachment-api';
import { catalogApi, contactsApi, requestsApi } from './catalog-api';
import { oauthRevokeApi, oauthTokenApi } from './oauth-api';
import { rateLimited } from './rate-limit';
import { omsApi } from './oms-api';
import { notificationsApi } from './notifications-api';
import { serviceDeskRouter } from '../http/service-desk';
import { tableApi } from './table-api';

export interface FsmAppOptions {
  config: SimConfig;
  /** The use cases, built once and shared by both routes' apps. */
  services: Services;
  clock: SimClock;
  logger: Logger;
  control: boolean;
  /** Every simulator's journal, so a reset clears them all; this app's is created here. */
  journals?: Journal[];
  /** The route this listener stands for (IAM-05): the DCC Gateway (default) or the internet. */
  route?: Route;
  verifyIdpToken?: IdpTokenVerifier;
  /** What GET /__sim/urls answers. */
  urls?: () => Record<string, unknown>;
  /** The portal for this route, composed in start.ts: it answers /portal and /{prefix} (the Service Portal's pages). */
  portal?: Router;
}

/** An attachment's bytes (`GET /api/now/attachment/{sys_id}/file`) are answered in their own type, whatever Accept says. */
const isDownload = (req: Request) => req.method === 'GET' && /^\/[^/]+\/file\/?$/.test(req.path);

export interface FsmApp {
  app: Express;
  journal: Journal;
}

export function createFsmApp({
  config,
  services,
  clock,
  logger,
  control,
  journals = [],
  route = 'gateway',
  verifyIdpToken,
  urls = () => ({}),
  portal,
}: FsmAppOptions): FsmApp {
  const app = express();
  const journal = new Journal(config.http.journalSize);
  journals.push(journal);
  app.disable('x-powered-by');
  // ServiceNow's REST APIs send no ETag (their documented headers are X-Total-Count and Link), and every page is no-store.
  app.set('etag', false);
  app.set('trust proxy', TRUSTED_PROXIES);
  app.set('query parser', 'simple');
  app.use(journal.middleware(clock));

  if (control)
    app.use('/__sim', controlRouter({ simulator: services.simulator, clock, journals, urls }, config.http.bodyLimitBytes, journal));

  const { requests, oms } = services;
  // ServiceNow's rate limits count each authenticated request, when configured; otherwise nothing is mounted.
  const limits = services.rateLimits.enabled ? [rateLimited(services.rateLimits)] : [];
  const guarded = (auth: RequestHandler) => [auth, ...limits];
  const authenticated = guarded(authenticateApi(services, route, verifyIdpToken));
  // Attachments carry their own bytes: mounted before the JSON parser, which must not read them.
  app.use(
    '/api/now/attachment',
    serviceNowFormats(isDownload),
    authenticated,
    attachmentApi(services.attachments, services.records, config),
  );
  const api = express.Router();
  // ServiceNow's own APIs answer and read XML too; DCC's scripted APIs (x_dcc) and the control API speak JSON.
  api.use(['/now/table', '/now/v1/table', '/now/v2/table', '/sn_sc/servicecatalog'], serviceNowFormats());
  api.use(express.json({ limit: config.http.bodyLimitBytes }), ...xmlBodies(config.http.bodyLimitBytes), requireJsonObject);
  api.use('/x_dcc/auth', authApi(config, services, route, verifyIdpToken));
  api.use('/x_dcc/notifications', authenticated, notificationsApi(services.notifications));
  // The Table API reads a session in the statement that reads or writes its records (one round trip).
  const deferred = guarded(authenticateApi(services, route, verifyIdpToken, { deferSessions: true }));
  api.use('/now/table', deferred, tableApi(services.records, config));
  api.use('/now/v2/table', deferred, tableApi(services.records, config));
  api.use('/now/v1/table', deferred, tableApi(services.records, config, 1));
  api.use('/sn_sc/servicecatalog', authenticated, catalogApi(requests));
  api.use('/x_dcc/requests', authenticated, requestsApi(requests));
  api.use('/x_dcc/contacts', authenticated, contactsApi(services.contacts));
  api.use('/x_dcc/oms', authenticated, omsApi(oms));
  app.use('/api', api);
  // A 401 of the REST API carries ServiceNow's challenge, wherever it was refused (at sign-in or in a use case).
  app.use('/api', challenge);
  // The API comes first (its requests are most of them), then the pages and the rest: their paths are disjoint.
  if (portal) {
    app.get('/', (_req, res) => res.redirect(`/${config.portal.prefix}`));
    app.use(portal);
  }
  if (control) app.use('/__sim', serviceDeskRouter(config, services));
  app.use('/oauth_token.do', oauthTokenApi(services.integrationAuth, config.http.bodyLimitBytes));
  app.use('/oauth_revoke_token.do', oauthRevokeApi(services.integrationAuth, config.http.bodyLimitBytes));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return { app, journal };
}
