/**
 * Unmodified ServiceNow clients against the platform simulator (issue 17): the npm client
 * `servicenow-rest-api` (HTTP Basic, the Table API v1/v2 with display values) lists, pages, creates,
 * updates and deletes incidents as an integration account; a plain OAuth client gets a token from
 * /oauth_token.do by the password grant, uses it, and refreshes it.
 *
 * servicenow-rest-api always builds `https://<instance>` URLs. It is pointed at the simulator's http
 * listener with its own hook, setNetworkOptions, giving axios Node's http transport: the library
 * itself is not touched. It only knows Basic auth; through OAuth, that transport sends the access
 * token instead of the library's Basic credentials, as a gateway adding OAuth in front of it would.
 *
 * Deleting is a delete ACL: refused by default (FSM keeps incidents); on a simulator started with
 * `incidents.deleteRoles`, the library deletes its own party's incidents through Basic and OAuth.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { send } from '../../clients/http';
import { passwordGrant, refreshGrant, revokeToken, type OAuthApp } from '../../clients/servicenow-oauth';
import { findDeletedRecords } from '../../simulators/store/deletions';
import { SimControlClient } from '../../clients/sim-control';
import type { Simulators } from '../../simulators/start';
import { startTestSimulators } from '../support';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ServiceNow = require('servicenow-rest-api') as new (instance: string, user: string, password: string) => ServiceNowClient;

type Callback = (result: unknown) => void;
interface ServiceNowClient {
  setNetworkOptions(options: Record<string, unknown>): void;
  getTableData(fields: string[], filters: string[], table: string, callback: Callback): void;
  getSampleData(table: string, callback: Callback): void;
  createNewTask(data: Record<string, string>, table: string, callback: Callback): void;
  UpdateTask(table: string, number: string, data: Record<string, string>, callback: Callback): void;
  DeleteTask(table: string, number: string, callback: Callback): void;
}

/** The library answers by callback, with the result or the axios error. */
const call = <T>(run: (callback: Callback) => void) =>
  new Promise<T>((resolve, reject) => run((value) => (value instanceof Error ? reject(value) : resolve(value as T))));

let sims: Simulators;
let integration: { user_name: string; password: string };
let app: OAuthApp;
let instance: string;

before(async () => {
  sims = await startTestSimulators();
  const control = new SimControlClient(sims.urls.fsm);
  const onboarded = await control.onboardParty({
    name: 'Client Test Co',
    userRoles: ['IS'],
    regions: ['Central'],
    gatewayConnected: true,
    administrator: { email: 'admin@client-test.example', name: 'Ann Admin' },
  });
  assert.ok(onboarded.oauthApp, 'onboarding hands the party an OAuth app');
  app = { clientId: onboarded.oauthApp.client_id, clientSecret: onboarded.oauthApp.client_secret };
  integration = await control.addIntegrationUser({
    party_id: onboarded.party.id,
    user_name: 'integration@client-test.example',
    name: 'Client Test integration',
    roles: ['ORG_ADMIN', 'SERVICE_USER'],
  });
  instance = new URL(sims.urls.fsm).host;
});
after(async () => {
  await sims?.stop();
});

/** The access token the transport sends instead of the library's Basic credentials; none: Basic as the library sends it. */
let bearer: string | undefined;
const transport = {
  request(options: http.RequestOptions & { auth?: string }, callback: (res: http.IncomingMessage) => void) {
    if (!bearer) return http.request(options, callback);
    const { auth: _basic, ...rest } = options;
    return http.request({ ...rest, headers: { ...rest.headers, Authorization: `Bearer ${bearer}` } }, callback);
  },
};

/** The library keeps one axios for all its clients: its network options are set once, by the first. */
let networkSet = false;
function client(password = integration.password, account = integration, host = instance): ServiceNowClient {
  const sn = new ServiceNow(host, account.user_name, password);
  if (!networkSet) sn.setNetworkOptions({ transport });
  networkSet = true;
  return sn;
}

type Shown = Record<string, string | { display_value: string; link?: string }>;

