/**
 * Issue 17, part 5 (Microsoft): unmodified clients sign in to DCC Identity over https as a party's
 * application would, and the access token works on the platform's Table API. `@azure/msal-node` and
 * `openid-client` each run an authorization code flow with PKCE against both tenants, in a process of
 * their own that trusts the simulators' local CA by NODE_EXTRA_CA_CERTS (tests/support/entra-client.ts);
 * the person's codes come from Debian's oathtool. Without that trust, the same run fails on the
 * certificate; and MSAL still refuses an http authority.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import * as msal from '@azure/msal-node';
import { SimControlClient } from '../../clients/sim-control';
import { FSM_API_CLIENT_ID } from '../../simulators/idp/entra';
import type { Simulators } from '../../simulators/start';
import type { EntraClientInput, EntraClientResult } from '../support/entra-client';
import { startTestSimulators } from '../support';

const REDIRECT = 'https://app.example.com/signin-oidc';
const SIGNED_OUT = `${REDIRECT}/signed-out`;
const TENANTS = ['production', 'non-production'] as const;
const CLIENTS = ['msal', 'openid-client'] as const;

let sims: Simulators;
let control: SimControlClient;
let n = 0;

before(async () => {
  sims = await startTestSimulators();
  control = new SimControlClient(sims.urls.fsm);
});
after(() => sims?.stop());

/** A new Entra person at a new party, and a web application registered with the tenant. */
async function newRun(client: EntraClientInput['client'], tenant: (typeof TENANTS)[number]): Promise<EntraClientInput> {
  const party = await control.onboardParty({
    name: `Entra Client Energy ${++n}`,
    userRoles: ['IS'],
    regions: ['North'],
    gatewayConnected: true,
    administrator: { email: `admin${n}@entra-client.example`, name: 'Mo Msal', identityPath: 'entra' },
  });
  const registered = await control.registerIdpClient(sims.urls.idp, {
    tenant,
    redirect_uris: [REDIRECT],
    post_logout_redirect_uris: [SIGNED_OUT],
    token_endpoint_auth_method: 'client_secret_post',
  });
  const tenantId = new URL(sims.idpHttpsIssuers[tenant] ?? '').pathname.split('/')[1] ?? '';
  return {
    client,
    authority: `${sims.urls.idpHttps}/${tenantId}`,
    trust: tenant === 'production' ? 'instance-discovery' : 'known-authorities',
    clientId: registered.client_id,
    clientSecret: registered.client_secret,
    redirectUri: REDIRECT,
    postLogoutRedirectUri: SIGNED_OUT,
    username: party.administrator.username,
    oneTimePassword: party.administrator.oneTimePassword,
    newPassword: `Aa9-${randomBytes(12).toString('base64url')}`,
    fsmHttps: sims.urls.fsmHttps,
  };
}

async function run(
  input: EntraClientInput,
  env: NodeJS.ProcessEnv,
): Promise<{ ok: true; result: EntraClientResult } | { ok: false; stderr: string }> {
  const args = ['--require', 'ts-node/register/transpile-only', 'tests/support/entra-client.ts', JSON.stringify(input)];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, { env, timeout: 60_000 });
    return { ok: true, result: JSON.parse(stdout) as EntraClientResult };
  } catch (error) {
    return { ok: false, stderr: String((error as { stderr?: string }).stderr ?? error) };
  }
}

const trusting = () => ({ ...process.env, NODE_EXTRA_CA_CERTS: sims.caPath });

