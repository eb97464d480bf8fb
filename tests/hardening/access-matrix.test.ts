/**
 * The access matrix: every Job Type Role of the role catalogue × every API operation and every portal
 * page and form × the own party and a foreign party, generated from the catalogue. A user holding
 * exactly one role (made by the party's administrator through the API, signed in through MFA, on the
 * API and on the portal) calls each operation; the full run adds a user for every pair of roles.
 * Own party: allowed exactly when the roles' Functional Components include the one the operation needs
 * (2xx, a portal redirect, or the record's own business answer), otherwise 403 naming what is missing. Foreign party (another party's record, by sys_id):
 * 404 "No Record found" (or 403 without the component), never its data. Pass: zero leaks, zero
 * wrongful refusals; every mismatch is collected and reported at once.
 *
 * Which component an operation needs comes from the product's own declarations where it has them
 * (the Table API's ACCESS, the attachment TARGETS, the CATALOG items); the verdict comes only from
 * the catalogue. Cells that change a record get one made for them, so every cell starts alike.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { promptOf } from '../../clients/form-agent';
import { FsmApiClient, type LoginPrompt, type SnRecord } from '../../clients/fsm-api';
import { resultOf, type ApiResponse, type RequestOptions } from '../../clients/http';
import { answerPrompt, type Person } from '../../clients/login-answers';
import { SimControlClient } from '../../clients/sim-control';
import { CATALOG, type CatalogItem } from '../../simulators/domain/catalog';
import { FAULT_REASONS } from '../../simulators/domain/oms';
import { ACCESS, type TableAccess } from '../../simulators/services/records';
import { TARGETS } from '../../simulators/services/attachments';
import { loadRoleCatalogue, type Simulators } from '../../simulators/start';
import { TABLES } from '../../simulators/store/tables';
import { newSignedInUser, signedInClient, startTestSimulators, TEST_PASSWORD, type SignedIn } from '../support';
import { FULL, report, scaled } from './scale';

/** The Service Portal's profile page, at the simulator's default prefix. */
const PROFILE = '/fsm?id=user_profile';

const catalogue = loadRoleCatalogue('config/role-catalogue.json');
const TABLE_ACCESS = ACCESS as Record<string, TableAccess>;
const ADT = CATALOG.find((i) => i.file === 'adt');
const VARIANT = '4G-SB';
const MONTH = '2027-04'; // beyond the lead time from the suite's clock, inside the horizon
const unique = () => randomBytes(5).toString('hex');
const deviceId = () => Array.from(randomBytes(8), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('-');

type Side = 'own' | 'foreign';
/** Records every operation may read, one of each per party: the tables' own records and a few more. */
type RecordKind = string;
/** Records a cell changes, made afresh for each cell that may change them. */
type FreshKind = 'incident' | 'resolved' | 'user' | 'inactiveUser' | 'order' | 'consignment' | 'device' | 'transfer';

interface Answer {
  status: number;
  text: string;
  location?: string;
}

interface Party {
  name: string;
  id: string;
  /** Holds every role: makes the records. */
  admin: SignedIn;
  ids: Record<RecordKind, string>;
  /** What only this party may ever see: a marker in its texts, its numbers and sys_ids. */
  secrets: string[];
  fresh(kind: FreshKind): Promise<string>;
  /** One shared record of the kind, for cells that must not change it (refused, or foreign). */
  spare(kind: FreshKind): Promise<string>;
  /** The party whose hubs a CH transfer to this one offers: the suite's other party. */
  sender?: Party;
}

interface Actor {
  roles: string[];
  sysId: string;
  api: FsmApiClient;
  portal: PortalAgent;
  /** The actor's own notification (the welcome their account made). */
  notification: string;
}

interface Cell {
  actor: Actor;
  id: string;
  own: Party;
  foreign: Party;
}

interface Operation {
  name: string;
  surface: 'api' | 'portal';
  /** The Functional Component it needs; null when no role may do it (read-only tables, deletes). */
  component: string | null;
  /** What the refusal says when `component` is null. */
  refusal?: RegExp;
  target?: { record: RecordKind } | { fresh: FreshKind } | 'notification';
  /** Also called with the foreign party's record (default: when it addresses a party's record). */
  foreign?: boolean;
  /** Statuses an allowed caller may get from the record's state (a consignment not yet delivered). */
  business?: number[];
  call(cell: Cell): Promise<Answer>;
}

/** A person's browser on the portal: cookies, the session's CSRF token, no redirects followed. */
class PortalAgent {
  private readonly cookies = new Map<string, string>();
  private csrf = '';

  constructor(private readonly base: string) {}

  get(path: string): Promise<Answer> {
    return this.send(path, { method: 'GET' });
  }

  /** A form's POST with the session's CSRF token; with `files`, as multipart/form-data. */
  post(
    path: string,
    fields: Record<string, string>,
    files: { field: string; name: string; type: string; text: string }[] = [],
  ): Promise<Answer> {
    const all = { csrf: this.csrf, ...fields };
    if (!files.length) return this.send(path, { method: 'POST', body: new URLSearchParams(all) });
    const form = new FormData();
    for (const [k, v] of Object.entries(all)) form.append(k, v);
    for (const f of files) form.append(f.field, new Blob([f.text], { type: f.type }), f.name);
    return this.send(path, { method: 'POST', body: form });
  }

  /** Signs in through the portal's own pages: password, then the code from the person's app. */
  async signIn(username: string, person: Person): Promise<void> {
    let page = await this.get('/portal/login');
    this.csrf = hiddenValue(page.text, 'csrf');
    page = await this.post('/portal/login', { next: PROFILE, username, password: TEST_PASSWORD });
    const prompts: string[] = [];
    for (let step = 0; page.status !== 303 && step < 4; step++) {
      const { name, method } = promptOf(page.text);
      prompts.push(name);
      const prompt: LoginPrompt = { name, title: name, message: '', fields: [], data: { method } };
      this.csrf = hiddenValue(page.text, 'csrf');
      page = await this.post('/portal/login', {
        login_token: hiddenValue(page.text, 'login_token'),
        next: PROFILE,
        ...(await answerPrompt(person, prompt)),
      });
    }
    assert.equal(page.location, PROFILE, `portal sign-in of ${username}: ${page.status} ${page.text.slice(0, 300)}`);
    assert.deepEqual(prompts, ['mfa_verify'], 'the portal asks for the second factor');
    this.csrf = hiddenValue((await this.get(PROFILE)).text, 'csrf');
  }

  private async send(path: string, init: RequestInit): Promise<Answer> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(`${this.base}${path}`, { ...init, redirect: 'manual', headers: { cookie } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (/Max-Age=0/i.test(line) || at === pair.length - 1) this.cookies.delete(pair.slice(0, at));
      else this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return { status: response.status, text: await response.text(), location: response.headers.get('location') ?? undefined };
  }
}

function hiddenValue(html: string, name: string): string {
  const value = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html)?.[1];
  if (value === undefined) throw new Error(`[access-matrix] no hidden ${name} on the page: ${html.slice(0, 300)}`);
  return value.replace(/&amp;/g, '&');
}

const answerOf = (response: ApiResponse): Answer => ({
  status: response.status,
  text: typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? ''),
});
const fill = (template: string, id: string) => template.replace('{id}', encodeURIComponent(id));
const idOf = (record: SnRecord | { sys_id: string }) => String(record.sys_id);

