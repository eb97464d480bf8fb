/**
 * The composition root: builds the store, the one clock and the configuration, creates each
 * simulator's app and listens on loopback. Used by the CLI, the cucumber hooks and the tests.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { loadSimConfig, type SimConfig } from './config';
import { SimClock } from './domain/clock';
import { RoleCatalogue } from './domain/roles';
import { createFsmApp } from './fsm/app';
import { servedAt } from './http/origin';
import { localTls } from './http/tls';
import { close, listen, urlOf } from './listeners';
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
import { entraPaths } from './idp/entra';
import type { Db, DbOptions } from './store/db';
import { openMigrated } from './store/migrate';
import { harnessMessage } from '../clients/messages';

export interface StartOptions extends DbOptions {
  host?: string;
  fsmPort?: number;
  /** The platform's internet route (IAM-05); the main port is the DCC Gateway route. */
  internetPort?: number;
  idpPort?: number;
  logisticsPort?: number;
  /** https ports of the platform (Gateway route) and of DCC Identity. */
  fsmHttpsPort?: number;
  idpHttpsPort?: number;
  /** Where the local CA is kept (made on first start); none means a directory of this run's own, removed at stop. */
  tlsDir?: string;
  control?: boolean;
  config?: SimConfig;
  configFile?: string;
  logLevel?: pino.LevelWithSilent;
  /** Appends the log to this file instead of standard output (a harness run keeps its console for the run's progress). */
  logFile?: string;
  /**
   * The store, already opening (openMigrated with these options): `fsm-harness sim` starts it before
   * these modules load. The simulators own it from here: they close it at stop, or when they fail to start.
   */
  opening?: Promise<Db>;
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
  /** The FSM platform (Gateway route) and DCC Identity over https, with a certificate from the local CA (`caPath`). */
  fsmHttps: string;
  idpHttps: string;
}

