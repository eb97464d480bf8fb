/** The FSM simulator over real HTTP: the Table API, the login API, the control API and bad input. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FsmApiClient, type SnRecord } from '../../clients/fsm-api';
import { send } from '../../clients/http';
import { SimControlClient } from '../../clients/sim-control';
import type { Simulators } from '../../simulators/start';
import { assertRefused, signedInClient, startTestSimulators } from '../support';

describe('FSM simulator API', () => {
  let sims: Simulators;
  let alice: FsmApiClient;
  let bob: FsmApiClient;
  let bobsIncident: SnRecord;

  before(async () => {
    sims = await startTestSimulators();
    ({ api: alice } = await signedInClient(sims, 'Alpha Energy'));
    ({ api: bob } = await signedInClient(sims, 'Beta Power'));
    bobsIncident = (await bob.create('incident', { short_description: 'Beta hub offline' })).body.result;
  });
  after(() => sims?.stop());

  it('creates, lists with an encoded query and reads back by sys_id', async () => {
    for (const [impact, urgency] of [
      ['1', '1'],
      ['2', '1'],
      ['3', '3'],
    ]) {
      const created = await alice.create('incident', { short_description: `Meter alerts ${impact}${urgency}`, impact, urgency });
      assert.equal(created.status, 201);
      assert.match(String(created.headers.get('location')), /\/api\/now\/table\/incident\/[0-9a-f]{32}$/);
    }
    const list = await alice.list('incident', { sysparm_query: 'active=true^priority<=2^ORDERBYDESCnumber', sysparm_limit: 1 });
    assert.equal(list.status, 200);
    assert.equal(list.headers.get('x-total-count'), '2');
    assert.match(String(list.headers.get('link')), /rel="next"/);
    const [top] = list.body.result;
    assert.equal(list.body.result.length, 1);
    assert.equal(top?.priority, '2');
    const read = await alice.get('incident', String(top?.sys_id));
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.result, top);
    assert.equal(read.body.result.state, '1');
    assert.match(String(read.body.result.sys_created_on), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it("never shows or changes another party's records", async () => {
    const id = String(bobsIncident.sys_id);
    assertRefused(await alice.get('incident', id), 404, /No Record found/);
    assertRefused(await alice.update('incident', id, { urgency: '1' }), 404, /No Record found/);
    const mine = await alice.list('incident', { sysparm_query: `sys_id=${id}` });
    assert.equal(mine.headers.get('x-total-count'), '0');
    const users = await alice.list('sys_user');
    assert.ok(users.body.result.every((u) => u.user_name !== 'admin@beta-power.example'));
    assert.deepEqual((await bob.get('incident', id)).body.result, bobsIncident);
  });

  it("answers bad input with a 4xx in ServiceNow's shape and changes nothing", async () => {
    const id = String((await alice.create('incident', { short_description: 'Bad input target' })).body.result.sys_id);
    const before = (await alice.get('incident', id)).body.result;
    const table = '/api/now/table/incident';
    assertRefused(await alice.request('PATCH', `${table}/${id}`, { raw: '{"urgency": 1,' }), 400, /not valid JSON/);
    assertRefused(await alice.request('PATCH', `${table}/${id}`, { raw: '[1,2]' }), 400, /JSON object/);
    assertRefused(await alice.update('incident', id, { urgency: '1', colour: 'red' }), 400, /colour/);
    assertRefused(await alice.update('incident', id, { urgency: 'high' }), 400, /urgency/);
    assertRefused(await alice.update('incident', id, { state: 7 }), 409, /cannot move from New to Closed/);
    assertRefused(await alice.request('PATCH', `${table}/${id}`, { json: { description: 'x'.repeat(70 * 1024) } }), 413, /too large/);
    assertRefused(
      await alice.request('POST', table, { raw: 'short_description=x', headers: { 'content-type': 'text/plain' } }),
      415,
      /JSON/,
    );
    assert.deepEqual((await alice.get('incident', id)).body.result, before);
  });

  // The README's "Table API parity" table: each parameter ServiceNow documents, as served here.
  it('serves the Table API parameters as ServiceNow documents them', async () => {
    for (const short_description of ['Parity one', 'Parity two']) await alice.create('incident', { short_description });
    const table = '/api/now/table/incident';
    const paged = await alice.request('GET', `${table}?sysparm_limit=1`);
    assert.match(String(paged.headers.get('link')), /rel="next"/);
    const suppressed = await alice.request('GET', `${table}?sysparm_limit=1&sysparm_suppress_pagination_header=true`);
    assert.equal(suppressed.status, 200);
    assert.equal(suppressed.headers.get('link'), null);
    assert.equal(suppressed.headers.get('x-total-count'), paged.headers.get('x-total-count'));

    // sysparm_view: no form layouts here, so every view serves every field; sysparm_fields takes precedence.
    const id = String((paged.body as { result: SnRecord[] }).result[0]?.sys_id);
    const plain = (await alice.get('incident', id)).body.result;
    for (const view of ['desktop', 'mobile', 'both'])
      assert.deepEqual((await alice.request('GET', `${table}/${id}?sysparm_view=${view}`)).body, { result: plain });
    const narrowed = await alice.request('GET', `${table}/${id}?sysparm_view=mobile&sysparm_fields=number`);
    assert.deepEqual(narrowed.body, { result: { number: plain.number } });
    assertRefused(await alice.request('GET', `${table}/${id}?sysparm_view=ess`), 400, /sysparm_view/);

    // sysparm_query_no_domain: no domains here; a party's records stay its own (Bob's incident is not listed).
    const everywhere = await alice.request('GET', `${table}?sysparm_query_no_domain=true&sysparm_fields=sys_id`);
    const ids = (everywhere.body as { result: SnRecord[] }).result.map((r) => r.sys_id);
    assert.equal(String(ids.length), paged.headers.get('x-total-count'));
    assert.ok(ids.includes(id) && !ids.includes(bobsIncident.sys_id));

    // sysparm_display_value=all: each field both ways; a reference also carries its link.
    const all = (await alice.request('GET', `${table}/${id}?sysparm_display_value=all`)).body as { result: Record<string, unknown> };
    assert.deepEqual(all.result.state, { display_value: 'New', value: '1' });
    assert.deepEqual(all.result.number, { display_value: plain.number, value: plain.number });
    const caller = all.result.caller_id as { display_value: string; link: string; value: string };
    assert.deepEqual(Object.keys(caller), ['display_value', 'link', 'value']);
    assert.equal(caller.value, (plain.caller_id as { value: string }).value);
    assert.match(caller.link, new RegExp(`/api/now/table/sys_user/${caller.value}$`));
  });

  it('answers an empty list with 404 on v1 and with [] on v2 and the default URL', async () => {
    await alice.create('incident', { short_description: 'Listed on v1' });
    const query = 'sysparm_query=short_description=No such incident';
    assertRefused(await alice.request('GET', `/api/now/v1/table/incident?${query}`), 404, /No Record found/);
    for (const version of ['/v2', ''])
      assert.deepEqual((await alice.request('GET', `/api/now${version}/table/incident?${query}`)).body, { result: [] });
    const found = await alice.request('GET', '/api/now/v1/table/incident?sysparm_limit=1');
    assert.equal((found.body as { result: SnRecord[] }).result.length, 1);
  });

  it('refuses query parameters it cannot honour', async () => {
    const cases: [Record<string, string | number>, RegExp][] = [
      [{ sysparm_query: 'priorityBETWEEN1@2' }, /sysparm_query/],
      [{ sysparm_query: 'colour=red' }, /unknown field "colour"/],
      [{ sysparm_limit: -1 }, /sysparm_limit/],
      [{ sysparm_limit: 10_000_000 }, /sysparm_limit/],
      [{ sysparm_offset: 'ten' }, /sysparm_offset/],
      [{ sysparm_fields: 'number,secret' }, /secret/],
      [{ sysparm_colour: 'red' }, /sysparm_colour/],
    ];
    for (const [query, message] of cases) {
      const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
      assertRefused(await alice.request('GET', `/api/now/table/incident?${params}`), 400, message);
    }
  });

  it('answers unknown records, tables and methods clearly', async () => {
    assertRefused(await alice.get('incident', '0123456789abcdef0123456789abcdef'), 404, /No Record found/);
    assertRefused(await alice.get('incident', 'not-a-sys-id'), 404, /No Record found/);
    assertRefused(await alice.list('change_request'), 400, /Invalid table change_request/);
    assertRefused(await alice.request('DELETE', `/api/now/table/incident/${String(bobsIncident.sys_id)}`), 403, /delete/i);
    assertRefused(await alice.request('GET', '/api/now/nothing-here'), 404, /nothing-here|not found/i);
  });

  it('requires a valid session, saying little to strangers', async () => {
    const stranger = new FsmApiClient(sims.urls.fsm);
    assertRefused(await stranger.list('incident'), 401, /User Not Authenticated/);
    stranger.useToken('forged-token');
    assertRefused(await stranger.list('incident'), 401, /User Not Authenticated/);
    const unknown = await stranger.startLogin('nobody@nowhere.example', 'whatever-password');
    const wrong = await stranger.startLogin('admin@alpha-energy.example', 'wrong-password-1A!');
    assertRefused(unknown, 401, /User Not Authenticated/);
    assert.deepEqual(wrong.body, unknown.body);
  });

  it('ends an idle session after the configured time on the simulated clock', async () => {
    const { api } = await signedInClient(sims, 'Gamma Gas');
    assert.equal((await api.me()).status, 200);
    await new SimControlClient(sims.urls.fsm).changeClock({ advance: 'PT31M' });
    try {
      assertRefused(await api.me(), 401, /User Not Authenticated/);
    } finally {
      sims.clock.reset();
    }
  });
});

describe('control API', () => {
  let sims: Simulators;
  before(async () => (sims = await startTestSimulators()));
  after(() => sims?.stop());

  it('moves the clock by ISO 8601 durations and refuses nonsense', async () => {
    const control = new SimControlClient(sims.urls.fsm);
    const set = await control.changeClock({ set: '2026-12-01T09:00:00Z', freeze: true });
    assert.deepEqual(set, { now: '2026-12-01T09:00:00.000Z', frozen: true, offsetMs: set.offsetMs });
    assert.equal((await control.changeClock({ advance: 'P1DT2H' })).now, '2026-12-02T11:00:00.000Z');
    assertRefused(await send('POST', `${sims.urls.fsm}/__sim/clock`, { json: { advance: 'tomorrow' } }), 400, /ISO 8601/);
    assertRefused(await send('POST', `${sims.urls.fsm}/__sim/clock`, { json: {} }), 400, /set, advance or freeze/);
  });

  it('onboards parties with validation, and refuses duplicates', async () => {
    const control = new SimControlClient(sims.urls.fsm);
    const request = {
      name: 'Delta Networks',
      userRoles: ['ED'],
      regions: ['South'],
      gatewayConnected: true,
      administrator: { email: 'Admin@Delta.example', name: 'D' },
    };
    const onboarded = await control.onboardParty(request);
    assert.equal(onboarded.administrator.username, 'admin@delta.example');
    assert.ok(onboarded.administrator.oneTimePassword.length >= 12);
    assertRefused(await send('POST', `${sims.urls.fsm}/__sim/parties`, { json: request }), 409, /Delta Networks/);
    assertRefused(
      await send('POST', `${sims.urls.fsm}/__sim/parties`, { json: { ...request, name: 'E', userRoles: ['XX'] } }),
      400,
      /name|userRoles/,
    );
  });

  it('journals requests without their secrets, and resets everything', async () => {
    const control = new SimControlClient(sims.urls.fsm);
    await new FsmApiClient(sims.urls.fsm).startLogin('someone@example.com', 'Secret-Password-1');
    const entries = await control.journal({ limit: 5 });
    const login = entries.find((e) => e.path === '/api/x_dcc/auth/login');
    assert.equal(login?.status, 401);
    assert.ok(!JSON.stringify(entries).includes('Secret-Password-1'));
    await control.reset();
    assert.deepEqual(
      (await control.journal()).map((e) => e.path),
      ['/__sim/reset'],
    );
    assert.equal((await control.clock()).frozen, false);
  });

  it('is absent when the simulators start without it', async () => {
    const closed = await startTestSimulators({ control: false });
    try {
      assertRefused(await send('POST', `${closed.urls.fsm}/__sim/reset`, { json: {} }), 404, /./);
    } finally {
      await closed.stop();
    }
  });
});