// ---- The operations -------------------------------------------------------------------------

/** What names a cell beyond its method and path: the variant of the call (`cancel`), or the catalogue item. */
interface Labelled {
  label?: string;
}

function api(
  method: string,
  template: string,
  component: string | null,
  options: Partial<Operation> & Labelled & { send?: (cell: Cell) => RequestOptions } = {},
): Operation {
  const { send, label, ...rest } = options;
  return {
    name: `${method} ${template}${label ? ` (${label})` : ''}`,
    surface: 'api',
    component,
    ...rest,
    call: async (cell) => answerOf(await cell.actor.api.request(method, fill(template, cell.id), send?.(cell) ?? {})),
  };
}

function portal(
  method: 'GET' | 'POST',
  template: string,
  component: string | null,
  options: Partial<Operation> & Labelled & { fields?: (cell: Cell) => Record<string, string>; files?: boolean } = {},
): Operation {
  const { fields, files, label, ...rest } = options;
  const upload = [
    { field: 'file', name: 'matrix.csv', type: 'text/csv', text: 'user_id,threshold_type,value\n' },
    { field: 'signature', name: 'matrix.csv.sig', type: 'text/plain', text: 'bm90IGEgc2lnbmF0dXJl' },
  ];
  return {
    name: `${method} ${template}${label ? ` (${label})` : ''}`,
    surface: 'portal',
    component,
    ...rest,
    call: (cell) =>
      method === 'GET'
        ? cell.actor.portal.get(fill(template, cell.id))
        : cell.actor.portal.post(fill(template, cell.id), fields?.(cell) ?? {}, files ? upload : []),
  };
}

const json =
  (body: (cell: Cell) => unknown) =>
  (cell: Cell): RequestOptions => ({ json: body(cell) });
const newUserBody = () => ({ user_name: `matrix-${unique()}@matrix.example`, name: 'Matrix User', roles: 'REPORTS' });
const CREATE_BODIES: Record<string, () => Record<string, unknown>> = {
  incident: () => ({ short_description: 'Matrix: raised by a role' }),
  sys_user: newUserBody,
};
const UPDATE_BODIES: Record<string, Record<string, unknown>> = {
  incident: { comments: 'Matrix comment' },
  sys_user: { name: 'Matrix Renamed' },
};

