/**
 * Faults: what the platform's dependencies do to a person when they fail, and whether the simulator
 * gets over it. Injected with msw (the platform's outbound HTTP: the email gateway, DCC Identity's
 * keys, discovery document and token endpoint, the carrier's API), with the logistics simulator's
 * control API (`/__sim/faults`: the carrier failing, rejecting, delaying a shipment), and, when
 * TEST_DATABASE_URL is set, by killing the simulator's PostgreSQL connections mid-flow, as a
 * restart of the server would.
 *
 * For every fault: the person gets a clear answer (a 4xx/5xx in the API's error shape with a
 * message, or a login prompt or portal page that says what happened; never an empty body, a stack
 * trace or "Internal error"), the simulator keeps serving, nothing is half-written (an order is
 * confirmed with its consignment or not at all, a hub is returned with its RMA or not at all, a
 * forecast version has all its months or none), and the flow succeeds once the fault is lifted.
 * Slowness is a delay beyond the configured timeout (300 ms here); that delay is the fault itself,
 * nothing waits on time for state.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import pg from 'pg';
import { FormAgent, promptOf, type FormPage } from '../../clients/form-agent';
import { FsmApiClient, type LoginStep } from '../../clients/fsm-api';
import { send, type ApiResponse, type SnError } from '../../clients/http';
import { answerPrompt, type Person } from '../../clients/login-answers';
import { signInWithOidc } from '../../clients/oidc-sign-in';
import { SimControlClient } from '../../clients/sim-control';
import { SimConfigSchema } from '../../simulators/config';
import { startSimulators, type Simulators } from '../../simulators/start';
import { securityEvents } from '../../simulators/store/mfa';
import { signedInClient, signInAgain, TEST_PASSWORD, testPerson } from '../support';
import { report, scaled } from './scale';

const TIMEOUT_MS = 300;
const SLOW_MS = TIMEOUT_MS + 400;
const config = SimConfigSchema.parse({
  passwords: { assumed: true, scryptCost: 1024 },
  email: { timeoutMs: TIMEOUT_MS },
  idp: { timeoutMs: TIMEOUT_MS },
});
const postgresUrl = process.env.TEST_DATABASE_URL;

type FaultKind = '500' | '502 JSON' | '503 HTML' | '400' | 'network error' | 'slow' | 'garbled';
const UPSTREAM: FaultKind[] = ['500', '502 JSON', 'network error', 'slow', '503 HTML'];

/** Faults injected, by area and kind ("email.network-error"): what the suite reports. */
const injected = new Map<string, number>();
const count = (area: string, kind: string) => {
  const key = `${area}.${kind.replace(/\W+/g, '-').replace(/^-|-$/g, '')}`;
  injected.set(key, (injected.get(key) ?? 0) + 1);
};
/** Requests a dropped PostgreSQL connection actually cut (answered 503), of those it was dropped during. */
let postgresCut = 0;
/** Of those, the ones whose change had committed before the connection went (the answer was lost). */
let postgresCommittedAnyway = 0;

/** An msw resolver that fails as `kind` says, counting each request it fails. */
function failing(kind: FaultKind, hits: { n: number }) {
  return async () => {
    hits.n += 1;
    switch (kind) {
      case '500':
        return new HttpResponse('boom', { status: 500 });
      case '502 JSON':
        return HttpResponse.json({ error: 'bad gateway' }, { status: 502 });
      case '503 HTML':
        return HttpResponse.html('<h1>Service Unavailable</h1>', { status: 503 });
      case '400':
        return HttpResponse.json({ error: 'rejected' }, { status: 400 });
      case 'network error':
        return HttpResponse.error();
      case 'slow':
        await delay(SLOW_MS);
        return HttpResponse.json({ keys: [] });
      case 'garbled':
        return new HttpResponse('{"keys": [', { status: 200, headers: { 'content-type': 'application/json' } });
    }
  };
}

/** A refusal a person can act on: this status, ServiceNow's error shape, a message, no stack trace. */
function assertClear(response: ApiResponse, status: number, message: RegExp): void {
  assert.equal(response.status, status, JSON.stringify(response.body));
  const body = response.body as SnError;
  assert.equal(body?.status, 'failure', JSON.stringify(body));
  assert.match(`${body.error.message} ${body.error.detail ?? ''}`, message);
  assert.doesNotMatch(JSON.stringify(body), /Internal error|\bat \S+:\d+:\d+|Error: /);
}

