/**
 * One tenant of the DCC Identity Provider Service, shaped like Microsoft Entra v2.0 and built on
 * panva's oidc-provider: authorization code flow with PKCE (S256 only), single-use codes, refresh
 * tokens, RS256 JWKS, userinfo, RP-initiated logout and dynamic registration (RFC 7591). ID and access
 * tokens carry Entra's v2.0 claims (entra.ts): ver, oid, tid, preferred_username, name, roles, amr,
 * auth_time, and on access tokens azp and scp; prompt=login, prompt=select_account and login_hint work.
 */
import type { KeyObject } from 'node:crypto';
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { SimConfig } from '../config';
import type { DirectoryService } from '../services/directory';
import { escapeHtml } from '../http/html';
import {
  accessTokenClaims,
  clientInfo,
  entraDiscovery,
  entraPaths,
  FSM_API_CLIENT_ID,
  FSM_RESOURCE,
  FSM_SCOPE,
  FSM_SCOPES,
  type Tenant,
} from './entra';
import { logoutPage } from './pages';

export function createTenantProvider(
  config: SimConfig,
  directory: DirectoryService,
  tenant: Tenant,
  baseUrl: string,
  signingKey: KeyObject,
  cookieKeys: string[],
): Provider {
  const paths = entraPaths(tenant.id);
  const accountClaims = (accountId: string) => directory.entraClaims(accountId, tenant.id);
  const configuration: Configuration = {
    adapter: directory.storage(tenant.id),
    jwks: { keys: [{ ...signingKey.export({ format: 'jwk' }), kid: `dcc-${tenant.name}-1`, use: 'sig', alg: 'RS256' } as never] },
    cookies: {
      keys: cookieKeys,
      names: { session: `_session_${tenant.name}`, interaction: `_interaction_${tenant.name}`, resume: `_resume_${tenant.name}` },
    } as Configuration['cookies'],
    routes: Object.fromEntries(
      Object.entries(paths).filter(([name]) =>
        ['authorization', 'token', 'jwks', 'userinfo', 'end_session', 'registration', 'revocation'].includes(name),
      ),
    ),
    pkce: { methods: ['S256'], required: () => true },
    responseTypes: ['code'],
    scopes: ['openid', 'profile', 'email', 'offline_access', FSM_SCOPE],
    claims: {
      openid: ['sub', 'amr', 'acr', 'auth_time', 'ver'],
      profile: ['name', 'preferred_username', 'oid', 'tid', 'roles'],
      email: ['email'],
    },
    conformIdTokenClaims: false,
    discovery: entraDiscovery(baseUrl, tenant.id),
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      registration: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: logoutPage(tenant.name) },
      resourceIndicators: {
        enabled: true,
        // Asking for the FSM API's scope (api://dcc-fsm/fsm, as Entra's clients do, or fsm) means a token for the FSM API.
        defaultResource: (ctx: KoaContextWithOIDC) =>
          (String(ctx.oidc.params?.scope ?? '')
            .split(' ')
            .some((s) => FSM_SCOPES.includes(s))
            ? FSM_RESOURCE
            : undefined) as string,
        useGrantedResource: () => true,
        getResourceServerInfo: async (_ctx: unknown, resource: string) => {
          if (resource !== FSM_RESOURCE) throw new Error(`unknown resource ${resource}`);
          return {
            scope: FSM_SCOPES.join(' '),
            audience: FSM_API_CLIENT_ID,
            accessTokenFormat: 'jwt',
            accessTokenTTL: config.idp.accessTokenMinutes * 60,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    async findAccount(_ctx, sub) {
      const claims = await accountClaims(sub);
      // ver: Entra's v2.0 token format, in the ID token too.
      return claims && { accountId: sub, claims: async () => ({ ...claims, ver: '2.0' }) };
    },
    async extraTokenClaims(ctx, token) {
      const accountId = (token as { accountId?: string }).accountId;
      const claims = accountId ? await accountClaims(accountId) : undefined;
      // How the person signed in travels with the code, and then with each refresh token.
      const origin = (ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken) as
        { amr?: string[]; authTime?: number } | undefined;
      if (!claims) return {};
      return { ...accessTokenClaims(ctx, token as { scope?: string }, claims), amr: origin?.amr, auth_time: origin?.authTime };
    },
    interactions: { policy: entraPrompts(), url: (_ctx: KoaContextWithOIDC, interaction) => `${paths.interaction}/${interaction.uid}` },
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && (code.scopes.has('offline_access') || FSM_SCOPES.some((s) => code.scopes.has(s))),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: config.idp.accessTokenMinutes * 60,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 24 * 3600,
      Interaction: 15 * 60,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><head><title>Sign-in problem</title></head><body><main><h1>We could not sign you in</h1><p role="alert">${escapeHtml(String(out.error_description ?? out.error))}</p></main></body></html>`;
    },
  };
  const provider = new Provider(`${baseUrl}${paths.issuerPath}`, configuration);
  // Koa must read no forwarded header: servedAt has made every request one to the issuer's origin.
  provider.proxy = false;
  provider.use(clientInfo);
  requireExactRedirectUris(provider);
  return provider;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** A registered http loopback URI with its port taken out, or undefined for any other URI. */
function withoutLoopbackPort(value: string): string | undefined {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  const port = url.port ? `:${url.port}` : '';
  // Only the port may differ: the rest must be spelt exactly as registered (no normalised spellings).
  return value.startsWith(`http://${url.hostname}${port}/`) || value === `http://${url.hostname}${port}`
    ? `http://${url.hostname}${value.slice(`http://${url.hostname}${port}`.length)}`
    : undefined;
}

/**
 * Whether a redirect URI is one the client registered: the same string exactly (RFC 9700 §4.1.3), as
 * Entra requires, except that on an http loopback address the port may be any (RFC 8252 §7.3; Entra
 * ignores the port of localhost and 127.0.0.1 URIs, and MSAL's interactive sign-in listens on a free
 * one). oidc-provider on its own also accepts any spelling that parses to the same URL (upper-case
 * host, the default port spelt out, dot segments, a loopback address written as a number).
 */
export function redirectUriRegistered(registered: readonly string[], value: string): boolean {
  if (registered.includes(value)) return true;
  const loopback = withoutLoopbackPort(value);
  return loopback !== undefined && registered.some((r) => withoutLoopbackPort(r) === loopback);
}

function requireExactRedirectUris(provider: Provider): void {
  const client = provider.Client.prototype as unknown as {
    redirectUris?: string[];
    postLogoutRedirectUris?: string[];
    redirectUriAllowed(value: string): boolean;
    postLogoutRedirectUriAllowed(value: string): boolean;
  };
  client.redirectUriAllowed = function (this: typeof client, value: string) {
    return redirectUriRegistered(this.redirectUris ?? [], value);
  };
  client.postLogoutRedirectUriAllowed = function (this: typeof client, value: string) {
    return (this.postLogoutRedirectUris ?? []).includes(value);
  };
}

/** oidc-provider's prompts, with `select_account` first: asked for, with a session, the person picks an account. */
export function entraPrompts() {
  const { Prompt, base } = interactionPolicy;
  const policy = base();
  policy.unshift(
    new Prompt({ name: 'select_account', requestable: true }, (ctx: KoaContextWithOIDC) => ({
      account: ctx.oidc.session?.accountId,
    })),
  );
  return policy;
}