/** The Table API, generated from its own ACCESS: list, read, create, update (PATCH and PUT) and delete of every table. */
function tableOperations(): Operation[] {
  return Object.entries(TABLE_ACCESS).flatMap(([table, access]) => {
    const scoped = TABLES[table]?.partyColumn !== null;
    const record = { target: { record: table }, foreign: scoped };
    const readOnly = /read-only/;
    return [
      api('GET', `/api/now/table/${table}`, access.read),
      api('GET', `/api/now/table/${table}/{id}`, access.read, record),
      api('POST', `/api/now/table/${table}`, access.write ?? null, {
        refusal: readOnly,
        send: json(() => (CREATE_BODIES[table] ?? (() => ({ name: 'x' })))()),
      }),
      ...['PATCH', 'PUT'].map((method) =>
        api(method, `/api/now/table/${table}/{id}`, access.write ?? null, {
          ...record,
          refusal: readOnly,
          send: json(() => UPDATE_BODIES[table] ?? { name: 'x' }),
        }),
      ),
      api('DELETE', `/api/now/table/${table}/{id}`, null, { ...record, refusal: /cannot be deleted|read-only|Functional Component/ }),
    ];
  });
}

/** The variables an order of `item` gives; a CH transfer names the other party and a hub of the caller's. */
function variablesFor(item: CatalogItem, cell: Cell): Record<string, string> {
  const given = Object.fromEntries(Object.keys(item.variables).map((name) => [name, `Matrix ${name}`]));
  return item.onOrder === 'ch-transfer' ? { ...given, receiving_party: cell.foreign.name, device_ids: cell.id } : given;
}
const catalogTarget = (item: CatalogItem): Partial<Operation> =>
  item.onOrder === 'ch-transfer' ? { target: { fresh: 'device' }, foreign: false } : {};

function apiOperations(): Operation[] {
  const incident = ACCESS.incident;
  const attachmentsRead = ACCESS.sys_attachment.read;
  const file = (type: string) => (): RequestOptions => ({
    raw: new TextEncoder().encode('matrix file\n'),
    headers: { 'content-type': type },
  });
  const oms = (
    method: string,
    path: string,
    component: string,
    options: Partial<Operation> & { send?: (cell: Cell) => RequestOptions } = {},
  ) => api(method, `/api/x_dcc/oms${path}`, component, options);
  return [
    ...tableOperations(),
    api('PATCH', '/api/now/table/incident/{id}', incident.write, {
      label: 'cancel',
      target: { fresh: 'incident' },
      send: json(() => ({ state: 8 })),
    }),
    api('PATCH', '/api/now/table/incident/{id}', incident.write, {
      label: 'confirm the resolution',
      target: { fresh: 'resolved' },
      send: json(() => ({ state: 7 })),
    }),
    api('PATCH', '/api/now/table/incident/{id}', incident.write, {
      label: 'reject the resolution',
      target: { fresh: 'resolved' },
      send: json(() => ({ state: 2, comments: 'Matrix: still broken' })),
    }),
    api('PATCH', '/api/now/table/sys_user/{id}', ACCESS.sys_user.write, {
      label: 'deactivate',
      target: { fresh: 'user' },
      send: json(() => ({ active: false })),
    }),
    ...Object.entries(TARGETS).map(([table, target]) =>
      api('POST', `/api/now/attachment/file?table_name=${table}&table_sys_id={id}&file_name=matrix.txt`, target.component, {
        target: { record: table },
        send: file('text/plain'),
      }),
    ),
    api('GET', '/api/now/attachment', attachmentsRead),
    api('GET', '/api/now/attachment/{id}', attachmentsRead, { target: { record: 'sys_attachment' } }),
    api('GET', '/api/now/attachment/{id}/file', attachmentsRead, { target: { record: 'sys_attachment' } }),
    api('GET', '/api/sn_sc/servicecatalog/items', 'portal.access'),
    api('GET', `/api/sn_sc/servicecatalog/items/${CATALOG[0]?.sys_id ?? ''}`, 'portal.access'),
    ...CATALOG.map((item) =>
      api('POST', `/api/sn_sc/servicecatalog/items/${item.sys_id}/order_now`, item.component, {
        label: item.name,
        ...catalogTarget(item),
        send: json((cell) => ({ sysparm_quantity: '1', variables: variablesFor(item, cell) })),
      }),
    ),
    api('POST', '/api/x_dcc/requests/{id}/submit', 'files.submit', { target: { record: 'sc_req_item' }, send: json(() => ({})) }),
    api('GET', '/api/x_dcc/notifications', 'notifications.read'),
    api('POST', '/api/x_dcc/notifications/{id}/read', 'notifications.read', { target: 'notification', foreign: true }),
    api('PUT', '/api/x_dcc/notifications/preferences', 'notifications.read', { send: json(() => ({ email_copies: true })) }),
    api('GET', '/api/x_dcc/contacts', 'portal.access'),
    api('GET', '/api/x_dcc/auth/me', 'portal.access'),
    api('POST', '/api/x_dcc/auth/mfa/change', 'portal.access'),
    api('POST', '/api/x_dcc/auth/users/{id}/mfa/reset', 'accounts.admin', { target: { record: 'sys_user' } }),
    oms('GET', '/stock', 'oms.read'),
    oms('POST', '/forecasts', 'oms.order', {
      send: json(() => ({ region: 'North', variant: VARIANT, months: [{ month: MONTH, quantity: 1000 }] })),
    }),
    oms('POST', '/orders', 'oms.order', {
      send: json(() => ({ region: 'North', variant: VARIANT, delivery_month: MONTH, location: 'Matrix depot', quantity: 1000 })),
    }),
    oms('POST', '/orders/{id}/confirm', 'oms.order', { target: { fresh: 'order' } }),
    oms('GET', '/consignments/{id}', 'oms.read', { target: { record: 'consignment' } }),
    oms('POST', '/consignments/{id}/amend', 'oms.order', {
      target: { record: 'consignment' },
      send: json(() => ({ delivery_date: '2027-04-07' })),
    }),
    oms('POST', '/consignments/{id}/confirm', 'oms.order', { target: { fresh: 'consignment' } }),
    oms('POST', '/consignments/{id}/respond', 'oms.order', {
      target: { record: 'consignment' },
      business: [409],
      send: json(() => ({ decision: 'accept' })),
    }),
    oms('POST', '/returns', 'oms.returns', {
      target: { fresh: 'device' },
      foreign: false,
      send: json((cell) => ({ device_id: cell.id, reason: FAULT_REASONS[0] })),
    }),
    oms('GET', '/returns/{id}', 'oms.read', { target: { record: 'return' } }),
    oms('GET', '/transfers', 'oms.read'),
    oms('POST', '/transfers/{id}/accept', 'oms.returns', { target: { fresh: 'transfer' } }),
    oms('POST', '/transfers/{id}/reject', 'oms.returns', { target: { fresh: 'transfer' } }),
  ];
}

