/**
 * The DCC Identity Provider Service simulator as an Express app on its own origin: a production and a
 * non-production tenant (IAM-06), each an oidc-provider instance at Entra's paths, their sign-in pages,
 * and a control API to register clients. It never listens by itself; start.ts does.
 */
import { generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import express, { Router, type Express } from 'express';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SimClock } from '../domain/clock';
import { InvalidInput } from '../domain/errors';
import { errorHandler, notFoundHandler, requireJsonObject } from '../http/errors';
import { Journal } from '../http/journal';
import { TRUSTED_PROXIES } from '../http/origin';
import { securityHeaders } from '../http/security-headers';
import type { SimConfig } from '../config';
import type { Services } from '../services';
import type { DirectoryService } from '../services/directory';
import { parseInput } from '../services/validate';
import { interactionRouter } from './interactions';
import { entraPaths, instanceDiscovery, type Tenant } from './entra';

export interface IdpAppOptions {
  config: SimConfig;
  /** Sign-in (the same checks as the platform's own) and the accounts and storage DCC Identity reads. */
  services: Pick<Services, 'login' | 'directory'>;
  clock: SimClock;
  logger: Logger;
  baseUrl: string;
  control: boolean;
  journals?: Journal[];
  /** The tenants' signing key (newIdpSigningKey): made before, while the rest of start-up goes on. */
  signingKey: KeyObject;
}

/** An RSA key for signing tokens, made off the main thread. Keys live as long as the process: tokens from an earlier run are not meant to verify. */
export async function newIdpSigningKey(): Promise<KeyObject> {
  return (await promisify(generateKeyPair)('rsa', { modulusLength: 2048 })).privateKey;
}

export interface IdpApp {
  app: Express;
  /** Each tenant's provider is built when first asked for: loading oidc-provider takes 0.3-0.4 s of a start. */
  tenants: { tenant: Tenant; readonly provider: Provider; issuer: string }[];
  /** Builds every tenant's provider now (the simulators call it just after they listen). */
  warm(): void;
}

const ClientRegistration = z
  .object({
    tenant: z.enum(['production', 'non-production']),
    client_id: z
      .string()
      .regex(/^[A-Za-z0-9._-]{3,100}$/)
      .optional(),
    client_secret: z.string().min(32).max(200).optional(),
    redirect_uris: z.array(z.string().url()).min(1),
    post_logout_redirect_uris: z.array(z.string().url()).optional(),
    token_endpoint_auth_method: z.enum(['client_secret_basic', 'client_secret_post', 'none']).default('client_secret_basic'),
    grant_types: z.array(z.enum(['authorization_code', 'refresh_token'])).default(['authorization_code', 'refresh_token']),
  })
  .strict();

export function createIdpApp({ config, services, clock, logger, baseUrl, control, journals = [], signingKey }: IdpAppOptions): IdpApp {
  const app = express();
  const journal = new Journal(config.http.journalSize);
  journals.push(journal);
  app.disable('x-powered-by');
  app.set('trust proxy', TRUSTED_PROXIES);
  app.use(journal.middleware(clock));

  const cookieKeys = [randomBytes(32).toString('base64url')];
  const { login, directory } = services;
  const { production, nonProduction } = config.idp.tenants;
  const tenants = [
    { name: 'production', id: production },
    { name: 'non-production', id: nonProduction },
  ].map((tenant) => {
    let provider: Provider | undefined;
    const build = () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createTenantProvider } = require('./provider') as typeof import('./provider');
      return createTenantProvider(config, directory, tenant, baseUrl, signingKey, cookieKeys);
    };
    return {
      tenant,
      issuer: `${baseUrl}${entraPaths(tenant.id).issuerPath}`,
      get provider() {
        return (provider ??= build());
      },
    };
  });

  if (control) app.use('/__sim', idpControl(config, directory, tenants));
  app.use(
    instanceDiscovery(
      baseUrl,
      tenants.map((t) => t.tenant.id),
    ),
  );
  const routes = tenants.map((t) => {
    let built: { callback: ReturnType<Provider['callback']>; interaction: Router } | undefined;
    const usernameOf = async (accountId: string) => (await directory.entraClaims(accountId, t.tenant.id))?.preferred_username;
    const routesOf = () =>
      (built ??= {
        callback: t.provider.callback(),
        interaction: interactionRouter(t.provider, t.tenant, login, cookieKeys[0] ?? '', usernameOf),
      });
    const paths = entraPaths(t.tenant.id);
    // The sign-in pages show passwords and authenticator keys: the portal's headers (no framing, no caching).
    app.use(paths.interaction, securityHeaders, (req, res, next) => routesOf().interaction(req, res, next));
    // Entra serves discovery under the issuer (/{tenant}/v2.0/...); oidc-provider at its root.
    app.get(paths.discovery, (req, res) => {
      req.url = req.originalUrl = '/.well-known/openid-configuration';
      void routesOf().callback(req, res);
    });
    // Mounted without a path, so oidc-provider sees no mount point: its routes carry the tenant.
    app.use((req, res, next) => (req.path.startsWith(`/${t.tenant.id}/`) ? void routesOf().callback(req, res) : next()));
    return routesOf;
  });
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return { app, tenants, warm: () => routes.forEach((routesOf) => routesOf()) };
}

/** Registers a relying party with a tenant (the control API's, and the platform portal's own at start). */
export async function registerClient(directory: DirectoryService, tenants: IdpApp['tenants'], input: z.input<typeof ClientRegistration>) {
  const { tenant: name, ...metadata } = parseInput(ClientRegistration, input);
  const target = tenants.find((t) => t.tenant.name === name);
  if (!target) throw new InvalidInput(`Unknown tenant ${name}`);
  const client = {
    ...metadata,
    client_id: metadata.client_id ?? `client-${randomBytes(8).toString('hex')}`,
    ...(metadata.token_endpoint_auth_method === 'none'
      ? {}
      : { client_secret: metadata.client_secret ?? randomBytes(32).toString('base64url') }),
    response_types: ['code'] as ['code'],
  };
  try {
    await target.provider.Client.validate(client);
  } catch (error) {
    throw new InvalidInput(
      `The client is not valid: ${(error as Error & { error_description?: string }).error_description ?? (error as Error).message}`,
    );
  }
  const Adapter = directory.storage(target.tenant.id);
  await new Adapter('Client').upsert(client.client_id, client, 0);
  return { ...client, issuer: target.issuer };
}

function idpControl(config: SimConfig, directory: DirectoryService, tenants: IdpApp['tenants']): Router {
  const router = Router();
  router.use(express.json({ limit: config.http.bodyLimitBytes }), requireJsonObject);
  /** Registers a relying party with a known client_id (dynamic registration, RFC 7591, is open too). */
  router.post('/clients', async (req, res) => {
    res.status(201).json({ result: await registerClient(directory, tenants, parseInput(ClientRegistration, req.body)) });
  });
  router.get('/tenants', (_req, res) => void res.json({ result: tenants.map((t) => ({ ...t.tenant, issuer: t.issuer })) }));
  return router;
}
