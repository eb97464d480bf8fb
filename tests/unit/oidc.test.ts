/**
 * The DCC Identity Provider Service with a standard OIDC client (openid-client, unmodified): code flow
 * with PKCE and MFA on both tenants, Entra claims, JWKS verification, refresh, code reuse, and the
 * FSM API accepting (and refusing) its tokens.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, UnsecuredJWT } from 'jose';
import * as oidc from 'openid-client';
import { AuthenticatorApp } from '../../clients/authenticator';
import { alertOf, FormAgent, textById, type FormPage } from '../../clients/form-agent';
import { FsmApiClient } from '../../clients/fsm-api';
import { send } from '../../clients/http';
import { SimControlClient, type OnboardedParty } from '../../clients/sim-control';
import { createIdpApp, newIdpSigningKey } from '../../simulators/idp/app';
import { close, listen, urlOf } from '../../simulators/listeners';
import type { Simulators } from '../../simulators/start';
import { FSM_API_CLIENT_ID } from '../../simulators/idp/entra';
import { simTime, startTestSimulators, TEST_PASSWORD } from '../support';

const REDIRECT = 'http://127.0.0.1:9/callback';

describe('DCC Identity Provider Service', () => {
  let sims: Simulators;
  let n = 0;
  before(async () => (sims = await startTestSimulators()));
  after(() => sims?.stop());

  async function entraParty(): Promise<OnboardedParty> {
    n += 1;
    return new SimControlClient(sims.urls.fsm).onboardParty({
      name: `Entra Energy ${n}`,
      userRoles: ['IS'],
      regions: ['North'],
      gatewayConnected: true,
      administrator: { email: `admin${n}@entra-energy.example`, name: 'Eve Entra', identityPath: 'entra' },
    });
  }

  async function client(tenant: string) {
    const registered = await send<{ result: { client_id: string; client_secret: string; issuer: string } }>(
      'POST',
      `${sims.urls.idp}/__sim/clients`,
      {
        json: { tenant, redirect_uris: [REDIRECT] },
      },
    );
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const { client_id, client_secret, issuer } = registered.body.result;
    const config = await oidc.discovery(new URL(issuer), client_id, client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    return { config, issuer };
  }

  async function authorize(config: oidc.Configuration, extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile email offline_access fsm',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...extra,
    });
    return { url, verifier, state, nonce };
  }

  /** First sign-in at the IdP's pages: one-time password, a new password, then an authenticator app. */
  async function firstSignIn(agent: FormAgent, start: FormPage, party: OnboardedParty, app: AuthenticatorApp): Promise<FormPage> {
    let page = await agent.submit(start, { username: party.administrator.username, password: party.administrator.oneTimePassword });
    page = await agent.submit(page, { new_password: TEST_PASSWORD, confirm_password: TEST_PASSWORD });
    page = await agent.submit(page, { method: 'totp' });
    app.add(textById(page.html, 'totp-key') ?? '');
    return agent.submit(page, { code: await app.code() });
  }

  /** A new Entra-path party's administrator, signed in through a fresh client of `tenant`: the tokens and the code's redirect. */
  async function signedInThroughIdp(tenant: string) {
    const party = await entraParty();
    const { config } = await client(tenant);
    const { url, verifier, state, nonce } = await authorize(config);
    const agent = new FormAgent(REDIRECT);
    const back = await firstSignIn(agent, await agent.open(url.href), party, new AuthenticatorApp(simTime(sims)));
    const checks = { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce };
    const tokens = await oidc.authorizationCodeGrant(config, new URL(back.url), checks);
    return { party, config, tokens, back, checks };
  }

  for (const tenant of ['production', 'non-production']) {
    it(`signs a person in with MFA for a standard client on the ${tenant} tenant`, async () => {
      const party = await entraParty();
      const { config, issuer } = await client(tenant);
      const { url, verifier, state, nonce } = await authorize(config);
      const agent = new FormAgent(REDIRECT);
      const app = new AuthenticatorApp(simTime(sims));
      const back = await firstSignIn(agent, await agent.open(url.href), party, app);
      assert.ok(back.url.startsWith(REDIRECT), `ended at ${back.url}: ${alertOf(back.html) ?? back.html.slice(0, 300)}`);

      const tokens = await oidc.authorizationCodeGrant(config, new URL(back.url), {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
      });
      const id = tokens.claims();
      assert.ok(id);
      assert.deepEqual(
        { iss: id.iss, aud: id.aud, sub: id.sub, oid: id.oid, tid: id.tid, user: id.preferred_username, name: id.name, amr: id.amr },
        {
          iss: issuer,
          aud: config.clientMetadata().client_id,
          sub: party.administrator.sysId,
          oid: party.administrator.sysId,
          tid: issuer.split('/')[3],
          user: party.administrator.username,
          name: 'Eve Entra',
          amr: ['pwd', 'mfa', 'otp'],
        },
      );
      assert.equal(typeof id.auth_time, 'number');

      const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri ?? ''));
      const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer, audience: FSM_API_CLIENT_ID });
      assert.deepEqual(payload.amr, ['pwd', 'mfa', 'otp']);

      const api = new FsmApiClient(sims.urls.fsm);
      api.useToken(tokens.access_token);
      assert.equal((await api.me()).body.result.user_name, party.administrator.username);
      assert.equal((await api.create('incident', { short_description: 'Raised with an Entra token' })).status, 201);

      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '');
      api.useToken(refreshed.access_token);
      assert.equal((await api.list('incident')).headers.get('x-total-count'), '1');
      assert.deepEqual(decodeJwt(refreshed.access_token).amr, ['pwd', 'mfa', 'otp']);
    });
  }

  it('registers clients dynamically (RFC 7591) and answers userinfo for an OpenID access token', async () => {
    const party = await entraParty();
    const { issuer } = await client('production');
    const config = await oidc.dynamicClientRegistration(new URL(issuer), { redirect_uris: [REDIRECT] }, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 's',
    });
    const agent = new FormAgent(REDIRECT);
    const app = new AuthenticatorApp(simTime(sims));
    const back = await firstSignIn(agent, await agent.open(url.href), party, app);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(back.url), { pkceCodeVerifier: verifier, expectedState: 's' });
    const claims = tokens.claims();
    const info = await oidc.fetchUserInfo(config, tokens.access_token, String(claims?.sub));
    assert.deepEqual(
      { email: info.email, user: info.preferred_username, oid: info.oid },
      { email: party.administrator.username, user: party.administrator.username, oid: party.administrator.sysId },
    );
    const api = new FsmApiClient(sims.urls.fsm);
    api.useToken(tokens.access_token);
    assert.equal((await api.me()).status, 401, 'a token without the fsm scope is not for the FSM API');
  });

  it('makes a code single-use: a second use fails and revokes what the first issued', async () => {
    const { config, tokens, back, checks } = await signedInThroughIdp('non-production');
    await assert.rejects(
      oidc.authorizationCodeGrant(config, new URL(back.url), checks),
      (e: oidc.ResponseBodyError) => e.error === 'invalid_grant',
    );
    await assert.rejects(
      oidc.refreshTokenGrant(config, tokens.refresh_token ?? ''),
      (e: oidc.ResponseBodyError) => e.error === 'invalid_grant',
    );
  });

  it('refuses authorization requests without PKCE, with plain PKCE, or with a redirect URI that does not match exactly', async () => {
    const { config } = await client('production');
    const agent = new FormAgent(REDIRECT);
    const base = {
      client_id: config.clientMetadata().client_id,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: REDIRECT,
      state: 's1',
    };
    const endpoint = config.serverMetadata().authorization_endpoint ?? '';
    const missing = await agent.open(`${endpoint}?${new URLSearchParams(base)}`);
    assert.match(missing.url, /error=invalid_request/);
    assert.match(decodeURIComponent(missing.url), /PKCE|code_challenge/);
    const plain = await agent.open(
      `${endpoint}?${new URLSearchParams({ ...base, code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' })}`,
    );
    assert.match(plain.url, /error=invalid_request/);
    for (const variant of [`${REDIRECT}/`, `${REDIRECT}?x=1`, REDIRECT.toUpperCase(), 'http://127.0.0.1:9/other']) {
      const page = await agent.open(
        `${endpoint}?${new URLSearchParams({ ...base, redirect_uri: variant, code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })}`,
      );
      assert.equal(page.status, 400, variant);
      assert.match(alertOf(page.html) ?? '', /redirect_uri/, variant);
    }
  });

  it('refuses forged, unsigned and wrong-audience tokens at the FSM API', async () => {
    const { tokens } = await signedInThroughIdp('production');
    const claims = decodeJwt(tokens.access_token);
    const [header = '', body = '', signature = ''] = tokens.access_token.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, oid: 'f'.repeat(32) })).toString('base64url')}.${signature}`;
    const unsigned = new UnsecuredJWT(claims).encode();
    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const wrongKey = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(tokens.access_token).kid })
      .sign(otherKey);
    const expired = await new SignJWT({ ...claims, exp: 1 }).setProtectedHeader({ alg: 'RS256' }).sign(otherKey);
    const api = new FsmApiClient(sims.urls.fsm);
    for (const [name, token] of [
      ['tampered', tampered],
      ['alg none', unsigned],
      ['ID token (wrong audience)', tokens.id_token ?? ''],
      ['truncated', `${header}.${body}.`],
      ['signed with another key', wrongKey],
      ['expired and foreign', expired],
    ]) {
      api.useToken(token);
      assert.equal((await api.me()).status, 401, String(name));
    }
  });

  it('keeps a form error next to its field and never signs in on a wrong code or a bad CSRF token', async () => {
    const party = await entraParty();
    const { config } = await client('production');
    const { url } = await authorize(config);
    const agent = new FormAgent(REDIRECT);
    const start = await agent.open(url.href);
    const wrong = await agent.submit(start, { username: party.administrator.username, password: 'Not-The-Password-1!' });
    assert.equal(wrong.status, 401);
    assert.match(alertOf(wrong.html) ?? '', /Sign in again, or check the email address and password/);
    const forged = await agent.submit(start, {
      username: party.administrator.username,
      password: party.administrator.oneTimePassword,
      csrf: 'forged',
    });
    assert.equal(forged.status, 403);
    let page = await agent.submit(start, { username: party.administrator.username, password: party.administrator.oneTimePassword });
    page = await agent.submit(page, { new_password: TEST_PASSWORD, confirm_password: TEST_PASSWORD });
    page = await agent.submit(page, { method: 'totp' });
    const refused = await agent.submit(page, { code: '000000' });
    assert.equal(refused.status, 400);
    assert.match(refused.html, /aria-invalid="true" aria-describedby="f-code-error"/);
    assert.ok(!refused.url.startsWith(REDIRECT));
  });

  it('answers a request that comes before its tenants are built (they are built when first asked for)', async () => {
    const server = await listen('127.0.0.1', 0);
    try {
      const baseUrl = urlOf(server, '127.0.0.1');
      const { config } = sims.core;
      const idp = createIdpApp({
        config,
        services: sims.services,
        clock: sims.clock,
        logger: sims.logger,
        baseUrl,
        control: false,
        signingKey: await newIdpSigningKey(),
      });
      server.on('request', idp.app);
      // No warm(): the first request builds the tenant's provider, and the answer is oidc-provider's.
      const discovery = await send<{ issuer: string; jwks_uri: string }>(
        'GET',
        `${baseUrl}/${config.idp.tenants.production}/v2.0/.well-known/openid-configuration`,
      );
      assert.equal(discovery.status, 200);
      assert.equal(discovery.body.issuer, `${baseUrl}/${config.idp.tenants.production}/v2.0`);
      const keys = await send<{ keys: { kty: string }[] }>('GET', discovery.body.jwks_uri);
      assert.equal(keys.status, 200);
      assert.equal(keys.body.keys[0]?.kty, 'RSA');
    } finally {
      await close(server);
    }
  });
});