function portalOperations(): Operation[] {
  const { read, write } = ACCESS.incident;
  const users = ACCESS.sys_user;
  const inc = (path: string) => `/portal/incidents/{id}${path}`;
  const incident = { target: { record: 'incident' } } as const;
  const roles = () => ({ roles: 'REPORTS', region: '' });
  return [
    portal('GET', '/fsm', 'notifications.read'),
    portal('GET', '/fsm?id=search&q=meter', 'portal.access'),
    portal('POST', '/portal/notifications/{id}/read', 'notifications.read', { target: 'notification', foreign: true }),
    portal('GET', PROFILE, 'portal.access'),
    portal('POST', '/portal/profile/preferences', 'notifications.read', { fields: () => ({ email_copies: 'true' }) }),
    portal('POST', '/portal/profile/mfa', 'portal.access'),

    portal('GET', '/fsm?id=list&table=incident', read),
    portal('GET', '/fsm?id=form&table=incident&sys_id=-1', write),
    portal('POST', '/portal/incidents', write, {
      fields: () => ({ short_description: 'Matrix: raised on the portal', category: 'inquiry', impact: '3', urgency: '3' }),
    }),
    portal('GET', '/fsm?id=ticket&table=incident&sys_id={id}', read, incident),
    portal('GET', '/fsm?id=form&table=incident&sys_id={id}', write, incident),
    portal('POST', inc('/edit'), write, { ...incident, fields: () => ({ description: 'Matrix: edited on the portal' }) }),
    portal('POST', inc('/comments'), write, { ...incident, fields: () => ({ comments: 'Matrix: a portal comment' }) }),
    portal('POST', inc('/cancel'), write, { target: { fresh: 'incident' } }),
    portal('POST', inc('/confirm'), write, { target: { fresh: 'resolved' } }),
    portal('POST', inc('/reject'), write, { target: { fresh: 'resolved' }, fields: () => ({ reject_reason: 'Matrix: still broken' }) }),
    portal('POST', inc('/attachments'), TARGETS.incident?.component ?? null, { ...incident, files: true }),

    portal('GET', '/fsm?id=sc_home', 'portal.access'),
    ...CATALOG.map((item) => portal('GET', `/fsm?id=sc_cat_item&sys_id=${item.sys_id}`, 'portal.access', { label: item.name })),
    ...CATALOG.map((item) =>
      portal('POST', `/portal/catalog/${item.sys_id}`, item.component, {
        label: item.name,
        ...catalogTarget(item),
        fields: (cell) => variablesFor(item, cell),
      }),
    ),
    portal('GET', '/fsm?id=my_requests', ACCESS.sc_req_item.read),
    portal('GET', '/fsm?id=ticket&table=sc_req_item&sys_id={id}', ACCESS.sc_req_item.read, { target: { record: 'sc_req_item' } }),
    portal('POST', '/portal/requests/{id}/submit', 'files.submit', { target: { record: 'sc_req_item' }, files: true }),
    portal('GET', '/fsm?id=kb_search', ACCESS.kb_knowledge.read),
    portal('GET', '/fsm?id=kb_search&q=meter', ACCESS.kb_knowledge.read),
    portal('GET', '/fsm?id=contacts', 'portal.access'),

    portal('GET', '/portal/users', users.read),
    portal('GET', '/portal/users/new', users.write),
    portal('POST', '/portal/users/new', users.write, {
      fields: () => ({ user_name: `matrix-${unique()}@matrix.example`, name: 'Matrix Portal User', roles: 'REPORTS', region: '' }),
    }),
    portal('GET', '/portal/users/{id}', users.read, { target: { record: 'sys_user' } }),
    portal('POST', '/portal/users/{id}/roles', users.write, { target: { record: 'sys_user' }, fields: roles }),
    portal('POST', '/portal/users/{id}/deactivate', users.write, { target: { fresh: 'user' } }),
    portal('POST', '/portal/users/{id}/reinstate', users.write, { target: { fresh: 'inactiveUser' }, fields: roles }),
    portal('POST', '/portal/users/{id}/decline', users.write, { target: { fresh: 'inactiveUser' } }),
    portal('POST', '/portal/users/{id}/mfa-reset', 'accounts.admin', { target: { record: 'sys_user' } }),

    portal('GET', '/portal/oms', 'oms.read'),
    portal('GET', '/portal/oms/forecasts/new', 'oms.order'),
    portal('POST', '/portal/oms/forecasts', 'oms.order', {
      fields: () => ({ region: 'North', variant: VARIANT, [`month_${MONTH}`]: '1000' }),
    }),
    portal('GET', '/portal/oms/orders/new', 'oms.order'),
    portal('POST', '/portal/oms/orders', 'oms.order', {
      fields: () => ({ region: 'North', variant: VARIANT, delivery_month: MONTH, location: 'Matrix depot', quantity: '1000' }),
    }),
    portal('GET', '/portal/oms/orders/{id}', 'oms.read', { target: { record: 'order' } }),
    portal('POST', '/portal/oms/orders/{id}/confirm', 'oms.order', { target: { fresh: 'order' } }),
    portal('GET', '/portal/oms/consignments/{id}', 'oms.read', { target: { record: 'consignment' } }),
    // Another date than the API's amendment, which runs just before for the same actor: the same date twice is a 409.
    portal('POST', '/portal/oms/consignments/{id}/amend', 'oms.order', {
      target: { record: 'consignment' },
      fields: () => ({ delivery_date: '2027-04-08' }),
    }),
    portal('POST', '/portal/oms/consignments/{id}/confirm', 'oms.order', { target: { fresh: 'consignment' } }),
    portal('POST', '/portal/oms/consignments/{id}/respond', 'oms.order', {
      target: { record: 'consignment' },
      business: [409],
      fields: () => ({ decision: 'accept' }),
    }),
    portal('GET', '/portal/oms/returns/new', 'oms.returns'),
    portal('POST', '/portal/oms/returns', 'oms.returns', {
      target: { fresh: 'device' },
      foreign: false,
      fields: (cell) => ({ device_id: cell.id, reason: FAULT_REASONS[0] }),
    }),
    portal('GET', '/portal/oms/returns/{id}', 'oms.read', { target: { record: 'return' } }),
    portal('GET', '/portal/oms/transfers', 'oms.read'),
    portal('POST', '/portal/oms/transfers/{id}/accept', 'oms.returns', { target: { fresh: 'transfer' } }),
    portal('POST', '/portal/oms/transfers/{id}/reject', 'oms.returns', { target: { fresh: 'transfer' } }),
  ];
}