export interface Simulators {
  urls: SimulatorUrls;
  core: Core;
  /** The use cases the apps were given, for tests and benchmarks that act as the platform does. */
  services: Services;
  clock: SimClock;
  logger: Logger;
  /** Issuer URL of each identity provider tenant, by tenant name (http; `idpHttpsIssuers` over https). */
  idpIssuers: Record<string, string>;
  idpHttpsIssuers: Record<string, string>;
  /** The local CA's certificate (PEM): what a client trusts to reach the https URLs (NODE_EXTRA_CA_CERTS). */
  caPath: string;
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
  // The database opens in its own thread (PGlite) or over its sockets while the rest is set up.
  const opening = options.opening ?? openMigrated(options);
  opening.catch(() => undefined); // awaited below, in the try; meanwhile its failure is not unhandled
  const servers: Server[] = [];
  let removeTlsDir = (): void => undefined;
  try {
    const config = options.config ?? loadSimConfig(options.configFile);
    const logOptions = { level: options.logLevel ?? 'warn', redact: ['req.headers.authorization', '*.password', '*.code'] };
    const logger = options.logFile
      ? pino(logOptions, pino.destination({ dest: options.logFile, mkdir: true, sync: true }))
      : pino(logOptions);
    const roles = loadRoleCatalogue(config.roleCataloguePath);
    const signingKey = newIdpSigningKey();
    const clock = new SimClock();
    const host = options.host ?? '127.0.0.1';
    const tlsDir = options.tlsDir ?? mkdtempSync(join(tmpdir(), 'fsm-sim-tls-'));
    if (!options.tlsDir) removeTlsDir = () => rmSync(tlsDir, { recursive: true, force: true });
    const tls = localTls(tlsDir, host);
    // Listen first: the identity provider's issuer and the mailbox URL need the real ports.
    const [gatewayServer, internetServer, idpServer, logisticsServer, gatewayTlsServer, idpTlsServer] = await Promise.all([
      listen(host, options.fsmPort ?? 0),
      listen(host, options.internetPort ?? 0),
      listen(host, options.idpPort ?? 0),
      listen(host, options.logisticsPort ?? 0),
      listen(host, options.fsmHttpsPort ?? 0, tls),
      listen(host, options.idpHttpsPort ?? 0, tls),
    ]);
    servers.push(gatewayServer, internetServer, idpServer, logisticsServer, gatewayTlsServer, idpTlsServer);
    const db = await opening;
    const urls: SimulatorUrls = {
      fsm: urlOf(gatewayServer, host),
      fsmInternet: urlOf(internetServer, host),
      idp: urlOf(idpServer, host),
      logistics: urlOf(logisticsServer, host),
      fsmHttps: urlOf(gatewayTlsServer, host, 'https'),
      idpHttps: urlOf(idpTlsServer, host, 'https'),
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
    const idpOptions = { config, services, clock, logger, journals, signingKey: await signingKey };
    const idp = createIdpApp({ ...idpOptions, baseUrl: urls.idp, control });
    // The same tenants at the https origin: their own issuers, the same storage and keys (read from the http origin, in-process).
    const idpTls = createIdpApp({ ...idpOptions, baseUrl: urls.idpHttps, control: false });
    const issuers = [...idp.tenants, ...idpTls.tenants].map(({ issuer, tenant }) => ({
      issuer,
      tenantId: tenant.id,
      jwksUri: `${urls.idp}${entraPaths(tenant.id).jwks}`,
    }));
    const verifyIdpToken = idpTokenVerifier(services.sessions, config, () => issuers);
    const idpIssuers = Object.fromEntries(idp.tenants.map((t) => [t.tenant.name, t.issuer]));
    const idpHttpsIssuers = Object.fromEntries(idpTls.tenants.map((t) => [t.tenant.name, t.issuer]));
    const allUrls = () => ({ ...urls, idpIssuers, idpHttpsIssuers, caPath: tls.caPath });
    // The portal is a client of each tenant, registered again when a reset has emptied the store.
    const portalSecret = randomBytes(32).toString('base64url');
    const redirectUris = [portalCallback(urls.fsm), portalCallback(urls.fsmInternet), portalCallback(urls.fsmHttps)];
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
    const fsmApp = { config, services, clock, logger, journals, verifyIdpToken };
    const platform = (url: string, app: ReturnType<typeof createFsmApp>) => servedAt(url, app.app);
    gatewayServer.on(
      'request',
      platform(urls.fsm, createFsmApp({ ...fsmApp, control, urls: allUrls, portal: portal(urls.fsm, 'gateway') })),
    );
    gatewayTlsServer.on(
      'request',
      platform(urls.fsmHttps, createFsmApp({ ...fsmApp, control: false, portal: portal(urls.fsmHttps, 'gateway') })),
    );
    internetServer.on(
      'request',
      platform(
        urls.fsmInternet,
        createFsmApp({ ...fsmApp, control: false, route: 'internet', portal: portal(urls.fsmInternet, 'internet') }),
      ),
    );
    idpServer.on('request', servedAt(urls.idp, idp.app));
    idpTlsServer.on('request', servedAt(urls.idpHttps, idpTls.app));
    logisticsServer.on(
      'request',
      servedAt(
        urls.logistics,
        createLogisticsApp({ config, shipments: new LogisticsService(db, clock, core.calendar), clock, logger, control, journals }),
      ),
    );
    // DCC Identity's providers are built just after start-up returns and the URL line is out (loading
    // oidc-provider takes 0.3-0.4 s): a request that comes first builds its tenant's itself.
    setImmediate(() => {
      for (const [origin, app] of [[urls.idp, idp] as const, [urls.idpHttps, idpTls] as const]) {
        try {
          app.warm();
        } catch (error) {
          // Said now, and again to each request that needs the provider (a 500 with the same cause).
          logger.error({ err: error }, `DCC Identity at ${origin} could not build its tenants`);
        }
      }
    });
    return {
      urls,
      core,
      services,
      clock,
      logger,
      idpIssuers,
      idpHttpsIssuers,
      caPath: tls.caPath,
      async stop() {
        await core.settled();
        await Promise.all(servers.map(close));
        await db.close();
        removeTlsDir();
      },
    };
  } catch (error) {
    await Promise.all(servers.map(close));
    await opening.then((db) => db.close()).catch(() => undefined);
    removeTlsDir();
    throw error;
  }
}
