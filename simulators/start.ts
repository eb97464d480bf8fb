/**
 * The composition root: builds the store, the one clock and the configuration, creates each
 * simulator's app and listens on loopback. Used by the CLI, the cucumber hooks and the tests.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { loadSimConfig, type SimConfig } from './config';
import { SimClock } from './domain/clock';
import { RoleCatalogue } from './domain/roles';
import { createFsmApp } from './fsm/app';
import { answerClientError } from './http/errors';
import { servedAt } from './http/origin';
import type { Journal } from './http/journal';
import type { Core } from './services/context';
import { buildCore } from './services/core';
import { buildServices, type Services } from './services';
import { idpTokenVerifier } from './fsm/idp-tokens';
import { createIdpApp, newIdpSigningKey, registerClient } from './idp/app';
import { identityLinks, identitySignIn, portalCallback } from './portal/identity-sign-in';
import type { Route } from './domain/access';
import { portalRouter } from './portal/router';
import { createLogisticsApp } from './logistics/app';
import { LogisticsService } from './services/logistics';
import { entraPaths } from './idp/provider';
import type { DbOptions } from './store/db';
import { openMigrated } from './store/migrate';
import { harnessMessage } from '../clients/messages';

export interface StartOptions extends DbOptions {
  host?: string;
  fsmPort?: number;
  /** The platform's internet route (IAM-05); the main port is the DCC Gateway route. */
  internetPort?: number;
  idpPort?: number;
  logisticsPort?: number;
  control?: boolean;
  config?: SimConfig;
  configFile?: string;
  logLevel?: pino.LevelWithSilent;
  /** Appends the log to this file instead of standard output (a harness run keeps its console for the run's progress). */
  logFile?: string;
}

export interface SimulatorUrls {
  /** The FSM platform by the DCC Gateway route, with the control API. */
  fsm: string;
  /** The FSM platform by the internet route. */
  fsmInternet: string;
  /** The DCC Identity Provider Service (Entra-like), both tenants. */
  idp: string;
  /** The CH logistics simulator: carrier and warehouse. */
  logistics: string;
}

export interface Simulators {
  urls: SimulatorUrls;
  core: Core;
  /** The use cases the apps were given, for tests and benchmarks that act as the platform does. */
  services: Services;
  clock: SimClock;
  logger: Logger;
  /** Issuer URL of each identity provider tenant, by tenant name. */
  idpIssuers: Record<string, string>;
  stop(): Promise<void>;
}

export function loadRoleCatalogue(path: string): RoleCatalogue {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(harnessMessage(`Cannot read the role catalogue ${path}: ${(error as Error).message}`));
  }
  return RoleCatalogue.from(raw, path);
}

export async function startSimulators(options: StartOptions = {}): Promise<Simulators> {
  const config = options.config ?? loadSimConfig(options.configFile);
  const logOptions = { level: options.logLevel ?? 'warn', redact: ['req.headers.authorization', '*.password', '*.code'] };
  const logger = options.logFile
    ? pino(logOptions, pino.destination({ dest: options.logFile, mkdir: true, sync: true }))
    : pino(logOptions);
  const roles = loadRoleCatalogue(config.roleCataloguePath);
  const signingKey = newIdpSigningKey();
  const db = await openMigrated(options);
  const clock = new SimClock();
  const host = options.host ?? '127.0.0.1';
  const servers: Server[] = [];
  try {
    // Listen first: the identity provider's issuer and the mailbox URL need the real ports.
    const [gatewayServer, internetServer, idpServer, logisticsServer] = await Promise.all([
      listen(host, options.fsmPort ?? 0),
      listen(host, options.internetPort ?? 0),
      listen(host, options.idpPort ?? 0),
      listen(host, options.logisticsPort ?? 0),
    ]);
    servers.push(gatewayServer, internetServer, idpServer, logisticsServer);
    const urls: SimulatorUrls = {
      fsm: urlOf(gatewayServer, host),
      fsmInternet: urlOf(internetServer, host),
      idp: urlOf(idpServer, host),
      logistics: urlOf(logisticsServer, host),
    };
    const core = buildCore({
      db,
      clock,
      config,
      roles,
      logger,
      ownMailbox: () => `${urls.fsm}/__sim/mailbox`,
      carrierUrl: () => urls.logistics,
    });
    const services = buildServices(core);
    await services.knowledge.seed();
    const journals: Journal[] = [];
    const control = options.control ?? true;
    const idp = createIdpApp({ config, services, clock, logger, baseUrl: urls.idp, control, journals, signingKey: await signingKey });
    const issuers = idp.tenants.map(({ issuer, tenant }) => ({ issuer, jwksUri: `${urls.idp}${entraPaths(tenant.id).jwks}` }));
    const verifyIdpToken = idpTokenVerifier(services.sessions, config, () => issuers);
    const idpIssuers = Object.fromEntries(idp.tenants.map((t) => [t.tenant.name, t.issuer]));
    const allUrls = () => ({ ...urls, idpIssuers });
    // The portal is a client of each tenant, registered again when a reset has emptied the store.
    const portalSecret = randomBytes(32).toString('base64url');
    const redirectUris = [portalCallback(urls.fsm), portalCallback(urls.fsmInternet)];
    const ensureClient = async (tenant: string) => {
      const client = await registerClient(services.directory, idp.tenants, {
        tenant: tenant as 'production',
        client_id: 'fsm-portal',
        client_secret: portalSecret,
        redirect_uris: redirectUris,
      });
      return { issuer: client.issuer, clientId: client.client_id, clientSecret: portalSecret };
    };
    const tenantNames = idp.tenants.map((t) => t.tenant.name);
    // The portal, one per route: pages over the same services, with DCC Identity's sign-in (the Entra path, IAM-03).
    const portal = (baseUrl: string, route: Route) =>
      portalRouter({
        config,
        logger,
        services,
        route,
        identityLinks: () => identityLinks(tenantNames),
        tenantOf: (issuer) => idp.tenants.find((t) => t.issuer === issuer)?.tenant.name,
        extra: (sessions) => [
          identitySignIn(sessions, { tenants: tenantNames, baseUrl, ensureClient, verifyIdpToken, timeoutMs: config.idp.timeoutMs }),
        ],
      });
    gatewayServer.on(
      'request',
      servedAt(
        urls.fsm,
        createFsmApp({
          config,
          services,
          clock,
          logger,
          control,
          journals,
          verifyIdpToken,
          urls: allUrls,
          portal: portal(urls.fsm, 'gateway'),
        }).app,
      ),
    );
    internetServer.on(
      'request',
      servedAt(
        urls.fsmInternet,
        createFsmApp({
          config,
          services,
          clock,
          logger,
          control: false,
          journals,
          route: 'internet',
          verifyIdpToken,
          portal: portal(urls.fsmInternet, 'internet'),
        }).app,
      ),
    );
    idpServer.on('request', servedAt(urls.idp, idp.app));
    logisticsServer.on(
      'request',
      servedAt(
        urls.logistics,
        createLogisticsApp({ config, shipments: new LogisticsService(db, clock, core.calendar), clock, logger, control, journals }),
      ),
    );
    return {
      urls,
      core,
      services,
      clock,
      logger,
      idpIssuers,
      async stop() {
        await core.settled();
        await Promise.all(servers.map(close));
        await db.close();
      },
    };
  } catch (error) {
    await Promise.all(servers.map(close));
    await db.close();
    throw error;
  }
}

function listen(host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('clientError', answerClientError);
    server.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(harnessMessage(`Port ${port} on ${host} is in use. Choose another, or 0 for a free one.`))
          : error,
      ),
    );
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function urlOf(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
