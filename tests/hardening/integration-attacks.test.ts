/**
 * Attacks on the ways in that integrations use (issue 17): HTTP Basic and OAuth at /oauth_token.do.
 * A wrong Basic password counts towards the one lockout and says no more than an unknown account;
 * a deactivated integration account is refused by Basic and its refresh token stops working; a
 * wrong client secret is refused as an unknown client is; a refresh token does not outlive a logout;
 * a token from another party's OAuth app reads none of this party's records (404, as any foreign record);
 * a revoked token is refused at once, and no app but the token's own may revoke it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send, type ApiResponse } from '../../clients/http';
import { passwordGrant, refreshGrant, revokeToken, type OAuthApp } from '../../clients/servicenow-oauth';
import { SimControlClient } from '../../clients/sim-control';
import type { Simulators } from '../../simulators/start';
import { signedInClient, startTestSimulators, type SignedIn } from '../support';

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