describe('servicenow-rest-api, unmodified, through HTTP Basic', () => {
  it('creates, lists, pages and updates incidents; a delete is refused as FSM keeps incidents', async () => {
    const sn = client();
    const created: Shown[] = [];
    for (const short_description of ['Meter offline', 'Hub not joining', 'Alerts missing'])
      created.push(
        await call<Shown>((cb) => sn.createNewTask({ short_description, impact: '2 - Medium', urgency: '3 - Low' }, 'incident', cb)),
      );
    assert.deepEqual(
      created.map((c) => [c.state, c.impact, c.priority]),
      Array(3).fill(['New', '2 - Medium', '4 - Low']),
    );
    const numbers = created.map((c) => String(c.number));

    const listed = await call<Shown[]>((cb) => sn.getTableData(['number', 'state'], ['active=true^ORDERBYnumber'], 'incident', cb));
    assert.deepEqual(
      listed.map((r) => [r.number, r.state]),
      numbers.map((n) => [n, 'New']),
    );
    // The library has no paging argument: its filters go into the URL as they are, so the page's parameters ride along.
    const page = await call<Shown[]>((cb) =>
      sn.getTableData(['number'], ['ORDERBYnumber&sysparm_limit=2&sysparm_offset=2'], 'incident', cb),
    );
    assert.deepEqual(
      page.map((r) => r.number),
      numbers.slice(2),
    );

    const [first, second] = numbers as [string, string];
    const updated = await call<Shown>((cb) =>
      sn.UpdateTask('incident', first, { urgency: '1 - High', short_description: 'Meter offline (all)' }, cb),
    );
    assert.deepEqual([updated.urgency, updated.priority, updated.short_description], ['1 - High', '2 - High', 'Meter offline (all)']);

    // Deleting is refused (403): FSM keeps incidents on record (issue 17's closing note).
    const refused = await call<unknown>((cb) => sn.DeleteTask('incident', second, cb)).then(
      () => undefined,
      (error: { response?: { status: number } }) => error.response?.status,
    );
    assert.equal(refused, 403);
  });

  // getSampleData, as getTableData never calls back on an error (a defect of the library).
  it('is refused with a wrong password, as ServiceNow refuses it', async () => {
    const refused = await call<unknown>((cb) => client('not-the-password').getSampleData('incident', cb)).then(
      () => undefined,
      (error: { response?: { status: number; headers: Record<string, string>; data: unknown } }) => error.response,
    );
    assert.equal(refused?.status, 401);
    assert.equal(refused?.headers['www-authenticate'], 'Basic realm="Service-now"');
    assert.deepEqual(refused?.data, {
      error: { message: 'User Not Authenticated', detail: 'Sign in again, or check the email address and password.' },
      status: 'failure',
    });
  });
});