// ---- The parties and their records --------------------------------------------------------------

/** Onboards a party whose administrator holds every role, and makes one record of each kind. */
async function buildParty(sims: Simulators, name: string): Promise<Party> {
  const marker = `SECRET-${unique()}`;
  const admin = await signedInClient(sims, name);
  const { api } = admin;
  const control = new SimControlClient(sims.urls.fsm);
  const ok = <T = SnRecord>(response: ApiResponse, what: string) => resultOf<T>(response, [200, 201], `${name}: ${what}`);
  const me = ok<{ sys_id: string }>(await api.me(), 'who am I').sys_id;
  ok(await api.update('sys_user', me, { roles: catalogue.roleNames.join(','), region: 'North' }), 'every role for the administrator');

  const incident = ok(await api.create('incident', { short_description: `${marker} incident` }), 'an incident');
  ok(await api.update('incident', idOf(incident), { comments: `${marker} comment` }), 'a comment');
  const journal = ok<SnRecord[]>(await api.list('sys_journal_field', { sysparm_query: `element_id=${idOf(incident)}` }), 'the comment')[0];
  const attachment = ok(
    await api.attach(idOf(incident), `${marker}.txt`, 'text/plain', new TextEncoder().encode(`${marker} file`)),
    'an attachment',
  );
  const ordered = ok<{ sys_id: string; number: string; items: { sys_id: string; number: string }[] }>(
    await api.orderNow(ADT?.sys_id ?? ''),
    'an ADT request',
  );
  const item = ordered.items[0];
  for (const [file, text] of [
    [`${marker}.csv`, 'user_id,threshold_type,value\n'],
    [`${marker}.csv.sig`, 'bm90IGEgc2lnbmF0dXJl'],
  ] as const) {
    ok(
      await api.attach(
        item?.sys_id ?? '',
        file,
        file.endsWith('.sig') ? 'text/plain' : 'text/csv',
        new TextEncoder().encode(text),
        'sc_req_item',
      ),
      'the ADT file',
    );
  }
  ok(await api.submitRequestItem(item?.sys_id ?? ''), 'submitting the ADT file');
  const notification = ok<{ sys_id: string }[]>(await api.notifications(), 'notifications')[0];
  const victim = ok(
    await api.create('sys_user', { user_name: `victim-${unique()}@matrix.example`, name: `${marker} Victim`, roles: 'REPORTS' }),
    'a user',
  );
  const article = ok<SnRecord[]>(await api.list('kb_knowledge', { sysparm_limit: 1 }), 'knowledge')[0];
  ok(await api.oms('POST', '/forecasts', { region: 'North', variant: VARIANT, months: [{ month: MONTH, quantity: 1000 }] }), 'a forecast');
  const placeOrder = async (location = 'Matrix depot') =>
    ok<{ sys_id: string; number: string }>(
      await api.oms('POST', '/orders', { region: 'North', variant: VARIANT, delivery_month: MONTH, location, quantity: 1000 }),
      'an order',
    );
  const confirm = async (order: string) =>
    ok<{ sys_id: string; number: string }>(await api.oms('POST', `/orders/${order}/confirm`), 'a consignment');
  const install = async () => {
    const device = deviceId();
    await control.installDevices(admin.partyId, VARIANT, [device]);
    return device;
  };
  const order = await placeOrder(`${marker} depot`);
  const consignment = await confirm(order.sys_id);
  const returned = await install();
  const rma = ok<{ sys_id: string; rma_number: string }>(
    await api.oms('POST', '/returns', { device_id: returned, reason: FAULT_REASONS[0] }),
    'a return',
  );

  const ids: Record<RecordKind, string> = {
    incident: idOf(incident),
    sys_journal_field: journal ? idOf(journal) : '',
    sys_attachment: idOf(attachment),
    sc_request: ordered.sys_id,
    sc_req_item: item?.sys_id ?? '',
    sys_user: idOf(victim),
    kb_knowledge: article ? idOf(article) : '',
    notification: notification?.sys_id ?? '',
    order: order.sys_id,
    consignment: consignment.sys_id,
    return: rma.sys_id,
  };
  for (const table of Object.keys(TABLE_ACCESS))
    assert.ok(ids[table], `[access-matrix] no record of ${table} to address: add one to buildParty`);
  assert.ok(Object.values(ids).every(Boolean), `[access-matrix] ${name} lacks a record: ${JSON.stringify(ids)}`);

  const makers: Record<FreshKind, () => Promise<string>> = {
    incident: async () => idOf(ok(await api.create('incident', { short_description: 'Matrix: an incident to change' }), 'an incident')),
    resolved: async () => {
      const id = idOf(ok(await api.create('incident', { short_description: 'Matrix: an incident DCC resolved' }), 'an incident'));
      await control.serviceDesk(id, { state: 6, close_notes: 'Matrix: resolved by DCC' });
      return id;
    },
    user: async () => idOf(ok(await api.create('sys_user', newUserBody()), 'a user')),
    inactiveUser: async () => {
      const id = idOf(ok(await api.create('sys_user', newUserBody()), 'a user'));
      ok(await api.update('sys_user', id, { active: false }), 'deactivating a user');
      return id;
    },
    order: async () => (await placeOrder()).sys_id,
    consignment: async () => (await confirm((await placeOrder()).sys_id)).sys_id,
    device: install,
    transfer: () => transferTo(sims, party),
  };
  const spares = new Map<FreshKind, Promise<string>>();
  const party: Party = {
    name,
    id: admin.partyId,
    admin,
    ids,
    secrets: [
      marker,
      me,
      ...Object.entries(ids)
        .filter(([k]) => k !== 'kb_knowledge')
        .map(([, v]) => v),
      String(incident.number),
      ordered.number,
      item?.number ?? '',
      order.number,
      consignment.number,
      rma.rma_number,
      returned,
    ],
    fresh: (kind) => makers[kind](),
    spare: (kind) => {
      const made = spares.get(kind) ?? makers[kind]();
      spares.set(kind, made);
      return made;
    },
  };
  return party;
}

