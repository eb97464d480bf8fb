/**
 * One task serves both modes: the performer's ability picks the API form or the portal form.
 * An ability never turns an error into an empty answer: every read a "sees ..." step makes through the
 * REST API throws, saying which call failed and what the platform said, when the platform refuses (403)
 * or fails (500). The platform is msw here, so each endpoint can answer exactly as a broken one would.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DCC_API_PATHS } from '../../clients/dcc-apis';
import { ProductError } from '../../clients/http';
import { BrowseThePortal } from '../../steps/screenplay/abilities/browse-the-portal';
import { CallTheApi } from '../../steps/screenplay/abilities/call-the-api';
import { Incidents } from '../../steps/screenplay/incidents/tasks';
import { tasksOf } from '../../steps/screenplay/modes';
import { Notifications } from '../../steps/screenplay/notifications/tasks';
import { Oms } from '../../steps/screenplay/oms/tasks';
import type { Portal } from '../../steps/screenplay/pages/portal';
import { Requests } from '../../steps/screenplay/requests/tasks';
import { Users } from '../../steps/screenplay/users/tasks';
import { NotOnTarget } from '../../steps/support/not-on-target';

const BASE = 'http://fsm.test';
const platform = setupServer();
const noIdentity = () => Promise.reject(new Error('not used here'));
const ability = () => new CallTheApi(BASE, { registerClient: noIdentity });

before(() => platform.listen({ onUnhandledRequest: 'error' }));
afterEach(() => platform.resetHandlers());
after(() => platform.close());

const refusals = [
  { status: 403, error: { message: 'Not allowed', detail: 'Your roles do not include this' } },
  { status: 500, error: { message: 'The simulator failed', detail: 'Quote request id r-1' } },
];

/** Each read a step judges, the path it asks, and what a working platform answers for "none". */
const READS: { name: string; path: string; read: (a: CallTheApi) => Promise<unknown>; empty: unknown }[] = [
  { name: 'the stock of hubs', path: '/api/x_dcc/oms/stock', read: (a) => Oms.stock(a), empty: [] },
  { name: 'the incoming transfers', path: '/api/x_dcc/oms/transfers', read: (a) => Oms.incomingTransfers(a), empty: [] },
  {
    name: 'the list of incidents',
    path: '/api/now/table/incident',
    read: (a) => Incidents.list(a, {}),
    empty: { total: 0, incidents: [] },
  },
  {
    name: "an incident's comments",
    path: '/api/now/table/sys_journal_field',
    read: (a) => Incidents.details(a, 'abc'),
    empty: { comments: [], attachments: [] },
  },
  {
    name: "an incident's attachments",
    path: '/api/now/table/sys_attachment',
    read: (a) => Incidents.details(a, 'abc'),
    empty: { comments: [], attachments: [] },
  },
  { name: 'the notifications', path: '/api/x_dcc/notifications', read: (a) => Notifications.list(a), empty: [] },
  { name: 'the users', path: '/api/now/table/sys_user', read: (a) => Users.list(a), empty: [] },
  { name: 'the knowledge search', path: '/api/now/table/kb_knowledge', read: (a) => Requests.searchKnowledge(a, 'meter'), empty: [] },
  { name: 'the nominated contacts', path: '/api/x_dcc/contacts', read: (a) => Requests.nominatedContacts(a), empty: [] },
];

/** Every GET answers "none" (with the Table API's total), except `failing`, which answers `status`. */
function platformWhere(failing: string, status: number, body: Record<string, unknown>): void {
  platform.use(
    http.get(`${BASE}${failing}`, () => HttpResponse.json(body, { status })),
    http.get(`${BASE}/*`, () => HttpResponse.json({ result: [] }, { headers: { 'x-total-count': '0' } })),
  );
}