describe('Unmodified Microsoft and OpenID clients against DCC Identity over https', () => {
  for (const tenant of TENANTS)
    for (const client of CLIENTS)
      it(`${client} signs a person in to the ${tenant} tenant (PKCE, oathtool codes) and the token reads incidents`, async () => {
        const input = await newRun(client, tenant);
        const outcome = await run(input, trusting());
        if (!outcome.ok) assert.fail(`${client} (${tenant}): ${outcome.stderr}`);
        const { result } = outcome;
        const tenantId = new URL(input.authority).pathname.slice(1);
        assert.deepEqual(result.prompts, ['login', 'password_change', 'mfa_choose', 'mfa_enrol_totp']);
        assert.ok(result.loginHintShown, 'login_hint fills in the email address');
        // v2.0 ID token: issuer https://host/{tid}/v2.0, audience the client.
        const id = result.idClaims;
        assert.equal(id.iss, `${input.authority}/v2.0`);
        assert.equal(id.aud, input.clientId);
        assert.equal(id.ver, '2.0');
        assert.equal(id.tid, tenantId);
        assert.equal(id.preferred_username, input.username);
        assert.equal(id.name, 'Mo Msal');
        assert.equal(typeof id.oid, 'string');
        // v2.0 access token for the FSM API.
        const at = result.accessClaims;
        assert.equal(at.iss, `${input.authority}/v2.0`);
        assert.equal(at.aud, FSM_API_CLIENT_ID);
        assert.equal(at.ver, '2.0');
        assert.equal(at.tid, tenantId);
        assert.equal(at.oid, id.oid);
        assert.equal(at.azp, input.clientId);
        assert.equal(at.scp, 'fsm');
        assert.deepEqual(at.roles, ['ORG_ADMIN', 'SERVICE_USER']);
        assert.ok((at.amr as string[]).includes('mfa'));
        assert.equal(result.tableStatus, 200, 'GET /api/now/table/incident with the access token');
        assert.equal(result.tableRows, 0);
        if (client === 'msal')
          assert.equal(result.homeAccountId, `${String(id.oid)}.${tenantId}`, 'client_info gives MSAL its account key');
        assert.deepEqual(result.again, { silent: 'code', promptLogin: 'login' }, 'the session signs in silently; prompt=login asks again');
        if (client === 'openid-client')
          assert.equal(result.afterLogout, 'login', 'after the end-session endpoint, the person must sign in again');
      });

  it("publishes Entra's discovery fields and answers instance discovery for its own tenants only", async () => {
    for (const tenant of TENANTS) {
      const issuer = sims.idpHttpsIssuers[tenant] ?? '';
      const tenantId = new URL(issuer).pathname.split('/')[1] ?? '';
      // The https origin's documents, read from the http origin's twin (this process does not trust the CA): same paths, same tenant.
      const httpIssuer = sims.idpIssuers[tenant] ?? '';
      const metadata = (await (await fetch(`${httpIssuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      assert.equal(metadata.issuer, httpIssuer);
      assert.match(String(metadata.issuer), new RegExp(`/${tenantId}/v2\\.0$`));
      for (const field of ['tenant_region_scope', 'cloud_instance_name', 'cloud_graph_host_name', 'msgraph_host', 'kerberos_endpoint'])
        assert.equal(typeof metadata[field], 'string', field);
      assert.equal(metadata.frontchannel_logout_supported, true);
      assert.equal(metadata.http_logout_supported, true);
      assert.equal(metadata.end_session_endpoint, `${sims.urls.idp}/${tenantId}/oauth2/v2.0/logout`);
      const instance = (endpoint: string) =>
        fetch(`${sims.urls.idp}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(endpoint)}`);
      const known = await instance(`${sims.urls.idp}/${tenantId}/oauth2/v2.0/authorize`);
      assert.equal(known.status, 200);
      const body = (await known.json()) as { tenant_discovery_endpoint: string; metadata: { aliases: string[] }[] };
      assert.equal(body.tenant_discovery_endpoint, `${httpIssuer}/.well-known/openid-configuration`);
      assert.deepEqual(body.metadata[0]?.aliases, [new URL(sims.urls.idp).host]);
    }
    for (const endpoint of [
      `https://login.microsoftonline.com/${randomBytes(4).toString('hex')}/oauth2/v2.0/authorize`,
      `${sims.urls.idp}/00000000-0000-0000-0000-000000000000/oauth2/v2.0/authorize`,
      `${sims.urls.idp}/common/oauth2/v2.0/authorize`,
    ]) {
      const refused = await fetch(
        `${sims.urls.idp}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(endpoint)}`,
      );
      assert.equal(refused.status, 400, endpoint);
      assert.equal(((await refused.json()) as { error: string }).error, 'invalid_instance');
    }
  });

  it('fails on the certificate when the client does not trust the local CA', async () => {
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    for (const client of CLIENTS) {
      const outcome = await run(await newRun(client, 'production'), env);
      assert.ok(!outcome.ok, `${client} signed in without trusting the CA`);
      assert.match(outcome.stderr, /certificate|fetch failed|network/i, `${client}: ${outcome.stderr}`);
    }
  });

  it('MSAL refuses DCC Identity over http (authority_uri_insecure): https is what makes it work', async () => {
    const tenantId = new URL(sims.idpIssuers.production ?? '').pathname.split('/')[1] ?? '';
    const app = new msal.ConfidentialClientApplication({
      auth: {
        clientId: 'any',
        clientSecret: 'any',
        authority: `${sims.urls.idp}/${tenantId}`,
        knownAuthorities: [new URL(sims.urls.idp).host],
      },
    });
    await assert.rejects(app.getAuthCodeUrl({ scopes: ['api://dcc-fsm/fsm'], redirectUri: REDIRECT }), /authority_uri_insecure/);
  });
});
