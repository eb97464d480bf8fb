/**
 * ServiceNow's inbound REST API rate limits (issue 17), behind `rateLimit.perUserPerHour`: the headers
 * on every answer, 429 with Retry-After beyond the limit, a new count each hour of the simulated clock,
 * one count per user; none of it when the setting is off. The count is one upsert per request, correct
 * when many requests (and processes, on PostgreSQL) count at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send } from '../../clients/http';
import { passwordGrant } from '../../clients/servicenow-oauth';
import { SimControlClient } from '../../clients/sim-control';
import type { Simulators } from '../../simulators/start';
import { migrate } from '../../simulators/store/migrate';
import { countRequest } from '../../simulators/store/rate-limits';
import { startTestSimulators, testDatabases } from '../support';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A party with two integration accounts: one signs in by Basic, the other by OAuth. */
async function integrations(sims: Simulators) {
  const control = new SimControlClient(sims.urls.fsm);
  const onboarded = await control.onboardParty({
    name: 'Rate Limit Co',
    userRoles: ['IS'],
    regions: ['Central'],
    gatewayConnected: true,
    administrator: { email: 'admin@rate-limit.example', name: 'Ann Admin' },
  });
  const account = (n: number) =>
    control.addIntegrationUser({
      party_id: onboarded.party.id,
      user_name: `api${n}@rate-limit.example`,
      name: `API ${n}`,
      roles: ['SERVICE_USER'],
    });
  const [first, second] = [await account(1), await account(2)];
  const app = { clientId: String(onboarded.oauthApp?.client_id), clientSecret: String(onboarded.oauthApp?.client_secret) };
  const granted = await passwordGrant(sims.urls.fsm, app, second.user_name, second.password);
  assert.equal(granted.status, 200, JSON.stringify(granted.body));
  const list = (authorization: string) => send('GET', `${sims.urls.fsm}/api/now/table/incident`, { headers: { authorization } });
  return { byBasic: () => list(basic(first.user_name, first.password)), byOAuth: () => list(`Bearer ${granted.body.access_token}`) };
}

const limits = (headers: Headers) =>
  ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'].map((h) => headers.get(h));

describe('REST API rate limits, when configured', () => {
  let sims: Simulators;
  before(async () => (sims = await startTestSimulators({ settings: { rateLimit: { assumed: true, perUserPerHour: 3 } } })));
  after(() => sims?.stop());

  it('says the limit on each answer, refuses the user beyond it with 429 and Retry-After, and counts again the next hour', async () => {
    await new SimControlClient(sims.urls.fsm).changeClock({ set: '2026-12-01T09:15:00Z', freeze: true });
    const { byBasic, byOAuth } = await integrations(sims);
    const reset = String(Date.parse('2026-12-01T10:00:00Z') / 1000);
    for (const remaining of ['2', '1', '0']) {
      const answer = await byBasic();
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(limits(answer.headers), ['3', remaining, reset, null]);
      assert.match(String(answer.headers.get('x-ratelimit-rule')), /^[0-9a-f]{32}$/);
    }
    const refused = await byBasic();
    assert.deepEqual([refused.status, limits(refused.headers)], [429, ['3', '0', reset, '2700']]);
    assert.deepEqual(refused.body, {
      error: {
        message: 'Rate limit exceeded',
        detail: 'This user may make 3 REST API requests an hour. Try again in 2700 seconds (Retry-After).',
      },
      status: 'failure',
    });

    const other = await byOAuth();
    assert.deepEqual([other.status, limits(other.headers)], [200, ['3', '2', reset, null]], 'another user counts apart');

    await new SimControlClient(sims.urls.fsm).changeClock({ advance: 'PT45M' });
    const nextHour = await byBasic();
    assert.deepEqual([nextHour.status, limits(nextHour.headers)], [200, ['3', '2', String(Number(reset) + 3600), null]]);
  });
});

describe('REST API rate limits, by default', () => {
  let sims: Simulators;
  before(async () => (sims = await startTestSimulators()));
  after(() => sims?.stop());

  it('are off: no headers, and no refusal however many requests', async () => {
    const { byBasic } = await integrations(sims);
    for (let i = 0; i < 5; i += 1) {
      const answer = await byBasic();
      assert.equal(answer.status, 200);
      assert.deepEqual(limits(answer.headers), [null, null, null, null]);
      assert.equal(answer.headers.get('x-ratelimit-rule'), null);
    }
  });
});

for (const database of testDatabases()) {
  describe(`the rate count on ${database.name}`, { skip: database.skip }, () => {
    after(() => database.dispose());

    it('counts every request once when many count at once (on PostgreSQL, through two connections)', async () => {
      const first = await database.open();
      // PGlite is one database per handle; PostgreSQL's second connection shares the schema, as another process would.
      const second = database.name === 'postgres' ? await database.open() : first;
      try {
        await migrate(first);
        await first.query(
          `INSERT INTO party (id, name, user_roles, regions, gateway_connected, created_at) VALUES ('p1', 'Counting Co', '{IS}', '{Central}', true, now())`,
        );
        await first.query(
          `INSERT INTO account (id, party_id, username, display_name, password_hash, password_must_change, status, identity_path, roles, created_at, updated_at)
           VALUES ('a1', 'p1', 'a1@counting.example', 'A1', 'x', false, 'active', 'local', '{}', now(), now())`,
        );
        const hour = new Date('2026-12-01T09:00:00Z');
        const counts = await Promise.all(
          Array.from({ length: 40 }, (_, i) => countRequest(i % 2 ? first : second, { accountId: 'a1' }, hour)),
        );
        assert.deepEqual(
          counts.sort((a, b) => Number(a) - Number(b)),
          Array.from({ length: 40 }, (_, i) => i + 1),
        );
        assert.equal(await countRequest(first, { accountId: 'a1' }, new Date('2026-12-01T10:00:00Z')), 1, 'a new hour starts at 1');
        // Processes whose clocks straddle the hour must not reset each other's count, or the limit is never reached.
        assert.equal(await countRequest(second, { accountId: 'a1' }, hour), 2, 'a request of the past hour counts in the latest');
        assert.equal(await countRequest(first, { accountId: 'a1' }, new Date('2026-12-01T10:00:00Z')), 3);
        assert.equal(await countRequest(first, { token: 'no-such-session-token' }, hour), undefined, 'no account, no count');
      } finally {
        if (second !== first) await second.close();
        await first.close();
      }
    });
  });
}
