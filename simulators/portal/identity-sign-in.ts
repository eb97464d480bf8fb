/**
 * Signing in to the portal through the DCC Identity Provider Service (IAM-03, the Entra path): the
 * portal is an OpenID Connect client of each tenant (openid-client: authorization code, PKCE S256,
 * state and nonce kept in a signed cookie). The access token it receives is checked exactly as the
 * REST API checks one (MFA in `amr`, an active account), then a portal session remembers the tenant.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import * as oidc from 'openid-client';
import { NotAuthenticated, NotFound } from '../domain/errors';
import type { IdpTokenVerifier } from '../fsm/authenticate';
import { identityUnavailable } from '../fsm/idp-tokens';
import type { IdentityLink } from './auth-pages';
import { cookies, type PortalSessions } from './session';

export interface PortalClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface IdentitySignInOptions {
  tenants: string[];
  /** This listener's own origin (the Gateway or the internet route), never taken from the Host header. */
  baseUrl: string;
  /** Registers (again, after a reset) the portal as a client of the tenant. */
  ensureClient: (tenant: string) => Promise<PortalClient>;
  verifyIdpToken: IdpTokenVerifier;
  /** How long to wait for DCC Identity's discovery document and token endpoint. */
  timeoutMs: number;
}

const FLOW_COOKIE = 'fsm_oidc';
const CALLBACK = '/login/identity/callback';

interface Flow {
  tenant: string;
  verifier: string;
  state: string;
  nonce: string;
}

/** Where DCC Identity sends the browser back to the portal of the listener at `baseUrl`. */
export function portalCallback(baseUrl: string): string {
  return `${baseUrl}/portal${CALLBACK}`;
}

export function identityLinks(tenants: string[]): IdentityLink[] {
  return tenants.map((t) => ({
    label: `Sign in through DCC Identity (${t} tenant)`,
    href: `/portal/login/identity/${encodeURIComponent(t)}`,
  }));
}

/** OAuth errors that say DCC Identity itself failed, and openid-client's codes for an answer that was no answer. */
const UPSTREAM_FAILURES = new Set(['server_error', 'temporarily_unavailable']);
const NO_ANSWER = new Set([
  'OAUTH_TIMEOUT',
  'OAUTH_ABORT',
  'OAUTH_RESPONSE_IS_NOT_CONFORM',
  'OAUTH_RESPONSE_IS_NOT_JSON',
  'OAUTH_PARSE_ERROR',
]);

/** DCC Identity could not be reached (network, timeout, 5xx, garbled), as opposed to refusing this sign-in. */
function unreachable(error: { name?: string; code?: unknown; error?: unknown }): boolean {
  if (typeof error.error === 'string') return UPSTREAM_FAILURES.has(error.error);
  // fetch's own failure is a TypeError without a code; openid-client's argument errors have one.
  return NO_ANSWER.has(String(error.code)) || (error.name === 'TypeError' && error.code === undefined);
}

export function identitySignIn(
  sessions: PortalSessions,
  { tenants, baseUrl, ensureClient, verifyIdpToken, timeoutMs }: IdentitySignInOptions,
): Router {
  const router = Router();
  const configs = new Map<string, Promise<{ config: oidc.Configuration; issuer: string }>>();
  const redirectUri = portalCallback(baseUrl);
  const sign = (value: string) => createHmac('sha256', sessions.csrfOf('oidc-flow')).update(value).digest('base64url');

  async function configOf(tenant: string) {
    const client = await ensureClient(tenant);
    if (!configs.has(client.issuer)) {
      const discovered = oidc.discovery(new URL(client.issuer), client.clientId, client.clientSecret, undefined, {
        execute: [oidc.allowInsecureRequests],
        timeout: timeoutMs / 1000,
      });
      // Only a discovery that succeeded is kept: DCC Identity down now must not mean down for good.
      const pending = discovered.then(
        (config) => ({ config, issuer: client.issuer }),
        () => {
          configs.delete(client.issuer);
          throw identityUnavailable();
        },
      );
      configs.set(client.issuer, pending);
    }
    return configs.get(client.issuer) as Promise<{ config: oidc.Configuration; issuer: string }>;
  }

  router.get(CALLBACK, (req, res) => callback(req, res));
  router.get('/login/identity/:tenant', async (req, res) => {
    const tenant = String(req.params.tenant);
    if (!tenants.includes(tenant)) throw new NotFound('DCC Identity tenant');
    const { config } = await configOf(tenant);
    const flow: Flow = { tenant, verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
    const value = Buffer.from(JSON.stringify(flow)).toString('base64url');
    res.append('Set-Cookie', `${FLOW_COOKIE}=${value}.${sign(value)}; Path=/portal/login/identity; HttpOnly; SameSite=Lax; Max-Age=900`);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email fsm',
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    res.redirect(303, url.href);
  });

  async function callback(req: Request, res: Response): Promise<void> {
    const flow = readFlow(cookies(req).get(FLOW_COOKIE), sign);
    res.append('Set-Cookie', `${FLOW_COOKIE}=; Path=/portal/login/identity; HttpOnly; SameSite=Lax; Max-Age=0`);
    if (!flow) throw new NotAuthenticated('Your sign-in through DCC Identity expired or was not started here. Start again.');
    const { config, issuer } = await configOf(flow.tenant);
    const query = req.originalUrl.indexOf('?');
    const here = new URL(`${redirectUri}${query < 0 ? '' : req.originalUrl.slice(query)}`);
    const tokens = await oidc
      .authorizationCodeGrant(config, here, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce })
      .catch((error: Error & { code?: unknown; error?: unknown; error_description?: string }) => {
        if (unreachable(error)) throw identityUnavailable();
        throw new NotAuthenticated(`DCC Identity did not sign you in (${error.error_description ?? error.message}). Start again.`);
      });
    const caller = await verifyIdpToken(tokens.access_token);
    await sessions.signIn(res, caller.accountId, caller.amr, issuer);
    res.redirect(303, '/portal');
  }

  return router;
}

function readFlow(cookie: string | undefined, sign: (value: string) => string): Flow | undefined {
  const [value = '', signature = ''] = (cookie ?? '').split('.');
  const expected = sign(value);
  if (!value || signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return undefined;
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Flow;
  } catch {
    return undefined;
  }
}
