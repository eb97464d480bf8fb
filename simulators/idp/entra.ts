/**
 * What makes a tenant of DCC Identity look like Microsoft Entra (v2.0 endpoint) to Microsoft's and
 * other clients: the extra fields of its discovery document, instance discovery (what MSAL asks before
 * trusting an authority), the v2.0 access token's claims, and `client_info` in the token response
 * (the `select_account` prompt is provider.ts's). Nothing here loads oidc-provider. The shapes follow Microsoft's documentation (README, "Entra fidelity").
 */
import { Router } from 'express';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { EntraClaims } from '../services/directory';

/** The FSM API's registration: its Application ID URI (the resource and scope prefix) and its client ID (access tokens' `aud`, as in Entra v2.0 tokens). */
export const FSM_RESOURCE = 'api://dcc-fsm';
export const FSM_API_CLIENT_ID = '6a1f7e0c-2b3d-4c5e-9f80-d1c2b3a4e5f6';
export const FSM_SCOPE = 'fsm';
/** The scope as Entra clients ask for it (`{Application ID URI}/{scope}`), and as oidc-provider's own clients may: `fsm`. */
export const FSM_SCOPES = [FSM_SCOPE, `${FSM_RESOURCE}/${FSM_SCOPE}`];

export interface Tenant {
  /** production | non-production */
  name: string;
  /** The tenant's GUID, as in Entra URLs. */
  id: string;
}

export function entraPaths(tenantId: string) {
  return {
    issuerPath: `/${tenantId}/v2.0`,
    discovery: `/${tenantId}/v2.0/.well-known/openid-configuration`,
    authorization: `/${tenantId}/oauth2/v2.0/authorize`,
    token: `/${tenantId}/oauth2/v2.0/token`,
    jwks: `/${tenantId}/discovery/v2.0/keys`,
    userinfo: `/${tenantId}/openid/userinfo`,
    end_session: `/${tenantId}/oauth2/v2.0/logout`,
    registration: `/${tenantId}/oauth2/v2.0/register`,
    revocation: `/${tenantId}/oauth2/v2.0/revoke`,
    interaction: `/${tenantId}/login`,
  };
}

/** Entra's discovery fields beyond OpenID Connect's, for a tenant at `baseUrl`. */
export function entraDiscovery(baseUrl: string, tenantId: string): Record<string, unknown> {
  const { host } = new URL(baseUrl);
  return {
    tenant_region_scope: 'EU',
    cloud_instance_name: 'dcc-identity.simulator',
    cloud_graph_host_name: host,
    msgraph_host: host,
    rbac_url: baseUrl,
    kerberos_endpoint: `${baseUrl}/${tenantId}/kerberos`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    request_uri_parameter_supported: false,
  };
}

/**
 * `GET /common/discovery/instance?api-version=1.1&authorization_endpoint=...`: MSAL's check that an
 * authority is a known cloud instance. This instance answers for its own host only, as Entra answers
 * for Microsoft's clouds and refuses any other host with `invalid_instance`.
 */
export function instanceDiscovery(baseUrl: string, tenantIds: string[]): Router {
  const router = Router();
  const { host } = new URL(baseUrl);
  router.get('/common/discovery/instance', (req, res) => {
    const endpoint = typeof req.query.authorization_endpoint === 'string' ? req.query.authorization_endpoint : '';
    const match = /^https?:\/\/([^/]+)\/([^/]+)\/oauth2\/v2\.0\/authorize$/.exec(endpoint);
    if (req.query['api-version'] !== '1.1' || !match || match[1] !== host || !tenantIds.includes(match[2] ?? '')) {
      res.status(400).json({
        error: 'invalid_instance',
        error_description: `Unknown or invalid instance. Send api-version=1.1 and authorization_endpoint=${baseUrl}/{tenant}/oauth2/v2.0/authorize for one of this instance's tenants.`,
      });
      return;
    }
    res.json({
      tenant_discovery_endpoint: `${baseUrl}/${match[2]}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });
  return router;
}

/** An access token's v2.0 claims beyond oidc-provider's own: who, which tenant, which app, what for. */
export function accessTokenClaims(ctx: KoaContextWithOIDC, token: { scope?: string }, claims: EntraClaims) {
  const client = ctx.oidc.client;
  const scp = String(token.scope ?? '')
    .split(' ')
    .filter((s) => FSM_SCOPES.includes(s))
    .map(() => FSM_SCOPE);
  return {
    ver: '2.0',
    oid: claims.oid,
    tid: claims.tid,
    preferred_username: claims.preferred_username,
    name: claims.name,
    roles: claims.roles,
    azp: client?.clientId,
    // 0: a public client; 1: one that proved a secret.
    azpacr: client?.clientAuthMethod === 'none' ? '0' : '1',
    scp: [...new Set(scp)].join(' ') || undefined,
  };
}

/**
 * Entra's `client_info` (base64url JSON of the account's `uid` and `utid`) in a token response, when the
 * request asked for it with `client_info=1`: MSAL keys its account cache on it.
 */
export async function clientInfo(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
  await next();
  const body = ctx.body as { id_token?: string } | undefined;
  const asked = (ctx.oidc?.body as { client_info?: unknown } | undefined)?.client_info === '1';
  if (ctx.oidc?.route !== 'token' || !asked || typeof body?.id_token !== 'string') return;
  const claims = JSON.parse(Buffer.from(body.id_token.split('.')[1] ?? '', 'base64url').toString()) as { oid?: string; tid?: string };
  if (!claims.oid || !claims.tid) return;
  ctx.body = { ...body, client_info: Buffer.from(JSON.stringify({ uid: claims.oid, utid: claims.tid })).toString('base64url') };
}