describe('a plain OAuth client of /oauth_token.do', () => {
  it('gets a token by the password grant, uses it, and refreshes it', async () => {
    const granted = await passwordGrant(sims.urls.fsm, app, integration.user_name, integration.password);
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    assert.deepEqual(
      { scope: granted.body.scope, token_type: granted.body.token_type, expires_in: granted.body.expires_in },
      { scope: 'useraccount', token_type: 'Bearer', expires_in: 1800 },
    );
    const list = (token: string) =>
      send('GET', `${sims.urls.fsm}/api/now/v2/table/incident`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await list(granted.body.access_token)).status, 200);

    const refreshed = await refreshGrant(sims.urls.fsm, app, String(granted.body.refresh_token));
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.notEqual(refreshed.body.access_token, granted.body.access_token);
    assert.equal((await list(refreshed.body.access_token)).status, 200);
  });

  it('refuses a JSON body and wrong credentials with ServiceNow OAuth error', async () => {
    const json = await send('POST', `${sims.urls.fsm}/oauth_token.do`, {
      json: { grant_type: 'password', client_id: app.clientId, client_secret: app.clientSecret, ...integration },
    });
    assert.deepEqual([json.status, json.body], [401, { error_description: 'access_denied', error: 'server_error' }]);
    const wrong = await passwordGrant(sims.urls.fsm, { ...app, clientSecret: 'wrong' }, integration.user_name, integration.password);
    assert.deepEqual([wrong.status, wrong.body], [401, { error_description: 'access_denied', error: 'server_error' }]);
    const disabled = await send('POST', `${sims.urls.fsm}/oauth_token.do`, {
      raw: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(disabled.status, 400);
    assert.equal((disabled.body as { error: string }).error, 'unsupported_grant_type');
  });
});

describe('servicenow-rest-api deleting, where a delete ACL allows it (incidents.deleteRoles)', () => {
  let allowing: Simulators;
  let host: string;
  let control: SimControlClient;
  before(async () => {
    allowing = await startTestSimulators({ settings: { incidents: { assumed: true, deleteRoles: ['ORG_ADMIN'] } } });
    host = new URL(allowing.urls.fsm).host;
    control = new SimControlClient(allowing.urls.fsm);
  });
  after(async () => {
    bearer = undefined;
    await allowing?.stop();
  });

  /** A party with an OAuth app, an integration account holding `roles`, and its library client. */
  async function party(name: string, roles: string[]) {
    const slug = name.toLowerCase().replace(/\W+/g, '-');
    const onboarded = await control.onboardParty({
      name,
      userRoles: ['IS'],
      regions: ['Central'],
      gatewayConnected: true,
      administrator: { email: `admin@${slug}.example`, name: 'Ann Admin' },
    });
    const account = await control.addIntegrationUser({ party_id: onboarded.party.id, user_name: `api@${slug}.example`, name, roles });
    const oauth = { clientId: String(onboarded.oauthApp?.client_id), clientSecret: String(onboarded.oauthApp?.client_secret) };
    return { account, oauth, sn: client(account.password, account, host) };
  }
  const raise = (sn: ServiceNowClient, short_description: string) =>
    call<Shown>((cb) => sn.createNewTask({ short_description, impact: '2 - Medium', urgency: '3 - Low' }, 'incident', cb));
  const status = (sn: ServiceNowClient, number: string) =>
    call<{ status: number }>((cb) => sn.DeleteTask('incident', number, cb)).then(
      (answer) => answer.status,
      (error: { response?: { status: number } }) => error.response?.status,
    );
  const read = (sysId: string, authorization: string) =>
    send('GET', `${allowing.urls.fsm}/api/now/table/incident/${sysId}`, { headers: { authorization } });
  const basic = (a: { user_name: string; password: string }) => `Basic ${Buffer.from(`${a.user_name}:${a.password}`).toString('base64')}`;

  it('deletes through Basic and through OAuth (204), keeps the journal and the deleted record, and cascades attachments', async () => {
    const { account, oauth, sn } = await party('Deleting Co', ['ORG_ADMIN', 'SERVICE_USER']);
    const first = await raise(sn, 'Raised to be deleted');
    const sysId = String(first.sys_id);
    await call((cb) => sn.UpdateTask('incident', String(first.number), { comments: 'Kept after deletion' }, cb));
    const attached = await send<{ result: { sys_id: string } }>(
      'POST',
      `${allowing.urls.fsm}/api/now/attachment/file?table_name=incident&table_sys_id=${sysId}&file_name=log.txt`,
      { raw: 'meter log', headers: { authorization: basic(account), 'content-type': 'text/plain' } },
    );
    assert.equal(attached.status, 201, JSON.stringify(attached.body));

    assert.equal(await status(sn, String(first.number)), 204);
    assert.equal((await read(sysId, basic(account))).status, 404);
    const attachment = `${allowing.urls.fsm}/api/now/attachment/${attached.body.result.sys_id}`;
    assert.equal(
      (await send('GET', attachment, { headers: { authorization: basic(account) } })).status,
      404,
      'its attachment went with it',
    );
    const journal = await send<{ result: { value: string }[] }>(
      'GET',
      `${allowing.urls.fsm}/api/now/table/sys_journal_field?sysparm_query=element_id=${sysId}`,
      { headers: { authorization: basic(account) } },
    );
    assert.deepEqual(
      journal.body.result.map((e) => e.value),
      ['Kept after deletion'],
    );
    const kept = await findDeletedRecords(allowing.core.db, sysId);
    assert.deepEqual(
      kept.map((k) => [k.table_name, k.payload.number ?? k.payload.file_name]),
      [['incident', first.number]],
    );
    const keptAttachment = await findDeletedRecords(allowing.core.db, attached.body.result.sys_id);
    assert.deepEqual(
      keptAttachment.map((k) => [k.table_name, k.payload.file_name, 'content' in k.payload]),
      [['sys_attachment', 'log.txt', false]],
    );

    const granted = await passwordGrant(allowing.urls.fsm, oauth, account.user_name, account.password);
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    bearer = granted.body.access_token;
    try {
      const second = await raise(sn, 'Raised and deleted through OAuth');
      const listed = await call<Shown[]>((cb) => sn.getTableData(['number'], [`number=${String(second.number)}`], 'incident', cb));
      assert.deepEqual(
        listed.map((r) => r.number),
        [second.number],
      );
      assert.equal(await status(sn, String(second.number)), 204);
      assert.equal((await read(String(second.sys_id), `Bearer ${granted.body.access_token}`)).status, 404);
      // The library's calls carried the token, not its Basic credentials: once it is revoked, they are refused.
      assert.equal((await revokeToken(allowing.urls.fsm, granted.body.access_token, oauth)).status, 200);
      const refused = await call<unknown>((cb) => sn.getSampleData('incident', cb)).then(
        () => undefined,
        (error: { response?: { status: number } }) => error.response?.status,
      );
      assert.equal(refused, 401);
    } finally {
      bearer = undefined;
    }
  });

  it("refuses a role the ACL does not name (403), and another party's incident is not found (404) and stays", async () => {
    const owner = await party('Owning Co', ['ORG_ADMIN', 'SERVICE_USER']);
    const incident = await raise(owner.sn, 'Not yours to delete');
    const plain = await party('Plain Co', ['SERVICE_USER']);
    const own = await raise(plain.sn, 'Mine, but my role may not delete');
    assert.equal(await status(plain.sn, String(own.number)), 403);

    const foreign = await party('Foreign Co', ['ORG_ADMIN', 'SERVICE_USER']);
    const deleted = await send('DELETE', `${allowing.urls.fsm}/api/now/table/incident/${String(incident.sys_id)}`, {
      headers: { authorization: basic(foreign.account) },
    });
    assert.deepEqual([deleted.status, (deleted.body as { error: { message: string } }).error.message], [404, 'No Record found']);
    assert.equal((await read(String(incident.sys_id), basic(owner.account))).status, 200);
  });
});