/** A CH transfer of a hub of `to`'s sender, waiting for `to` to accept or reject it. */
async function transferTo(sims: Simulators, to: Party): Promise<string> {
  const from = to.sender;
  if (!from) throw new Error('[access-matrix] no party to send hubs from');
  const device = deviceId();
  await new SimControlClient(sims.urls.fsm).installDevices(from.id, VARIANT, [device]);
  const transferItem = CATALOG.find((i) => i.onOrder === 'ch-transfer');
  resultOf(
    await from.admin.api.orderNow(transferItem?.sys_id ?? '', { receiving_party: to.name, device_ids: device }),
    200,
    'a CH transfer',
  );
  const incoming = resultOf<{ sys_id: string; device_ids: string[] }[]>(
    await to.admin.api.oms('GET', '/transfers'),
    200,
    'incoming transfers',
  );
  const transfer = incoming.find((t) => t.device_ids.includes(device));
  if (!transfer) throw new Error('[access-matrix] the transfer did not arrive');
  return transfer.sys_id;
}

/** A user of `party` holding exactly `roles`, made by its administrator, signed in to the API and, through MFA, to the portal. */
async function actorFor(sims: Simulators, party: Party, roles: string[]): Promise<Actor> {
  const email = `${roles.join('-').toLowerCase().replace(/_/g, '-')}-${unique()}@matrix.example`;
  const { api, person, created } = await newSignedInUser(sims, party.admin.api, {
    user_name: email,
    name: `Matrix ${roles.join(' ')}`,
    roles: roles.join(','),
    region: 'North',
  });
  const portalAgent = new PortalAgent(sims.urls.fsm);
  await portalAgent.signIn(email, person);
  const sysId = idOf(created.body.result);
  // Found in the store, not through the API: the actor's roles may not read notifications.
  const [welcome] = await sims.core.db.query<{ sys_id: string }>('SELECT sys_id FROM notification WHERE account_id = $1', [sysId]);
  return { roles, sysId, api, portal: portalAgent, notification: welcome?.sys_id ?? '' };
}