describe('reads through the REST API', () => {
  for (const { name, path, read, empty } of READS) {
    it(`give "none" for ${name} only when the platform says none`, async () => {
      platformWhere('/nothing-fails', 200, {});
      assert.deepEqual(await read(ability()), empty);
    });
    for (const { status, error } of refusals) {
      it(`fail, saying the call and the platform's words, when ${name} answers ${status}`, async () => {
        platformWhere(path, status, { error, status: 'failure' });
        await assert.rejects(read(ability()), (e: Error) => {
          assert.ok(e instanceof ProductError, `${e.name}: ${e.message}`);
          assert.match(e.message, new RegExp(`failed: GET ${BASE}${path}\\S* answered HTTP ${status}: ${error.message}: ${error.detail}$`));
          return true;
        });
      });
    }
  }

  it('fail when the list of incidents comes without its total', async () => {
    platform.use(http.get(`${BASE}/api/now/table/incident`, () => HttpResponse.json({ result: [] })));
    await assert.rejects(Incidents.list(ability(), {}), /gave no X-Total-Count header/);
  });
});

describe('refusals through the REST API', () => {
  it("an action's refusal and a read's failure quote the platform alike, from its error envelope or, without one, its body", async () => {
    platform.use(
      http.post(`${BASE}/api/x_dcc/oms/orders`, () =>
        HttpResponse.json(
          { error: { message: 'Conflict', detail: 'Order on the legacy ordering system' }, status: 'failure' },
          { status: 409 },
        ),
      ),
      http.post(
        `${BASE}/api/now/table/incident`,
        () => new HttpResponse('Bad gateway: the upstream closed', { status: 502, headers: { 'content-type': 'text/plain' } }),
      ),
      http.get(
        `${BASE}/api/x_dcc/oms/stock`,
        () => new HttpResponse('Bad gateway: the upstream closed', { status: 502, headers: { 'content-type': 'text/plain' } }),
      ),
    );
    const order = { region: 'North', variant: '2G3G-SB', deliveryMonth: '2027-05', location: 'Leeds', quantity: 1 };
    assert.deepEqual(await Oms.placeOrder(ability(), order), {
      ok: false,
      status: 409,
      message: 'Conflict: Order on the legacy ordering system',
    });
    assert.deepEqual(
      await Incidents.raise(ability(), { short_description: 'x', description: '', category: 'inquiry', impact: '3', urgency: '3' }),
      { ok: false, status: 502, message: 'Bad gateway: the upstream closed' },
    );
    await assert.rejects(Oms.stock(ability()), /answered HTTP 502: Bad gateway: the upstream closed$/);
  });
});

describe('one task, two modes', () => {
  const forms = tasksOf(
    {
      async where(_api: CallTheApi, n: number) {
        return `api ${n}`;
      },
    },
    {
      async where(portal, n) {
        return `${String(portal)} ${n}`;
      },
    },
  );
  const portalSession = Object.assign(new BrowseThePortal({ browser: () => Promise.reject(new Error('no browser here')), baseUrl: BASE }), {
    portal: async () => 'portal' as unknown as Portal,
  });

  it('runs the API form for whoever calls the API, and the portal form for whoever browses it, as an actor or a bare session', async () => {
    assert.deepEqual(
      [
        await forms.where(ability(), 1),
        await forms.where({ ability: ability() }, 2),
        await forms.where(portalSession, 3),
        await forms.where({ ability: portalSession }, 4),
      ],
      ['api 1', 'api 2', 'portal 3', 'portal 4'],
    );
  });
});

describe('OAuth sign-in', () => {
  it("never calls the simulator's login API: a task needing it is skipped, saying why", async () => {
    const api = new CallTheApi(BASE, { registerClient: noIdentity, signIn: { kind: 'token', way: undefined, held: new Map() } });
    // msw refuses any request it has no handler for: nothing reaches the network.
    await assert.rejects(
      api.startLogin('a@b.example', 'x'),
      (e: Error) => e instanceof NotOnTarget && /Not available when the API signs in as on a real platform/.test(e.message),
    );
    await assert.rejects(api.me(), NotOnTarget);
    const moved = new CallTheApi(BASE, { registerClient: noIdentity, paths: { ...DCC_API_PATHS, oms: '/api/x_dcc_oms/v2' } });
    platform.use(http.get(`${BASE}/api/x_dcc_oms/v2/orders`, () => HttpResponse.json({ result: [] })));
    assert.equal((await moved.oms('GET', '/orders')).status, 200, "the target file's path for a DCC API is the one called");
  });
});
