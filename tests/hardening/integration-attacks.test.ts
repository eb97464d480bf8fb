/**
 * Attacks on the ways in that integrations use (issue 17): HTTP Basic and OAuth at /oauth_token.do.
 * A wrong Basic password counts towards the one lockout and says no more than an unknown account;
 * a deactivated integration account is refused by Basic and its refresh token stops working; a
 * wrong client secret is refused as an unknown client is; a refresh token does not outlive a logout;
 * a token from another party's OAuth app reads none of this party's records (404, as any foreign record);
 * a revoked token is refused at once, and no app but the token's own may revoke it.
 * An XML body is an attack surface of its own: a DOCTYPE (XXE, entity expansion), an undefined entity,
 * nesting or elements past the limits, or a field named as Object.prototype's members is a 400 that
 * says what to fix, and nothing is stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send, type ApiResponse } from '../../clients/http';
import { passwordGrant, refreshGrant, revokeToken, type OAuthApp } from '../../clients/servicenow-oauth';
import { SimControlClient } from '../../clients/sim-control';
import type { Simulators } from '../../simulators/start';
import { signedInClient, startTestSimulators, type SignedIn } from '../support';
import { INHERITED_NAMES } from '../support/inherited-names';

/** The Nominated Contacts update: an item any party's administrator may order. */
const CONTACTS_ITEM = 'a1d7c0de0000000000000000000000a4';

let sims: Simulators;
let control: SimControlClient;

before(async () => {
  sims = await startTestSimulators();
  control = new SimControlClient(sims.urls.fsm);
});
after(async () => {
  await sims?.stop();
});

interface Integration {
  admin: SignedIn;
  app: OAuthApp;
  account: { sys_id: string; user_name: string; password: string };
}