/** Every set of `size` roles of the catalogue, in catalogue order. */
function roleSets(names: string[], size: number): string[][] {
  if (size === 0) return [[]];
  return names.flatMap((first, i) => roleSets(names.slice(i + 1), size - 1).map((rest) => [first, ...rest]));
}

/** The record a cell addresses: the party's own, or one made for it when the cell may change it. */
async function targetOf(op: Operation, side: Side, party: Party, actor: Actor, mayChange: boolean): Promise<string> {
  const target = op.target;
  if (!target) return '';
  if (target === 'notification') return side === 'own' ? actor.notification : (party.ids.notification ?? '');
  if ('record' in target) return party.ids[target.record] ?? '';
  return mayChange ? party.fresh(target.fresh) : party.spare(target.fresh);
}

// ---- Judging one cell ------------------------------------------------------------------------------

type MismatchKind = 'leak' | 'wrongfulRefusal' | 'other';

/** What an answer says, short: the API's error, or a page's alert (else its heading). */
function saidIn(text: string): string {
  const said =
    /"message":"([^"]*)"(?:,"detail":"([^"]*)")?/.exec(text) ??
    /role="alert"[^>]*>([\s\S]*?)<\/(?:p|div)>/.exec(text) ??
    /<h1>([^<]*)</.exec(text);
  return (said ? said.slice(1).filter(Boolean).join(': ') : text)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, 200);
}