function assertClearPage(page: { status: number; html: string }, status: number, message: RegExp): void {
  assert.equal(page.status, status, page.html.slice(0, 500));
  assert.match(page.html, message);
  assert.doesNotMatch(page.html, /\bat \S+:\d+:\d+|The simulator failed/);
}

const kindOf = (i: number, kinds: FaultKind[] = UPSTREAM): FaultKind => kinds[i % kinds.length] ?? '500';

describe('Faults', () => {
  let sims: Simulators;
  let control: SimControlClient;
  const msw = setupServer();
  let n = 0;
  const party = (name: string) => `${name} ${++n} ${randomBytes(2).toString('hex')}`;

  before(async () => {
    sims = await startSimulators({ config, control: true, logLevel: 'silent' });
    control = new SimControlClient(sims.urls.fsm);
    msw.listen({ onUnhandledRequest: 'bypass' });
  });
  afterEach(() => msw.resetHandlers());
  after(async () => {
    msw.close();
    await sims?.stop();
  });

  /** Fails the platform's email gateway (its own mailbox) as `kind` says until the handlers are reset. */
  function gatewayFails(kind: FaultKind): { n: number } {
    const hits = { n: 0 };
    msw.use(http.post(`${sims.urls.fsm}/__sim/mailbox`, failing(kind, hits)));
    count('email', kind);
    return hits;
  }

  async function latestMail(to: string) {
    const [latest] = await control.mailbox(to);
    assert.ok(latest, `no mail to ${to}`);
    return latest;
  }

  it('email gateway down, failing or slow: a clear message, nothing lost, and mail flows again once it answers', async () => {
    const rounds = scaled(3, 10);
    // A forgotten password: the code goes after the answer, which is the same whether it went or not
    // (saying it did not would say the account exists); the failure is recorded, and asking again works.
    const forgetful = await signedInClient(sims, party('Forgetful Energy'));
    const forgetfulId = (await forgetful.api.me()).body.result.sys_id;
    for (let i = 0; i < rounds; i++) {
      const hits = gatewayFails(kindOf(i));
      const delivered = (await control.mailbox(forgetful.username)).length;
      assert.equal((await forgetful.api.forgotPassword(forgetful.username)).status, 202);
      assert.equal((await control.mailbox(forgetful.username)).length, delivered, 'no email while the gateway fails');
      assert.ok(hits.n > 0);
      assert.equal((await securityEvents(sims.core.db, forgetfulId)).filter((e) => e.kind === 'password_reset_email_failed').length, i + 1);
      msw.resetHandlers();
      assert.equal((await forgetful.api.forgotPassword(forgetful.username)).status, 202);
      const code = /\b(\d{6})\b/.exec((await latestMail(forgetful.username)).subject)?.[1] ?? '';
      assert.equal((await forgetful.api.resetPassword(forgetful.username, code, `Reset-Password-${i}-horse`)).status, 200);
    }

    // An emailed sign-in code: the prompt says it could not be sent; "resend" works once the gateway does.
    const emailer = await signedInClient(sims, party('Emailed Codes'), { mfaMethod: 'email' });
    for (let i = 0; i < rounds; i++) {
      const api = new FsmApiClient(sims.urls.fsm);
      const hits = gatewayFails(kindOf(i + 1));
      const first = await api.startLogin(emailer.username, TEST_PASSWORD);
      const prompt = promptOf200(first);
      assert.equal(prompt.prompt.name, 'mfa_verify');
      assert.match(prompt.prompt.error ?? '', /could not send the email.*choose another way/);
      assert.ok(hits.n > 0);
      msw.resetHandlers();
      const resent = promptOf200(await api.continueLogin(prompt.login_token, { action: 'resend' }));
      assert.equal(resent.prompt.error, undefined);
      const done = await api.continueLogin(resent.login_token, { code: await emailer.person.readEmailCode() });
      assert.equal(done.body.result.status, 'authenticated');
    }

    // An email copy of a notification: the change stands, the notification is there, the failure is logged.
    const notified = await signedInClient(sims, party('Notified Gas'));
    const incident = (await notified.api.create('incident', { short_description: 'Meter reads are late' })).body.result;
    const me = (await notified.api.me()).body.result.sys_id;
    for (let i = 0; i < rounds; i++) {
      const hits = gatewayFails(kindOf(i + 2));
      await control.serviceDesk(String(incident.sys_id), { comments: `Looking into it (${i})` });
      assert.ok(hits.n > 0);
      const notes = (await notified.api.notifications()).body.result;
      assert.ok(
        notes.some((note) => note.body.includes(`Looking into it (${i})`)),
        'the notification is recorded though its email copy failed',
      );
      assert.equal((await securityEvents(sims.core.db, me)).filter((e) => e.kind === 'email_copy_failed').length, i + 1);
      msw.resetHandlers();
      await control.serviceDesk(String(incident.sys_id), { comments: `Fixed (${i})` });
      assert.match((await latestMail(notified.username)).text, new RegExp(`Fixed \\(${i}\\)`));
    }

    // A new user's welcome email: the account stands, and the administrator's next new user gets theirs.
    const admin = await signedInClient(sims, party('Welcoming Power'));
    for (let i = 0; i < rounds; i++) {
      const hits = gatewayFails(kindOf(i + 3));
      const unlucky = `unlucky${i}@${admin.username.split('@')[1]}`;
      const created = await admin.api.create('sys_user', { user_name: unlucky, name: `Unlucky ${i}`, roles: 'SERVICE_USER' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.ok(hits.n > 0);
      const events = await securityEvents(sims.core.db, String(created.body.result.sys_id));
      assert.deepEqual(
        events.map((e) => e.kind).filter((k) => k === 'welcome_email_failed'),
        ['welcome_email_failed'],
      );
      msw.resetHandlers();
      const lucky = `lucky${i}@${admin.username.split('@')[1]}`;
      assert.equal((await admin.api.create('sys_user', { user_name: lucky, name: `Lucky ${i}`, roles: 'SERVICE_USER' })).status, 201);
      assert.match((await latestMail(lucky)).text, /one-time password is/);
    }
  });

  it("DCC Identity slow or failing: its tokens, the portal's discovery and token exchange say so, and work again after", async () => {
    const rounds = scaled(2, 6);
    const REDIRECT = 'http://127.0.0.1:9/callback';
    for (const tenant of ['production', 'non-production']) {
      const onboarded = await control.onboardParty({
        name: party(`Identity ${tenant}`),
        userRoles: ['IS'],
        regions: ['North'],
        gatewayConnected: true,
        administrator: { email: `admin${n}@identity-${tenant}.example`, name: 'Ida Entra', identityPath: 'entra' },
      });
      const username = onboarded.administrator.username;
      const person = testPerson(sims, username);
      const client = await control.registerIdpClient(sims.urls.idp, { tenant, redirect_uris: [REDIRECT] });
      const first = await signInWithOidc(
        { issuer: client.issuer, clientId: client.client_id, clientSecret: client.client_secret, redirectUri: REDIRECT },
        username,
        onboarded.administrator.oneTimePassword,
        (p) => answerPrompt(person, p),
      );
      if (!first.ok) assert.fail(`signing in through DCC Identity: ${first.message}`);
      const metadata = (
        await send<{ jwks_uri: string; token_endpoint: string }>('GET', `${client.issuer}/.well-known/openid-configuration`)
      ).body;
      const api = new FsmApiClient(sims.urls.fsm);
      api.useToken(first.value.accessToken);

      // Its published keys: the platform has not fetched them yet, so every call needs them.
      for (let i = 0; i < rounds; i++) {
        const hits = { n: 0 };
        const kind = kindOf(i, ['slow', '500', 'network error', 'garbled']);
        msw.use(http.get(metadata.jwks_uri, failing(kind, hits)));
        count('identity-keys', kind);
        assertClear(await api.me(), 503, /DCC Identity cannot be reached/);
        assert.ok(hits.n > 0);
        msw.resetHandlers();
      }
      assert.equal((await api.me()).status, 200, 'the token is accepted once DCC Identity answers');
      // Once fetched, the keys are kept: DCC Identity failing now costs a person nothing.
      msw.use(http.get(metadata.jwks_uri, failing('network error', { n: 0 })));
      count('identity-keys', 'network error once cached (absorbed)');
      assert.equal((await api.me()).status, 200);
      msw.resetHandlers();

      // The portal's discovery of the tenant, made at the first "Sign in through DCC Identity".
      for (let i = 0; i < rounds; i++) {
        const hits = { n: 0 };
        const kind = kindOf(i, ['network error', 'slow', '503 HTML', 'garbled']);
        msw.use(http.get(`${client.issuer}/.well-known/openid-configuration`, failing(kind, hits)));
        count('identity-discovery', kind);
        const page = await fetch(`${sims.urls.fsm}/portal/login/identity/${tenant}`, { redirect: 'manual' });
        assertClearPage({ status: page.status, html: await page.text() }, 503, /DCC Identity cannot be reached just now/);
        assert.ok(hits.n > 0);
        msw.resetHandlers();
      }
      const ready = await fetch(`${sims.urls.fsm}/portal/login/identity/${tenant}`, { redirect: 'manual' });
      assert.equal(ready.status, 303);
      assert.ok(ready.headers.get('location')?.startsWith(client.issuer.replace(/\/v2\.0$/, '')), String(ready.headers.get('location')));

      // The portal's token exchange after the person signed in at DCC Identity.
      for (let i = 0; i < rounds; i++) {
        const hits = { n: 0 };
        const kind = kindOf(i, ['500', 'slow', 'network error', '503 HTML']);
        msw.use(http.post(metadata.token_endpoint, failing(kind, hits)));
        count('identity-token', kind);
        assertClearPage(await portalSignIn(tenant, username, person), 503, /DCC Identity cannot be reached just now/);
        assert.ok(hits.n > 0);
        msw.resetHandlers();
        const home = await portalSignIn(tenant, username, person);
        assert.deepEqual([home.status, home.url], [200, `${sims.urls.fsm}/fsm`], home.html.slice(0, 500));
      }
    }
  });

  /** "Sign in through DCC Identity" on the portal, as a person with a browser: where it ends. */
  async function portalSignIn(tenant: string, username: string, person: Person): Promise<FormPage> {
    const agent = new FormAgent('http://stop.invalid/');
    let page = await agent.open(`${sims.urls.fsm}/portal/login/identity/${tenant}`);
    for (let i = 0; i < 6 && page.url.startsWith(sims.urls.idp); i++) {
      const { name, method } = promptOf(page.html);
      if (!name || page.status >= 400) break;
      page = await agent.submit(
        page,
        name === 'login'
          ? { username, password: TEST_PASSWORD }
          : await answerPrompt(person, { name, title: '', message: '', fields: [], data: { method } }),
      );
    }
    return page;
  }

  it('the carrier failing, rejecting, delaying or not answering: clear answers, nothing half-written, and recovery', async () => {
    const rounds = scaled(1, 4);
    sims.clock.change({ set: '2026-12-01T10:00:00Z', freeze: true });
    const orderer = await signedInClient(sims, party('Carrier Faults'));
    await orderer.api.update('sys_user', (await orderer.api.me()).body.result.sys_id, {
      roles: 'ORG_ADMIN,OMS_ORDERING,OMS_RETURNS',
      region: 'North',
    });
    let api = orderer.api;
    const db = sims.core.db;
    assert.equal(
      (await api.oms('POST', '/forecasts', { region: 'North', variant: '4G-SB', months: [{ month: '2027-04', quantity: 10 }] })).status,
      201,
    );
    const order = async () =>
      String(
        (
          await api.oms('POST', '/orders', {
            region: 'North',
            variant: '4G-SB',
            delivery_month: '2027-04',
            location: 'Leeds depot',
            quantity: 10,
          })
        ).body.result.sys_id,
      );
    const consignment = async () => {
      const confirmed = await api.oms<{ sys_id: string; number: string }>('POST', `/orders/${await order()}/confirm`);
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      return confirmed.body.result;
    };
    const shipments = `${sims.urls.logistics}/carrier/shipments`;
    const track = (c: { sys_id: string }) =>
      api.oms<{ state: string; delivery_date: string; events: { status: string }[] }>('GET', `/consignments/${c.sys_id}`);
    const lift = (c: { number: string }) => fetch(`${sims.urls.logistics}/__sim/faults/${c.number}`, { method: 'DELETE' });
    const delayed: { sys_id: string; number: string }[] = [];

    for (let round = 0; round < rounds; round++) {
      // Registering the consignment fails: the order stays submitted, with no consignment; confirming again works.
      for (const kind of ['500', 'network error', '400'] as FaultKind[]) {
        const sysId = await order();
        const hits = { n: 0 };
        msw.use(http.post(shipments, failing(kind, hits)));
        count('carrier-registration', kind);
        assertClear(await api.oms('POST', `/orders/${sysId}/confirm`), 503, /carrier cannot be reached/);
        assert.ok(hits.n > 0);
        const [state] = await db.query<{ state: string; consignments: number }>(
          'SELECT state, (SELECT count(*)::int FROM consignment WHERE order_id = $1) AS consignments FROM oms_order WHERE sys_id = $1',
          [sysId],
        );
        assert.deepEqual(state, { state: 'submitted', consignments: 0 }, 'the order is not half confirmed');
        msw.resetHandlers();
        const confirmed = await api.oms<{ sys_id: string }>('POST', `/orders/${sysId}/confirm`);
        assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
        assert.equal((await track(confirmed.body.result)).status, 200);
      }

      // Amending the delivery fails at the carrier: the date stays as it was, here and at the carrier.
      const amended = await consignment();
      // (The carrier's timeout is fixed at 5 s, not configured, so its faults here are failures, not slowness.)
      const amendFault = kindOf(round, ['500', '502 JSON', 'network error', '503 HTML']);
      msw.use(http.patch(`${shipments}/:reference`, failing(amendFault, { n: 0 })));
      count('carrier-amendment', amendFault);
      assertClear(
        await api.oms('POST', `/consignments/${amended.sys_id}/amend`, { delivery_date: '2027-04-05' }),
        503,
        /carrier cannot be reached/,
      );
      const dates = async () =>
        (
          await db.query<{ ours: string; carriers: string }>(
            'SELECT c.delivery_date::text AS ours, s.due_on::text AS carriers FROM consignment c JOIN carrier_shipment s ON s.reference = c.number WHERE c.sys_id = $1',
            [amended.sys_id],
          )
        )[0];
      assert.deepEqual(await dates(), { ours: '2027-04-01', carriers: '2027-04-01' });
      msw.resetHandlers();
      assert.equal((await api.oms('POST', `/consignments/${amended.sys_id}/amend`, { delivery_date: '2027-04-05' })).status, 200);
      assert.deepEqual(await dates(), { ours: '2027-04-05', carriers: '2027-04-05' });

      // Booking a return's collection fails: the hub is not marked returning and has no RMA; raising it again works.
      const hub = `00-1B-C5-0C-00-00-${String(round).padStart(2, '0')}-${randomBytes(1).toString('hex').toUpperCase()}`;
      await control.installDevices(orderer.partyId, '4G-DB', [hub]);
      for (const kind of ['503 HTML', 'network error'] as FaultKind[]) {
        msw.use(http.post(shipments, failing(kind, { n: 0 })));
        count('carrier-return-booking', kind);
        assertClear(await api.oms('POST', '/returns', { device_id: hub, reason: 'no_power' }), 503, /carrier cannot be reached/);
        const [device] = await db.query<{ status: string; returns: number }>(
          'SELECT status, (SELECT count(*)::int FROM ch_return WHERE device_id = $1) AS returns FROM device WHERE device_id = $1',
          [hub],
        );
        assert.deepEqual(device, { status: 'installed', returns: 0 }, 'the hub is not half returned');
        msw.resetHandlers();
      }
      assert.equal((await api.oms('POST', '/returns', { device_id: hub, reason: 'no_power' })).status, 201);

      // Tracking: the carrier's API unreachable, or failing by the control API; both clear, both recover.
      const tracked = await consignment();
      msw.use(http.get(`${shipments}/:reference`, failing('network error', { n: 0 })));
      count('carrier-tracking', 'network error');
      assertClear(await track(tracked), 503, /carrier cannot be reached/);
      msw.resetHandlers();
      await control.carrierFault(sims.urls.logistics, tracked.number, 'fail');
      count('carrier-control', 'fail');
      assertClear(await track(tracked), 503, /carrier cannot be reached/);
      await lift(tracked);
      assert.equal((await track(tracked)).status, 200);

      // The carrier rejects a consignment: the person sees it in the events and cannot accept it.
      const rejected = await consignment();
      await control.carrierFault(sims.urls.logistics, rejected.number, 'reject');
      count('carrier-control', 'reject');
      assert.deepEqual(
        (await track(rejected)).body.result.events.map((e) => e.status),
        ['picked', 'rejected_by_carrier'],
      );
      assertClear(
        await api.oms('POST', `/consignments/${rejected.sys_id}/respond`, { decision: 'accept' }),
        409,
        /has not been delivered yet/,
      );
      await lift(rejected);
      assert.deepEqual(
        (await track(rejected)).body.result.events.map((e) => e.status),
        ['picked'],
      );

      // The carrier delays one: checked on the day it was due, below.
      const late = await consignment();
      await control.carrierFault(sims.urls.logistics, late.number, 'delay', 2);
      count('carrier-control', 'delay');
      delayed.push(late);
    }

    sims.clock.set('2027-04-01T15:00:00Z');
    api = await signInAgain(sims, orderer);
    for (const late of delayed) {
      const now = (await track(late)).body.result;
      assert.deepEqual(
        [now.state, now.events.map((e) => e.status)],
        ['planned', ['picked', 'dispatched']],
        'two working days late, it is only dispatched',
      );
      assertClear(await api.oms('POST', `/consignments/${late.sys_id}/respond`, { decision: 'accept' }), 409, /has not been delivered yet/);
      await lift(late);
      assert.equal((await track(late)).body.result.state, 'delivered');
      assert.equal(
        (await api.oms<{ state: string }>('POST', `/consignments/${late.sys_id}/respond`, { decision: 'accept' })).body.result.state,
        'accepted',
      );
    }
    sims.clock.freeze(false);
  });

  it(
    `PostgreSQL connections dropped mid-flow: a clear 503 or success, recovery, and all or nothing`,
    {
      skip: postgresUrl ? false : "set TEST_DATABASE_URL=postgres://... to drop the simulator's PostgreSQL connections mid-flow (CI does)",
    },
    async () => {
      const tag = randomBytes(4).toString('hex');
      const schema = `faults_${tag}`;
      const application = `fsm_faults_${tag}`;
      const url = new URL(postgresUrl ?? '');
      url.searchParams.set('application_name', application);
      // The pool's connections carry the application name, so the fault kills theirs and nobody else's.
      const killer = new pg.Client({
        connectionString: postgresUrl,
        application_name: `${application}_killer`,
        options: `-c search_path=${schema}`,
      });
      await killer.connect();
      let onPostgres: Simulators | undefined;
      try {
        onPostgres = await startSimulators({ config, control: true, logLevel: 'silent', databaseUrl: url.href, schema });
        await dropConnectionsMidFlow(onPostgres, killer, application);
      } finally {
        await onPostgres?.stop();
        await killer.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await killer.end();
      }
    },
  );

  async function dropConnectionsMidFlow(target: Simulators, killer: pg.Client, application: string): Promise<void> {
    const total = scaled(8, 30);
    target.clock.set('2026-12-01T10:00:00Z');
    const admin = await signedInClient(target, party('Dropped Connections'));
    const me = (await admin.api.me()).body.result.sys_id;
    await admin.api.update('sys_user', me, { roles: 'ORG_ADMIN,OMS_ORDERING', region: 'North' });
    const api = admin.api;
    const months = Array.from({ length: 12 }, (_, i) => ({ month: `2027-${String(i + 1).padStart(2, '0')}`, quantity: 10 }));
    const terminate = async () =>
      (
        await killer.query<{ n: number }>(
          'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1',
          [application],
        )
      ).rows[0]?.n ?? 0;
    const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[]) => (await killer.query<T>(sql, params)).rows[0];

    /**
     * Each flow: the request to cut, and `whole`: asserts that what must hold afterwards holds whether
     * the request went through or not, and says whether its change is there (a forecast never is:
     * each submission is a new version).
     */
    const flows: {
      name: string;
      prepare: () => Promise<string>;
      run: (key: string) => Promise<ApiResponse>;
      whole: (key: string) => Promise<boolean>;
    }[] = [
      {
        name: 'forecast of 12 months',
        prepare: async () => '',
        run: () => api.oms('POST', '/forecasts', { region: 'North', variant: '4G-SB', months }),
        whole: async () => {
          const versions = (
            await killer.query<{ version: number; n: number }>(
              "SELECT version, count(*)::int AS n FROM forecast WHERE party_id = $1 AND variant = '4G-SB' GROUP BY version",
              [admin.partyId],
            )
          ).rows;
          for (const v of versions) assert.equal(v.n, 12, `forecast version ${v.version} has ${v.n} of its 12 months`);
          return false;
        },
      },
      {
        name: 'order confirmation',
        prepare: async () => {
          const placed = await recovered(() =>
            api.oms('POST', '/orders', {
              region: 'North',
              variant: '4G-SB',
              delivery_month: '2027-04',
              location: 'Leeds depot',
              quantity: 10,
            }),
          );
          assert.equal((placed.body as { result: { state: string } }).result.state, 'submitted');
          return String((placed.body as { result: { sys_id: string } }).result.sys_id);
        },
        run: (order) => api.oms('POST', `/orders/${order}/confirm`),
        whole: async (order) => {
          const row = await one<{ state: string; consignments: number }>(
            'SELECT state, (SELECT count(*)::int FROM consignment WHERE order_id = $1) AS consignments FROM oms_order WHERE sys_id = $1',
            [order],
          );
          assert.ok(
            row && ((row.state === 'confirmed' && row.consignments === 1) || (row.state === 'submitted' && row.consignments === 0)),
            `order ${order} is half confirmed: ${JSON.stringify(row)}`,
          );
          return row.state === 'confirmed';
        },
      },
      {
        name: 'new user with a welcome notification',
        prepare: async () => `dropped${randomBytes(3).toString('hex')}@${admin.username.split('@')[1]}`,
        run: (user) => api.create('sys_user', { user_name: user, name: 'Dee Dropped', roles: 'SERVICE_USER' }),
        whole: async (user) => {
          const row = await one<{ accounts: number; notes: number }>(
            'SELECT count(DISTINCT a.id)::int AS accounts, count(n.sys_id)::int AS notes FROM account a LEFT JOIN notification n ON n.account_id = a.id WHERE a.username = $1',
            [user],
          );
          assert.ok(row && row.accounts === row.notes && row.accounts <= 1, `user ${user} is half created: ${JSON.stringify(row)}`);
          return row.accounts === 1;
        },
      },
    ];

    let dropped = 0;
    let cut = 0;
    for (let i = 0; dropped < total; i++) {
      assert.ok(i < total * 4, `only ${dropped} of ${i} attempts found connections to drop`);
      const flow = flows[i % flows.length];
      assert.ok(flow);
      const key = await flow.prepare();
      const pending = flow.run(key);
      // The fault: every connection of the simulator killed a random moment into the request.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
      const killed = await terminate();
      const response = await pending;
      if (killed > 0) {
        dropped += 1;
        count('postgres-dropped', flow.name);
      }
      if (response.status === 503) {
        cut += 1;
        // The carrier simulator shares the platform's database here: when its query is the one cut, the
        // platform says the carrier cannot be reached, which is what a person would see of a real one.
        assertClear(response, 503, /(database|carrier) cannot be reached just now/);
      } else
        assert.ok(response.status === 200 || response.status === 201, `${flow.name}: ${response.status} ${JSON.stringify(response.body)}`);
      const there = await flow.whole(key);
      await recovered(() => api.me());
      if (response.status !== 503) continue;
      // Cut after the commit (its answer lost with the connection): asking again is refused clearly, as a duplicate.
      if (there) postgresCommittedAnyway += 1;
      const again = await recovered(() => flow.run(key), there ? 409 : 201);
      if (there) assertClear(again, 409, /already exists|cannot be confirmed/);
      await flow.whole(key);
    }
    postgresCut += cut;
  }

  /** The simulator gets over a dropped connection: a request is answered (up to `expected`) within a few tries, each failure a clear 503. */
  async function recovered(request: () => Promise<ApiResponse>, expected = 299): Promise<ApiResponse> {
    for (let attempt = 1; ; attempt++) {
      const response = await request();
      if (response.status !== 503 || attempt === 3) {
        assert.ok(response.status <= expected, `not recovered after ${attempt} tries: ${response.status} ${JSON.stringify(response.body)}`);
        return response;
      }
      assertClear(response, 503, /(database|carrier) cannot be reached just now/);
    }
  }

  it(`injected at least ${scaled(30, 100)} faults, and the simulator still serves`, async () => {
    assert.equal((await send('GET', `${sims.urls.fsm}/__sim/clock`)).status, 200);
    const total = [...injected.values()].reduce((sum, k) => sum + k, 0);
    report('faults', {
      total,
      ...Object.fromEntries(injected),
      'postgres-requests-cut-503': postgresCut,
      'postgres-committed-though-503': postgresCommittedAnyway,
    });
    assert.ok(total >= scaled(30, 100), `only ${total} faults injected`);
  });
});

function promptOf200(response: ApiResponse<{ result: LoginStep }>) {
  assert.equal(response.status, 200, JSON.stringify(response.body));
  const result = response.body.result;
  if (result.status !== 'prompt') assert.fail(`expected a prompt, got ${result.status}`);
  return result;
}