let parties = 0;
/** A party with its administrator signed in, an OAuth app and an integration account with incident roles. */
async function integration(): Promise<Integration> {
  parties += 1;
  const admin = await signedInClient(sims, `Integration Attack ${parties}`);
  const registered = await control.addOAuthApp({ party_id: admin.partyId, name: `App ${parties}` });
  const account = await control.addIntegrationUser({
    party_id: admin.partyId,
    user_name: `integration${parties}@attack.example`,
    name: `Integration ${parties}`,
    roles: ['SERVICE_USER'],
  });
  return { admin, app: { clientId: registered.client_id, clientSecret: registered.client_secret }, account };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const table = (path: string, headers: Record<string, string>) => send('GET', `${sims.urls.fsm}/api/now/table/${path}`, { headers });
const bearer = (response: ApiResponse<{ access_token: string }>) => ({ authorization: `Bearer ${response.body.access_token}` });

describe('integration sign-in attacks', () => {
  it('a wrong Basic password counts towards the lockout and says no more than an unknown account', async () => {
    const { account, app } = await integration();
    const unknown = await table('incident', { authorization: basic('nobody@attack.example', 'Wrong-Password-1!') });
    for (let i = 0; i < 5; i += 1) {
      const wrong = await table('incident', { authorization: basic(account.user_name, 'Wrong-Password-1!') });
      assert.deepEqual([wrong.status, wrong.body], [unknown.status, unknown.body]);
    }
    const locked = await table('incident', { authorization: basic(account.user_name, account.password) });
    assert.deepEqual([locked.status, locked.body], [unknown.status, unknown.body], 'the right password of a locked account');
    assert.equal((await passwordGrant(sims.urls.fsm, app, account.user_name, account.password)).status, 401, 'OAuth shares the lockout');
  });

  it('a deactivated integration account is refused by Basic, and its refresh token stops working', async () => {
    const { admin, account, app } = await integration();
    const granted = await passwordGrant(sims.urls.fsm, app, account.user_name, account.password);
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    const deactivated = await admin.api.update('sys_user', account.sys_id, { active: 'false' });
    assert.equal(deactivated.status, 200, JSON.stringify(deactivated.body));
    assert.equal((await table('incident', { authorization: basic(account.user_name, account.password) })).status, 401);
    assert.equal((await refreshGrant(sims.urls.fsm, app, granted.body.refresh_token ?? '')).status, 401);
    assert.equal((await table('incident', bearer(granted))).status, 401, 'its access token too');
  });

  it('a wrong client secret is refused as an unknown client is', async () => {
    const { account, app } = await integration();
    const wrong = await passwordGrant(sims.urls.fsm, { ...app, clientSecret: 'not-the-secret' }, account.user_name, account.password);
    const unknown = await passwordGrant(sims.urls.fsm, { ...app, clientId: '0'.repeat(32) }, account.user_name, account.password);
    assert.deepEqual([wrong.status, wrong.body], [401, unknown.body]);
    assert.equal(unknown.status, 401);
  });

  it('a refresh token does not outlive a logout', async () => {
    const { account, app } = await integration();
    const granted = await passwordGrant(sims.urls.fsm, app, account.user_name, account.password);
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    const out = await send('POST', `${sims.urls.fsm}/api/x_dcc/auth/logout`, { headers: bearer(granted) });
    assert.equal(out.status, 204, JSON.stringify(out.body));
    assert.equal((await refreshGrant(sims.urls.fsm, app, granted.body.refresh_token ?? '')).status, 401);
  });

  it("a token from another party's OAuth app reads none of this party's records: 404, as any foreign record", async () => {
    const a = await integration();
    const b = await integration();
    const tokenA = await passwordGrant(sims.urls.fsm, a.app, a.account.user_name, a.account.password);
    const raised = await send<{ result: { sys_id: string } }>('POST', `${sims.urls.fsm}/api/now/table/incident`, {
      headers: bearer(tokenA),
      json: { short_description: 'Party A only', impact: '2', urgency: '2' },
    });
    assert.equal(raised.status, 201, JSON.stringify(raised.body));
    const tokenB = await passwordGrant(sims.urls.fsm, b.app, b.account.user_name, b.account.password);
    const foreign = await table(`incident/${raised.body.result.sys_id}`, bearer(tokenB));
    const missing = await table(`incident/${'f'.repeat(32)}`, bearer(tokenB));
    assert.deepEqual([foreign.status, foreign.body], [404, missing.body]);
    const listed = await send<{ result: unknown[] }>(
      'GET',
      `${sims.urls.fsm}/api/now/table/incident?sysparm_query=short_description=Party A only`,
      {
        headers: bearer(tokenB),
      },
    );
    assert.deepEqual([listed.status, listed.body.result], [200, []]);
    // Party B's app cannot be used with party A's account either.
    assert.equal((await passwordGrant(sims.urls.fsm, b.app, a.account.user_name, a.account.password)).status, 401);
  });

  it('a revoked access token is refused at once; a revoked refresh token takes its access tokens with it', async () => {
    const { account, app } = await integration();
    const granted = await passwordGrant(sims.urls.fsm, app, account.user_name, account.password);
    assert.equal((await table('incident', bearer(granted))).status, 200);
    const revoked = await revokeToken(sims.urls.fsm, granted.body.access_token, app);
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.equal((await table('incident', bearer(granted))).status, 401, 'the revoked access token');

    // As ServiceNow documents it: the token alone, in the query string, no credentials.
    const refreshed = await refreshGrant(sims.urls.fsm, app, granted.body.refresh_token ?? '');
    assert.equal(refreshed.status, 200, 'revoking an access token leaves its refresh token');
    const byUrl = await send('GET', `${sims.urls.fsm}/oauth_revoke_token.do?token=${granted.body.refresh_token ?? ''}`);
    assert.equal(byUrl.status, 200, JSON.stringify(byUrl.body));
    assert.equal((await refreshGrant(sims.urls.fsm, app, granted.body.refresh_token ?? '')).status, 401, 'the revoked refresh token');
    assert.equal((await table('incident', bearer(refreshed))).status, 401, "the refresh token's access token");
    assert.equal((await revokeToken(sims.urls.fsm, 'never-issued-token-0000000000')).status, 200, 'an unknown token is no error');
  });

  it("no app but the token's own may revoke it, and a wrong secret revokes nothing", async () => {
    const a = await integration();
    const b = await integration();
    const tokenA = await passwordGrant(sims.urls.fsm, a.app, a.account.user_name, a.account.password);
    const denied = { error_description: 'access_denied', error: 'server_error' };
    for (const token of [tokenA.body.access_token, tokenA.body.refresh_token ?? '']) {
      const byOther = await revokeToken(sims.urls.fsm, token, b.app);
      assert.deepEqual([byOther.status, byOther.body], [401, denied]);
      const wrongSecret = await revokeToken(sims.urls.fsm, token, { ...a.app, clientSecret: 'not-the-secret' });
      assert.deepEqual([wrongSecret.status, wrongSecret.body], [401, denied]);
    }
    assert.equal((await table('incident', bearer(tokenA))).status, 200, 'the access token still works');
    assert.equal((await refreshGrant(sims.urls.fsm, a.app, tokenA.body.refresh_token ?? '')).status, 200, 'so does the refresh token');
    const missing = await send('POST', `${sims.urls.fsm}/oauth_revoke_token.do`, {
      raw: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.deepEqual([missing.status, (missing.body as { error: string }).error], [400, 'invalid_request']);
  });
});

/** Hostile XML bodies, each with what its refusal says. */
const HOSTILE_XML: [string, string, RegExp][] = [
  [
    'XXE: an external entity',
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><request><entry><short_description>&xxe;</short_description></entry></request>',
    /DOCTYPE/,
  ],
  [
    'entity expansion (billion laughs)',
    `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><request><entry><short_description>&lol9;</short_description></entry></request>`,
    /DOCTYPE/,
  ],
  [
    'an entity never declared',
    '<request><entry><short_description>&xxe;</short_description></entry></request>',
    /entity "&xxe;" is not defined/,
  ],
  [
    'a DOCTYPE inside the root',
    '<request><!DOCTYPE r [<!ENTITY a "b">]><entry><short_description>x</short_description></entry></request>',
    /declarations/,
  ],
  ['a processing instruction', '<?xml-stylesheet href="http://evil.example/x.xsl"?><request><entry/></request>', /processing instructions/],
  [
    'a NUL character reference',
    '<request><entry><short_description>a&#0;b</short_description></entry></request>',
    /"&#0;" is not a character XML allows/,
  ],
  ['deep nesting', `<request><entry>${'<a>'.repeat(5000)}x${'</a>'.repeat(5000)}</entry></request>`, /nested more than 8 levels/],
  ['too many elements', `<request><entry>${'<a/>'.repeat(3000)}</entry></request>`, /more than 2000 elements/],
  ['a repeated field', '<request><entry><urgency>1</urgency><urgency>3</urgency></entry></request>', /<urgency> is given more than once/],
  ['mismatched tags', '<request><entry><urgency>1</impact></entry></request>', /closed by another element/],
  ...INHERITED_NAMES.map((name): [string, string, RegExp] => [
    `a field named ${name}`,
    `<request><entry><short_description>Hostile body test</short_description><${name}><polluted>yes</polluted></${name}></entry></request>`,
    name === 'prototype' ? /prototype/ : new RegExp(`<${name}> is not a field name`),
  ]),
];

describe('XML body attacks', () => {
  it('refuses DOCTYPEs, entities, deep nesting and inherited names with a clear 400, and stores nothing', async () => {
    const { admin } = await integration();
    const count = async (table: string) => (await admin.api.list(table)).headers.get('x-total-count');
    const before = [await count('incident'), await count('sc_req_item')];
    const xml = (path: string, raw: string, accept: string) =>
      admin.api.request<{ error: { message: string } }>('POST', path, { raw, headers: { accept, 'content-type': 'application/xml' } });
    for (const [what, body, message] of HOSTILE_XML) {
      const created = await xml('/api/now/table/incident', body, 'application/json');
      assert.equal(created.status, 400, `${what}: ${JSON.stringify(created.body)}`);
      assert.match(created.body.error.message, message, what);
      const ordered = await xml(
        `/api/sn_sc/servicecatalog/items/${CONTACTS_ITEM}/order_now`,
        body.replaceAll('short_description', 'sysparm_quantity'),
        'application/xml',
      );
      assert.equal(ordered.status, 400, `${what} (order_now): ${String(ordered.body)}`);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
    assert.deepEqual([await count('incident'), await count('sc_req_item')], before, 'nothing stored');
  });

  it('refuses an XML body over the size limit with 413', async () => {
    const { admin } = await integration();
    const big = `<request><entry><description>${'x'.repeat(70 * 1024)}</description></entry></request>`;
    const refused = await admin.api.request('POST', '/api/now/table/incident', { raw: big, headers: { 'content-type': 'text/xml' } });
    assert.equal(refused.status, 413);
  });
});