function judge(
  op: Operation,
  allowed: boolean,
  side: Side,
  answer: Answer,
  foreignSecrets: string[],
): { kind: MismatchKind; why: string } | undefined {
  const seen = foreignSecrets.find((s) => answer.text.includes(s));
  if (seen) return { kind: 'leak', why: `answered ${answer.status} carrying the foreign party's ${seen}` };
  const signedOut = answer.location?.startsWith('/portal/login') ?? false;
  const success = answer.status < 300 || (op.surface === 'portal' && answer.status === 303 && !signedOut);
  const said = saidIn(answer.text);
  if (side === 'foreign') {
    if (success) return { kind: 'leak', why: `answered ${answer.status}: another party's record was reached` };
    if (answer.status === 404 && answer.text.includes('No Record found')) return undefined;
    if (answer.status === 403 && !allowed) return undefined;
    return { kind: 'other', why: `expected 404 No Record found${allowed ? '' : ' or 403'}, got ${answer.status}: ${said}` };
  }
  if (allowed) {
    if (success || op.business?.includes(answer.status)) return undefined;
    const refused = [401, 403, 404].includes(answer.status) || signedOut;
    return { kind: refused ? 'wrongfulRefusal' : 'other', why: `expected it allowed, got ${answer.status}: ${said}` };
  }
  if (success) return { kind: 'leak', why: `answered ${answer.status} to a role without ${op.component ?? 'any way to do it'}` };
  const names = op.component ? answer.text.includes(`Functional Component ${op.component}`) : (op.refusal?.test(answer.text) ?? false);
  if (answer.status !== 403 || !names)
    return { kind: 'other', why: `expected 403 naming ${op.component ?? op.refusal}, got ${answer.status}: ${said}` };
  return undefined;
}

// ---- The matrix -----------------------------------------------------------------------------------

interface Counts {
  roles: number;
  users: number;
  operations: number;
  portalFunctions: number;
  cells: number;
  allowed: number;
  refused: number;
  leaks: number;
  wrongfulRefusals: number;
}

describe('access matrix (hardening)', () => {
  let sims: Simulators;
  let own: Party;
  let foreign: Party;
  before(async () => {
    sims = await startTestSimulators();
    // Frozen, so OMS months stay put; the authenticator app moves it to the next code's time step.
    sims.clock.change({ set: '2026-12-01T10:00:00Z', freeze: true });
    own = await buildParty(sims, 'Matrix Own Energy');
    foreign = await buildParty(sims, 'Matrix Foreign Gas');
    own.sender = foreign;
    foreign.sender = own;
  });
  after(async () => {
    sims?.clock.reset();
    await sims?.stop();
  });

  /** Every cell of one user: each operation on the own party's record, and on the foreign party's where it names one. */
  async function cellsOf(actor: Actor, operations: Operation[], counts: Counts, mismatches: string[]): Promise<void> {
    for (const op of operations) {
      const allowed = op.component !== null && catalogue.grants(actor.roles, op.component);
      const sides: Side[] = op.target && op.foreign !== false ? ['own', 'foreign'] : ['own'];
      for (const side of sides) {
        const party = side === 'own' ? own : foreign;
        const id = await targetOf(op, side, party, actor, side === 'own' && allowed);
        const answer = await op.call({ actor, id, own, foreign });
        counts.cells += 1;
        if (side === 'own' && allowed) counts.allowed += 1;
        else counts.refused += 1;
        const mismatch = judge(op, allowed, side, answer, foreign.secrets);
        if (!mismatch) continue;
        if (mismatch.kind === 'leak') counts.leaks += 1;
        if (mismatch.kind === 'wrongfulRefusal') counts.wrongfulRefusals += 1;
        mismatches.push(
          `${mismatch.kind}: ${actor.roles.join('+')} × ${op.name} × ${side} party (${allowed ? 'allowed' : 'refused'} by the catalogue): ${mismatch.why}`,
        );
      }
    }
  }

  it('grants every operation exactly to the roles whose Functional Components include it, and never reaches another party', async () => {
    const apiOps = apiOperations();
    const portalOps = portalOperations();
    const operations = [...apiOps, ...portalOps];
    assert.equal(new Set(operations.map((o) => o.name)).size, operations.length, 'operation names are unique');
    // The whole matrix of single roles runs on every CI run; the full run adds every pair of roles (a union of components).
    const users = [...roleSets(catalogue.roleNames, 1), ...(scaled(1, 2) === 2 ? roleSets(catalogue.roleNames, 2) : [])];
    const counts: Counts = {
      roles: catalogue.roleNames.length,
      users: users.length,
      operations: apiOps.length,
      portalFunctions: portalOps.length,
      cells: 0,
      allowed: 0,
      refused: 0,
      leaks: 0,
      wrongfulRefusals: 0,
    };
    const mismatches: string[] = [];
    const started = Date.now();
    for (const roles of users) {
      const actor = await actorFor(sims, own, roles);
      await cellsOf(actor, operations, counts, mismatches);
      // Frees the actor's OMS account of the Region (four per party) for the next one.
      resultOf(await own.admin.api.update('sys_user', actor.sysId, { active: false }), 200, 'deactivating the actor');
    }
    report('access-matrix', { ...counts, seconds: Math.round((Date.now() - started) / 1000) });
    assert.deepEqual(
      mismatches,
      [],
      `${mismatches.length} of ${counts.cells} cells disagree with the role catalogue${FULL ? '' : ' (fast slice)'}`,
    );
  });
});
