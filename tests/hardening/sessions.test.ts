/**
 * Headers and sessions of the portal (and DCC Identity's sign-in pages):
 * - security headers on every response: CSP without inline script, no framing, nosniff, a strict
 *   Referrer-Policy, no caching, and session cookies HttpOnly and SameSite;
 * - CSRF on every form: an administrator holding every Job Type Role walks every portal page it can
 *   reach (with records in every state that shows a form), and every POST form found, plus the
 *   sign-in, MFA and password-reset forms, is sent without its token and with another session's
 *   token. Each is refused (403) and the database is byte-for-byte what it was;
 * - session fixation: a cookie planted before sign-in (made up, or the attacker's own valid session)
 *   is never the one after, and is never accepted as the person who signed in;
 * - session tokens: hundreds collected, all distinct, base64url, at least 128 bits each;
 * - idle time: API, portal and DCC Identity portal sessions end exactly the idle time after their last
 *   request (on the simulated clock), not after their last write of "last seen";
 * - secrets: every password, TOTP key, code, bearer token, session cookie and client secret used
 *   here is absent from the simulator's log (captured at trace level) and its request journal;
 * - forwarded headers: a hostile Host, X-Forwarded-Host/Proto/For, Forwarded or absolute-form
 *   request target never shows in a Link, a Location, a reference link, a redirect, an error or DCC
 *   Identity's discovery document: each URL is at the origin of the listener that answered, and an
 *   X-Forwarded-For that is no IP address is refused without being echoed.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FormAgent, promptOf } from '../../clients/form-agent';
import { FsmApiClient } from '../../clients/fsm-api';
import { send } from '../../clients/http';
import { answerPrompt, codeInMail, type Person } from '../../clients/login-answers';
import { signInWithOidc } from '../../clients/oidc-sign-in';
import { SimControlClient } from '../../clients/sim-control';
import { CATALOG } from '../../simulators/domain/catalog';
import { entraPaths } from '../../simulators/idp/entra';
import type { Simulators } from '../../simulators/start';
import { signedInClient, startTestSimulators, TEST_PASSWORD, testPerson, type SignedIn } from '../support';
import { FULL, report, scaled } from './scale';

const LOG_FILE = join(tmpdir(), `fsm-hardening-sessions-${process.pid}-${randomBytes(4).toString('hex')}.log`);
const SESSION_COOKIE = 'fsm_portal';
/** The Service Portal's pages, at the default prefix (/fsm?id=...). */
const HOME = '/fsm';
const PROFILE = '/fsm?id=user_profile';
const PRE_COOKIE = 'fsm_pre';
const counts = { pages: 0, forms: 0, csrfChecks: 0, fixationChecks: 0, tokens: 0, secretsChecked: 0 };

/** Every secret this suite uses, by what it is: none may appear in the log or the journal. */
const secrets = new Map<string, string>();
const keep = (what: string, value: string | undefined) => {
  if (value) secrets.set(`${what} #${secrets.size + 1}`, value);
  return value ?? '';
};

let sims: Simulators;
let control: SimControlClient;

before(async () => {
  sims = await startTestSimulators({ logFile: LOG_FILE, logLevel: 'trace' });
  control = new SimControlClient(sims.urls.fsm);
  // The OMS pages need a date inside the forecast horizon; a frozen clock also keeps "last seen" still.
  await control.changeClock({ set: '2026-12-01T10:00:00Z', freeze: true });
});
after(async () => {
  await sims?.stop();
  rmSync(LOG_FILE, { force: true });
  report('sessions', counts);
});

interface Reply {
  status: number;
  headers: Headers;
  html: string;
  location: string;
}

/** A browser's view of the portal: its own cookies, no redirects followed unless asked. */
class Browser {
  readonly jar = new Map<string, string>();

  async send(method: string, path: string, body?: URLSearchParams | FormData, jar: Map<string, string> = this.jar): Promise<Reply> {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(new URL(path, sims.urls.fsm), { method, body, redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      if (/Max-Age=0/i.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return {
      status: response.status,
      headers: response.headers,
      html: await response.text(),
      location: response.headers.get('location') ?? '',
    };
  }

  get = (path: string) => this.send('GET', path);
  cookie = (name: string) => this.jar.get(name);
}

const decode = (s: string) => s.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))).replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const value = new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
  return value === undefined ? undefined : decode(value);
};

interface PortalForm {
  page: string;
  action: string;
  multipart: boolean;
  fields: [string, string][];
  files: string[];
}

/** Plausible answers, so that a form that slipped through would change something. */
const FILL: Record<string, string> = {
  short_description: 'Forged by a cross-site request',
  comments: 'Forged comment',
  name: 'Forged Person',
  delivery_month: '2027-05',
  delivery_date: '2027-04-21',
  location: 'Forged depot',
  quantity: '10',
  new_password: 'Forged-Password-2027!',
};

/** Every POST form of a page, with what a person would send: hidden values, choices made, fields filled. */
/** A confidential client of DCC Identity (production tenant), its secret kept among the secrets to look for. */
async function registerClient() {
  const registered = await control.registerIdpClient(sims.urls.idp, {
    tenant: 'production',
    redirect_uris: ['http://127.0.0.1:9/callback'],
  });
  keep('client secret', registered.client_secret);
  return registered;
}

/** An authorization request of the code flow with PKCE (S256) for `clientId`. */
function codeFlowQuery(clientId: string): URLSearchParams {
  return new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: 'http://127.0.0.1:9/callback',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  });
}

function formsOf(html: string, page: string, fill: Record<string, string>): PortalForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].flatMap(([, tag = '', inner = '']) => {
    if ((attr(tag, 'method') ?? 'get').toLowerCase() !== 'post') return [];
    const fields: [string, string][] = [];
    const files: string[] = [];
    for (const [input] of inner.matchAll(/<input\b[^>]*>/g)) {
      const name = attr(input, 'name');
      const type = attr(input, 'type') ?? 'text';
      if (!name) continue;
      if (type === 'file') files.push(name);
      else if (type === 'radio' || type === 'checkbox') {
        if (/\bchecked\b/.test(input)) fields.push([name, attr(input, 'value') ?? 'on']);
      } else
        fields.push([
          name,
          type === 'hidden' ? (attr(input, 'value') ?? '') : (fill[name] ?? FILL[name] ?? (attr(input, 'value') || 'forged')),
        ]);
    }
    for (const [, selectTag = '', options = ''] of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const chosen = /<option value="([^"]*)" selected/.exec(options)?.[1] ?? /<option value="([^"]*)"/.exec(options)?.[1] ?? '';
      fields.push([attr(selectTag, 'name') ?? '', decode(chosen)]);
    }
    for (const [, areaTag = ''] of inner.matchAll(/<textarea\b([^>]*)>/g))
      fields.push([attr(areaTag, 'name') ?? '', FILL[attr(areaTag, 'name') ?? ''] ?? 'Forged text']);
    return [{ page, action: attr(tag, 'action') ?? page, multipart: /multipart\/form-data/.test(tag), fields, files }];
  });
}

/** The form's body with the CSRF token replaced (or left out when `csrf` is undefined). */
function bodyOf(form: PortalForm, csrf: string | undefined): URLSearchParams | FormData {
  const fields = form.fields.filter(([name]) => name !== 'csrf').concat(csrf === undefined ? [] : [['csrf', csrf]]);
  if (!form.multipart) return new URLSearchParams(fields);
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  for (const name of form.files) data.append(name, new Blob(['user_id,threshold_type,value\n'], { type: 'text/csv' }), 'forged.csv');
  return data;
}

const shapeOf = (path: string) => path.replace(/[0-9a-f]{32}/g, ':id');
const keyOf = (form: PortalForm) =>
  `${shapeOf(form.action)} [${[...new Set(form.fields.map(([n]) => n).concat(form.files))].sort().join(',')}]`;
const csrfOf = (html: string) => /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? assert.fail('the page has no CSRF token');

/** The security headers every portal (and sign-in) response must carry. */
function assertSecurityHeaders(reply: Reply, what: string, page = true): void {
  const h = reply.headers;
  const csp = h.get('content-security-policy') ?? '';
  assert.ok(/frame-ancestors 'none'/.test(csp) || /^(deny|sameorigin)$/i.test(h.get('x-frame-options') ?? ''), `${what}: may be framed`);
  assert.match(csp, /default-src 'none'/, `${what}: Content-Security-Policy`);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-(inline|eval)'/, `${what}: inline script allowed`);
  assert.equal(h.get('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.match(
    h.get('referrer-policy') ?? '',
    /^(no-referrer|same-origin|strict-origin(-when-cross-origin)?)$/,
    `${what}: Referrer-Policy`,
  );
  assert.match(h.get('cache-control') ?? '', /no-store/, `${what}: Cache-Control`);
  for (const cookie of h.getSetCookie())
    assert.ok(
      /HttpOnly/i.test(cookie) && /SameSite=(Lax|Strict)/i.test(cookie),
      `${what}: a cookie without HttpOnly and SameSite: ${cookie}`,
    );
  if (page) counts.pages += 1;
}

interface Member {
  username: string;
  person: Person;
  signedIn: SignedIn;
}

/** Signs in through the portal's pages (password, then the authenticator code): the session cookie. */
async function portalSignIn(browser: Browser, who: Member): Promise<string> {
  const login = await browser.get('/portal/login');
  const start = await browser.send(
    'POST',
    '/portal/login',
    new URLSearchParams({ csrf: csrfOf(login.html), next: '/portal', username: who.username, password: TEST_PASSWORD }),
  );
  assert.equal(promptOf(start.html).name, 'mfa_verify', start.html.slice(0, 300));
  const [form] = formsOf(start.html, '/portal/login', { code: keep('TOTP code', await who.person.app.code()) });
  assert.ok(form);
  const done = await browser.send('POST', form.action, bodyOf(form, csrfOf(start.html)));
  assert.equal(done.status, 303, done.html.slice(0, 300));
  return keep('portal session cookie', browser.cookie(SESSION_COOKIE));
}

async function member(name: string, options: Parameters<typeof signedInClient>[2] = {}): Promise<Member> {
  const signedIn = await signedInClient(sims, name, options);
  keep('API bearer token', signedIn.api.accessToken);
  return { username: signedIn.username, person: signedIn.person, signedIn };
}

/**
 * The whole database, table by table, as hashes, once the work the platform does after answering is
 * done: what a refused form must leave untouched. A session's time of last request is left out:
 * every request of the session moves it, refused or not.
 */
async function snapshot(): Promise<Map<string, string>> {
  await sims.core.settled();
  const tables = await sims.core.db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`,
  );
  const out = new Map<string, string>();
  for (const { name } of tables) {
    const rows = (await sims.core.db.query<Record<string, unknown>>(`SELECT * FROM "${name}"`))
      .map((r) => JSON.stringify(name === 'session' ? { ...r, last_seen_at: undefined } : r))
      .sort();
    out.set(name, createHash('sha256').update(rows.join('\n')).digest('hex'));
  }
  return out;
}

function assertUnchanged(before: Map<string, string>, after: Map<string, string>, what: string): void {
  const changed = [...after].filter(([table, hash]) => before.get(table) !== hash).map(([table]) => table);
  assert.deepEqual(changed, [], `${what} changed ${changed.join(', ')}`);
}

describe('portal forms and headers', () => {
  let victim: Member;
  let attacker: Member;
  const victimBrowser = new Browser();

  /** The forms the portal's source renders (simulators/portal/*.ts): the walk must find every one. */
  const EXPECTED = [
    '/portal/logout',
    '/portal/notifications/:id/read',
    '/portal/profile/mfa',
    '/portal/profile/preferences',
    '/portal/users/new',
    '/portal/users/:id/roles',
    '/portal/users/:id/deactivate',
    '/portal/users/:id/reinstate',
    '/portal/users/:id/decline',
    '/portal/users/:id/mfa-reset',
    '/portal/incidents',
    '/portal/incidents/:id/comments',
    '/portal/incidents/:id/cancel',
    '/portal/incidents/:id/confirm',
    '/portal/incidents/:id/attachments',
    '/portal/incidents/:id/edit',
    '/portal/incidents/:id/reject',
    '/portal/catalog/:id',
    '/portal/requests/:id/submit',
    '/portal/oms/forecasts',
    '/portal/oms/orders',
    '/portal/oms/orders/:id/confirm',
    '/portal/oms/consignments/:id/amend',
    '/portal/oms/consignments/:id/confirm',
    '/portal/oms/consignments/:id/respond',
    '/portal/oms/returns',
    '/portal/oms/transfers/:id/accept',
    '/portal/oms/transfers/:id/reject',
  ];

  before(async () => {
    victim = await member('Session Energy');
    attacker = await member('Attacker Power');
    const api = victim.signedIn.api;
    const everyRole = sims.core.roles.roleNames.join(',');
    const me = (await api.me()).body.result.sys_id;
    assert.equal((await api.update('sys_user', me, { roles: everyRole, region: 'North' })).status, 200);
    // Records in every state that shows a form: a new incident (cancel), a resolved one (confirm, reject).
    const created = await api.create('incident', { short_description: 'Meter readings missing', impact: '2', urgency: '2' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const resolved = String((await api.create('incident', { short_description: 'Hub offline since Monday' })).body.result.sys_id);
    await control.serviceDesk(resolved, { state: '6', close_notes: 'Hub restarted' });
    assert.equal(
      (await api.create('sys_user', { user_name: 'colleague@session-energy.example', name: 'Col League', roles: 'SERVICE_USER' })).status,
      201,
    );
    await control.importDsmsExport({
      party_id: victim.signedIn.partyId,
      snapshot: 'initial',
      accounts: [{ legacy_id: 'U9', email: 'legacy@session-energy.example', name: 'Leg Acy' }],
      tickets: [],
    });
    const adt = CATALOG.find((i) => i.file === 'adt')?.sys_id ?? '';
    assert.equal((await api.orderNow(adt)).status, 200);
    await api.oms('POST', '/forecasts', {
      region: 'North',
      variant: '4G-SB',
      months: ['2027-04', '2027-05'].map((month) => ({ month, quantity: 1000 })),
    });
    // Orders as forecast (inside the tolerance): one waits to be confirmed, one has its consignment.
    const order = async (month: string) =>
      String(
        (
          await api.oms('POST', '/orders', {
            region: 'North',
            variant: '4G-SB',
            delivery_month: month,
            location: 'Leeds depot',
            quantity: 1000,
          })
        ).body.result.sys_id,
      );
    await order('2027-04');
    const confirmed = await api.oms('POST', `/orders/${await order('2027-05')}/confirm`);
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    await control.installDevices(victim.signedIn.partyId, '4G-SB', ['00-1B-C5-0C-00-00-07-01']);
    // The attacker's party sends hubs, so a transfer waits for an answer.
    const attackerApi = attacker.signedIn.api;
    await attackerApi.update('sys_user', (await attackerApi.me()).body.result.sys_id, { roles: 'ORG_ADMIN,OMS_RETURNS', region: 'South' });
    await control.installDevices(attacker.signedIn.partyId, '4G-SB', ['00-1B-C5-0C-00-00-08-01']);
    const transfer = CATALOG.find((i) => i.onOrder === 'ch-transfer')?.sys_id ?? '';
    assert.equal(
      (await attackerApi.orderNow(transfer, { receiving_party: 'Session Energy', device_ids: '00-1B-C5-0C-00-00-08-01' })).status,
      200,
    );
    await portalSignIn(victimBrowser, victim);
  });

  /** Every page the signed-in person can reach by following links, each checked for its headers; the POST forms on them. */
  async function walk(): Promise<PortalForm[]> {
    const limit = scaled(150, 400);
    const seen = new Set<string>();
    const queue = [HOME];
    const forms: PortalForm[] = [];
    while (queue.length > 0 && seen.size < limit) {
      const path = queue.shift() as string;
      if (seen.has(path)) continue;
      seen.add(path);
      const page = await victimBrowser.get(path);
      assert.equal(page.status, 200, `${path}: ${page.status} ${page.html.slice(0, 200)}`);
      assertSecurityHeaders(page, path);
      forms.push(...formsOf(page.html, path, { device_id: '00-1B-C5-0C-00-00-07-01', delivery_date: '2027-04-21' }));
      // A Service Portal address's `&` is escaped as `&#38;`: its `#` is no fragment.
      for (const [, href = ''] of page.html.matchAll(/<a href="(\/portal[^"#]*|\/fsm(?:\?[^"]*)?)"/g)) {
        const next = decode(href).split('#')[0] ?? '';
        if (!next.startsWith('/portal/login') && !seen.has(next)) queue.push(next);
      }
    }
    return forms;
  }

  it("sends the security headers on every page, signed in or not, and on DCC Identity's sign-in pages", async () => {
    const stranger = new Browser();
    for (const path of ['/portal/login', '/portal/password/forgot', '/portal/no-such-page', '/portal/incidents'])
      assertSecurityHeaders(await stranger.get(path), `signed out: ${path}`);
    assertSecurityHeaders(await victimBrowser.get('/portal/no-such-page'), 'signed in: not found');
    const failed = await stranger.send(
      'POST',
      '/portal/login',
      new URLSearchParams({
        csrf: csrfOf((await stranger.get('/portal/login')).html),
        username: victim.username,
        password: 'Not-The-Password-1!',
      }),
    );
    assertSecurityHeaders(failed, 'signed out: a refused sign-in');
    // DCC Identity's sign-in pages show passwords and authenticator keys too.
    const registered = await registerClient();
    const discovery = (await send<{ authorization_endpoint: string }>('GET', `${registered.issuer}/.well-known/openid-configuration`)).body;
    const query = codeFlowQuery(registered.client_id);
    const authorize = await fetch(`${discovery.authorization_endpoint}?${query}`, { redirect: 'manual' });
    const cookie = authorize.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const loginUrl = new URL(authorize.headers.get('location') ?? '', discovery.authorization_endpoint);
    const idpPage = await fetch(loginUrl, { headers: { cookie } });
    const html = await idpPage.text();
    assertSecurityHeaders({ status: idpPage.status, headers: idpPage.headers, html, location: '' }, 'DCC Identity sign-in page');
    const idpRefusal = await fetch(loginUrl, {
      method: 'POST',
      headers: { cookie },
      body: new URLSearchParams({ csrf: csrfOf(html), username: victim.username, password: 'Not-The-Password-1!' }),
    });
    assertSecurityHeaders(
      { status: idpRefusal.status, headers: idpRefusal.headers, html: await idpRefusal.text(), location: '' },
      'DCC Identity refused sign-in',
    );
  });

  it("refuses every portal form without its CSRF token or with another session's, and changes nothing", async () => {
    const found = await walk();
    const unique = new Map<string, PortalForm>();
    for (const form of found) if (FULL || !unique.has(keyOf(form))) unique.set(FULL ? `${keyOf(form)} ${form.action}` : keyOf(form), form);
    const shapes = new Set([...unique.values()].map((f) => shapeOf(f.action)));
    assert.deepEqual(
      EXPECTED.filter((s) => !shapes.has(s)),
      [],
      'forms the walk did not reach',
    );

    // Another session's valid tokens: the attacker's, and the victim's own from a second browser.
    const attackerBrowser = new Browser();
    await portalSignIn(attackerBrowser, attacker);
    const secondBrowser = new Browser();
    await portalSignIn(secondBrowser, victim);
    const foreign: [string, string | undefined][] = [
      ['no token', undefined],
      ['an empty token', ''],
      ["the attacker's session token", csrfOf((await attackerBrowser.get(PROFILE)).html)],
      ["the victim's token from another session", csrfOf((await secondBrowser.get(PROFILE)).html)],
    ];
    if (FULL) {
      const own = csrfOf((await victimBrowser.get(PROFILE)).html);
      foreign.push(
        ['a pre-sign-in token', csrfOf((await new Browser().get('/portal/login')).html)],
        ["the victim's token with one character changed", `${own.slice(0, -1)}${own.endsWith('A') ? 'B' : 'A'}`],
        ["the victim's token in lower case", own.toLowerCase()],
      );
    }
    // The MFA-change prompt is a form too, shown after its button; forged with a valid code.
    const mfa = await victimBrowser.send(
      'POST',
      '/portal/profile/mfa',
      new URLSearchParams({ csrf: csrfOf((await victimBrowser.get(PROFILE)).html) }),
    );
    for (const form of formsOf(mfa.html, '/portal/profile/mfa', { code: keep('TOTP code', await victim.person.app.code()) }))
      unique.set(`MFA change: ${keyOf(form)}`, form);

    for (const [key, form] of unique) {
      const before = await snapshot();
      for (const [what, csrf] of foreign) {
        const reply = await victimBrowser.send('POST', form.action, bodyOf(form, csrf));
        assert.equal(reply.status, 403, `${key} with ${what}: ${reply.status} ${reply.location || reply.html.slice(0, 200)}`);
        assert.match(reply.html, /This form has expired/, `${key} with ${what}`);
        assertSecurityHeaders(reply, `${key}: the refusal`, false);
        counts.csrfChecks += 1;
      }
      assertUnchanged(before, await snapshot(), key);
      counts.forms += 1;
    }
    // The same forms with the right token do work, so the refusals above were the token's doing.
    for (const shape of ['/portal/incidents/:id/comments', '/portal/incidents']) {
      const form = [...unique.values()].find((f) => shapeOf(f.action) === shape) ?? assert.fail(shape);
      const before = await snapshot();
      const reply = await victimBrowser.send('POST', form.action, bodyOf(form, csrfOf((await victimBrowser.get(form.page)).html)));
      assert.equal(reply.status, 303, `${shape} with its own token: ${reply.html.slice(0, 300)}`);
      assert.notDeepEqual(await snapshot(), before, `${shape} with its own token changed nothing`);
    }
  });

  it("refuses the sign-in, MFA and password-reset forms without their token or with another browser's", async () => {
    const victimApi = new FsmApiClient(sims.urls.fsm);
    assert.equal((await victimApi.forgotPassword(victim.username)).status, 202);
    const [mail] = await control.mailbox(victim.username);
    const resetCode = keep('password reset code', codeInMail(mail?.subject ?? '', mail?.text ?? ''));
    const other = new Browser();
    const otherToken = csrfOf((await other.get('/portal/login')).html);
    const browser = new Browser();
    const loginPage = await browser.get('/portal/login');
    const forgotPage = await browser.get('/portal/password/forgot');
    const fill = { username: victim.username, password: TEST_PASSWORD, code: resetCode };
    const resetPage = await browser.send(
      'POST',
      '/portal/password/forgot',
      new URLSearchParams({ csrf: csrfOf(forgotPage.html), username: 'nobody@nowhere.example' }),
    );
    const forms = [
      ...formsOf(loginPage.html, '/portal/login', fill),
      ...formsOf(forgotPage.html, '/portal/password/forgot', fill),
      ...formsOf(resetPage.html, '/portal/password/reset', fill),
    ];
    // Half-way through a sign-in: the code prompt, answered with a valid code.
    const prompt = await browser.send(
      'POST',
      '/portal/login',
      new URLSearchParams({ csrf: csrfOf(loginPage.html), next: '/portal', username: victim.username, password: TEST_PASSWORD }),
    );
    forms.push(...formsOf(prompt.html, '/portal/login', { code: keep('TOTP code', await victim.person.app.code()) }));
    assert.deepEqual(forms.map((f) => shapeOf(f.action)).sort(), [
      '/portal/login',
      '/portal/login',
      '/portal/password/forgot',
      '/portal/password/reset',
    ]);
    for (const form of forms) {
      const before = await snapshot();
      for (const [what, csrf] of [
        ['no token', undefined],
        ['an empty token', ''],
        ["another browser's token", otherToken],
      ] as const) {
        const reply = await browser.send('POST', form.action, bodyOf(form, csrf));
        assert.equal(reply.status, 403, `${keyOf(form)} with ${what}: ${reply.status}`);
        counts.csrfChecks += 1;
      }
      assertUnchanged(before, await snapshot(), keyOf(form));
      counts.forms += 1;
    }
  });
});

describe('sessions', () => {
  let person: Member;
  let thief: Member;
  before(async () => {
    person = await member('Fixation Gas');
    thief = await member('Fixation Thief');
  });

  const check = (ok: boolean, what: string) => {
    assert.ok(ok, what);
    counts.fixationChecks += 1;
  };
  /** Whose portal page a cookie opens, if anyone's. */
  async function whoseSession(token: string): Promise<string | undefined> {
    const reply = await new Browser().send('GET', PROFILE, undefined, new Map([[SESSION_COOKIE, token]]));
    return reply.status === 200 ? /Signed in as ([^ ]+) \(/.exec(reply.html)?.[1] : undefined;
  }

  it('issues a new session at sign-in: a planted cookie is never the one after, nor accepted as the person', async () => {
    const planted = randomBytes(32).toString('base64url');
    const browser = new Browser();
    browser.jar.set(SESSION_COOKIE, planted);
    browser.jar.set(PRE_COOKIE, planted.slice(0, 32));
    check((await browser.get(HOME)).status === 303, 'a made-up session cookie opens nothing');
    const issued = await portalSignIn(browser, person);
    check(issued !== planted && issued !== planted.slice(0, 32), 'the session after sign-in is not the planted one');
    check((await whoseSession(planted)) === undefined, 'the planted cookie is not accepted after the sign-in');
    check((await whoseSession(planted.slice(0, 32))) === undefined, 'the planted pre-sign-in cookie is not a session');
    check((await whoseSession(issued)) === person.username, "the new session is the person's");

    // The attacker plants their own valid session in the person's browser, then the person signs in.
    const theirs = await portalSignIn(new Browser(), thief);
    const victimBrowser = new Browser();
    victimBrowser.jar.set(SESSION_COOKIE, theirs);
    const mine = await portalSignIn(victimBrowser, person);
    check(mine !== theirs, 'signing in over a planted session replaces it');
    check((await whoseSession(theirs)) === thief.username, "the planted session stays the attacker's own, never the person's");

    // Signing out ends the session: the cookie is worth nothing after.
    const out = await victimBrowser.send(
      'POST',
      '/portal/logout',
      new URLSearchParams({ csrf: csrfOf((await victimBrowser.get(PROFILE)).html) }),
    );
    check(out.status === 303 && (await whoseSession(mine)) === undefined, 'a signed-out session is refused');

    // Sessions of the API and the portal are not interchangeable, and a finished login cannot be continued.
    const apiToken = person.signedIn.api.accessToken ?? '';
    check((await whoseSession(apiToken)) === undefined, 'an API bearer token as a portal cookie');
    check(
      (await new FsmApiClient(sims.urls.fsm, { authorization: `Bearer ${issued}` }).me()).status === 401,
      'a portal cookie as an API bearer token',
    );
    const api = new FsmApiClient(sims.urls.fsm);
    const started = await api.startLogin(person.username, TEST_PASSWORD);
    const loginToken = keep('login token', started.body.result.status === 'prompt' ? started.body.result.login_token : '');
    assert.equal(
      (await api.continueLogin(loginToken, { code: keep('TOTP code', await person.person.app.code()) })).body.result.status,
      'authenticated',
    );
    check(
      (await api.continueLogin(loginToken, { code: await person.person.app.code() })).status === 401,
      'a finished login token continued',
    );
    // Idle sessions end on the simulated clock.
    await control.changeClock({ advance: `PT${sims.core.config.session.idleMinutes + 1}M` });
    check((await whoseSession(issued)) === undefined, 'an idle session');
  });

  it('ends a session after exactly the idle time since its last request: API, portal, and portal through DCC Identity', async () => {
    const idle = sims.core.config.session.idleMinutes;
    const advance = (duration: string) => control.changeClock({ advance: duration });
    // Each kind of session, with a request that answers whether it is still open.
    const entraParty = await control.onboardParty({
      name: 'Idle Entra',
      userRoles: ['IS'],
      regions: ['North'],
      gatewayConnected: true,
      administrator: { email: 'admin@idle-entra.example', name: 'Ida Idle', identityPath: 'entra' },
    });
    const entra = testPerson(sims, entraParty.administrator.username);
    const registered = await control.registerIdpClient(sims.urls.idp, {
      tenant: 'production',
      redirect_uris: ['http://127.0.0.1:9/callback'],
    });
    const first = await signInWithOidc(
      {
        issuer: registered.issuer,
        clientId: registered.client_id,
        clientSecret: registered.client_secret,
        redirectUri: 'http://127.0.0.1:9/callback',
      },
      entraParty.administrator.username,
      entraParty.administrator.oneTimePassword,
      (p) => answerPrompt(entra, p),
    );
    if (!first.ok) assert.fail(first.message);
    const kinds: [string, () => Promise<() => Promise<boolean>>][] = [
      [
        'API session',
        async () => {
          const api = new FsmApiClient(sims.urls.fsm);
          const { response } = await api.answerPrompts(await api.startLogin(person.username, TEST_PASSWORD), (p) =>
            answerPrompt(person.person, p),
          );
          assert.equal(response.body.result.status, 'authenticated');
          return async () => (await api.me()).status === 200;
        },
      ],
      [
        'portal session',
        async () => {
          const token = await portalSignIn(new Browser(), person);
          return async () => (await whoseSession(token)) === person.username;
        },
      ],
      [
        'portal session through DCC Identity',
        async () => {
          const agent = new FormAgent('http://stop.invalid/');
          let page = await agent.open(`${sims.urls.fsm}/portal/login/identity/production`);
          for (let i = 0; i < 4 && page.url.startsWith(sims.urls.idp); i++) {
            const { name, method } = promptOf(page.html);
            page = await agent.submit(
              page,
              name === 'login'
                ? { username: entraParty.administrator.username, password: TEST_PASSWORD }
                : await answerPrompt(entra, { name, title: '', message: '', fields: [], data: { method } }),
            );
          }
          assert.equal(page.url, `${sims.urls.fsm}${HOME}`, page.html.slice(0, 300));
          return async () => {
            const profile = await agent.open(`${sims.urls.fsm}${PROFILE}`);
            return profile.status === 200 && profile.url === `${sims.urls.fsm}${PROFILE}`;
          };
        },
      ],
    ];
    for (const [kind, signIn] of kinds) {
      // The review's timeline: a request 59 s after sign-in, then 29 min 30 s without one.
      const open = await signIn();
      await advance('PT59S');
      assert.ok(await open(), `${kind}: a request 59 s after sign-in`);
      await advance('PT29M30S');
      assert.ok(await open(), `${kind}: a request 29 min 30 s after the last one`);
      await advance(`PT${idle}M`);
      assert.ok(await open(), `${kind}: a request exactly ${idle} minutes after the last one`);
      await advance(`PT${idle}M0.001S`);
      assert.ok(!(await open()), `${kind}: a request ${idle} minutes and 1 ms after the last one`);
    }
  });

  it('makes every session token unguessable: distinct, base64url, at least 128 bits', async () => {
    const [apiSessions, portalSessions, logins, preCookies]: [string[], string[], string[], string[]] = [[], [], [], []];
    const api = new FsmApiClient(sims.urls.fsm);
    const startLogin = async () => {
      const started = await api.startLogin(person.username, TEST_PASSWORD);
      return keep('login token', started.body.result.status === 'prompt' ? started.body.result.login_token : '');
    };
    for (let i = 0; i < scaled(60, 300); i++) {
      const loginToken = await startLogin();
      const done = await api.continueLogin(loginToken, { code: keep('TOTP code', await person.person.app.code()) });
      apiSessions.push(keep('API bearer token', done.body.result.status === 'authenticated' ? done.body.result.access_token : ''));
      logins.push(loginToken, await startLogin());
    }
    for (let i = 0; i < scaled(20, 100); i++) portalSessions.push(await portalSignIn(new Browser(), person));
    for (let i = 0; i < scaled(40, 300); i++) {
      const browser = new Browser();
      await browser.get('/portal/login');
      preCookies.push(browser.cookie(PRE_COOKIE) ?? '');
    }
    const tokens = {
      'API session': apiSessions,
      'portal session': portalSessions,
      'login in progress': logins,
      'pre-sign-in cookie': preCookies,
    };
    const all = Object.values(tokens).flat();
    assert.equal(new Set(all).size, all.length, 'two tokens are the same');
    for (const [kind, list] of Object.entries(tokens)) {
      assert.ok(
        list.every((t) => /^[A-Za-z0-9_-]+$/.test(t)),
        `${kind}: not base64url`,
      );
      const alphabet = new Set(list.join('')).size;
      const shortest = Math.min(...list.map((t) => t.length));
      const bits = shortest * Math.log2(alphabet);
      assert.ok(bits >= 128, `${kind}: ${shortest} characters of ${alphabet} symbols is ${bits.toFixed(0)} bits`);
      assert.ok(Math.min(...list.map((t) => Buffer.from(t, 'base64url').length)) >= 16, `${kind}: fewer than 16 random bytes`);
      // A counter or a clock in a token shows as long shared beginnings; random tokens share a few characters at most.
      const sorted = [...list].sort();
      const sharedPrefix = Math.max(...sorted.slice(1).map((t, i) => [...t].findIndex((c, k) => c !== sorted[i]?.[k])));
      assert.ok(sharedPrefix <= 6, `${kind}: two tokens share their first ${sharedPrefix} characters`);
      console.log(`# ${kind}: ${list.length} tokens, ${shortest} characters, ${alphabet} symbols, ${bits.toFixed(0)} bits`);
    }
    counts.tokens += all.length;
  });
});

/** What a hostile client or a confused proxy might send: none of it may come back. */
const HOSTILE = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'javascript',
  forwarded: 'for=192.0.2.1;host=evil.example;proto=javascript',
  'x-forwarded-for': 'javascript://evil.example',
};
const HOSTILE_HOSTS = ['evil.example', 'evil.example:1', '127.0.0.1:1@evil.example', '[::1]>;rel="x"'];

/** One request as sent on the wire, with the Host and request target given (fetch lets neither be chosen). */
function onTheWire(
  base: string,
  target: string,
  headers: Record<string, string>,
  method = 'GET',
  body = '',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const sent = request(
      { hostname, port, path: target, method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

/** Every absolute URL in an answer (headers and body) is at `origin`, and nothing hostile came back at all. */
function assertOwnOrigin(reply: { status: number; headers: Record<string, unknown>; text: string }, origin: string, what: string): number {
  const everything = `${JSON.stringify(reply.headers)}\n${reply.text}`;
  assert.ok(reply.status < 500, `${what}: ${reply.status} ${reply.text.slice(0, 200)}`);
  assert.doesNotMatch(everything, /evil|javascript/i, `${what}: a hostile value came back`);
  assert.doesNotMatch(String(reply.headers.location ?? ''), /^\/\//, `${what}: a protocol-relative redirect`);
  const urls = [...everything.matchAll(/\bhttps?:\/\/[^\s"'<>,;\\]+/g)].map(([url]) => url);
  for (const url of urls) assert.equal(new URL(url).origin, origin, `${what}: ${url}`);
  return urls.length;
}

describe('forwarded headers', () => {
  let who: Member;
  let bearer: Record<string, string>;
  before(async () => {
    who = await member('Forwarded Water', { party: { internetRegistered: true, internetCidrs: ['203.0.113.0/24'] } });
    bearer = { authorization: `Bearer ${who.signedIn.api.accessToken ?? ''}` };
    for (const short_description of ['Hub offline', 'Meter silent'])
      assert.equal((await who.signedIn.api.create('incident', { short_description })).status, 201);
  });

  it("builds the Table API's Link, Location and reference links from its own origin, whatever Host or forwarded headers say", async () => {
    const list = '/api/now/table/incident?sysparm_limit=1&sysparm_offset=1';
    const hostile = HOSTILE_HOSTS.map((host) => ({ ...HOSTILE, host }));
    for (const headers of hostile) {
      const listed = await onTheWire(sims.urls.fsm, list, { ...headers, ...bearer });
      assert.equal(listed.status, 200, listed.text.slice(0, 200));
      assert.match(String(listed.headers.link), /rel="first".*rel="prev".*rel="last"/);
      assert.ok(assertOwnOrigin(listed, sims.urls.fsm, `list with Host ${headers.host}`) >= 3, 'the list has its links');
      const created = await onTheWire(
        sims.urls.fsm,
        '/api/now/table/incident',
        { ...headers, ...bearer },
        'POST',
        JSON.stringify({ short_description: 'Sent through a proxy' }),
      );
      assert.equal(created.status, 201, created.text.slice(0, 200));
      assertOwnOrigin(created, sims.urls.fsm, `create with Host ${headers.host}`);
    }
    // An absolute-form request target names another origin as well: it is answered as its path here.
    for (const target of [`http://evil.example${list}`, `javascript://evil.example${list}`]) {
      const elsewhere = await onTheWire(sims.urls.fsm, target, { ...HOSTILE, ...bearer });
      assert.equal(elsewhere.status, 200, elsewhere.text.slice(0, 200));
      assertOwnOrigin(elsewhere, sims.urls.fsm, target);
    }
    for (const target of ['javascript:alert(1)', 'javascript://evil.example']) {
      const reply = await onTheWire(sims.urls.fsm, target, { ...HOSTILE, ...bearer });
      assert.ok(reply.status >= 300 && reply.status < 500, `${target}: ${reply.status}`);
      assertOwnOrigin(reply, sims.urls.fsm, target);
    }
    // A path that looks like another origin is only a path here: no such endpoint, and no redirect there.
    const pathLike = await onTheWire(sims.urls.fsm, '//evil.example/portal', HOSTILE);
    assert.equal(pathLike.status, 404, pathLike.text.slice(0, 200));
    assert.equal(pathLike.headers.location, undefined);
  });

  it('takes the source address from X-Forwarded-For only as an IP address, and never echoes it', async () => {
    const fromInternet = (xff: string) =>
      onTheWire(sims.urls.fsmInternet, '/api/now/table/incident', { ...bearer, 'x-forwarded-for': xff });
    assert.equal((await fromInternet('203.0.113.9')).status, 200, 'an allowlisted address');
    assert.equal((await fromInternet('198.51.100.7, 203.0.113.9, 127.0.0.1')).status, 200, 'the rightmost address that is not loopback');
    assert.equal((await fromInternet('203.0.113.9, 198.51.100.7')).status, 403, 'an address left of an untrusted one is not believed');
    for (const xff of [
      'javascript://evil.example',
      '<script>evil()</script>',
      '203.0.113.9, evil.example',
      '203.0.113.9, evil.example, ::1',
    ]) {
      const reply = await fromInternet(xff);
      assert.equal(reply.status, 400, `${xff}: ${reply.text.slice(0, 200)}`);
      assert.match(reply.text, /X-Forwarded-For/);
      assertOwnOrigin(reply, sims.urls.fsmInternet, `X-Forwarded-For: ${xff}`);
    }
    const login = await onTheWire(
      sims.urls.fsmInternet,
      '/api/x_dcc/auth/login',
      { 'x-forwarded-for': '<script>evil()</script>' },
      'POST',
      JSON.stringify({ username: who.username, password: TEST_PASSWORD }),
    );
    assert.equal(login.status, 400, login.text.slice(0, 200));
    assertOwnOrigin(login, sims.urls.fsmInternet, 'a login with a hostile X-Forwarded-For');
  });

  it('redirects the portal, on either route, and through DCC Identity, to its own origin and the registered callback', async () => {
    for (const origin of [sims.urls.fsm, sims.urls.fsmInternet]) {
      for (const [target, expected] of [
        ['/', HOME],
        ['/portal/incidents', `${HOME}?id=list&table=incident`],
        [`${HOME}?id=list&table=incident`, '/portal/login?next=%2Ffsm%3Fid%3Dlist%26table%3Dincident'],
        [`http://evil.example${HOME}?id=list&table=incident`, '/portal/login?next=%2Ffsm%3Fid%3Dlist%26table%3Dincident'],
        ['/portal/users', '/portal/login?next=%2Fportal%2Fusers'],
      ]) {
        const reply = await onTheWire(origin, target ?? '', HOSTILE);
        assert.equal(reply.headers.location, expected, `${origin} ${target}`);
        assertOwnOrigin(reply, origin, `${origin} ${target}`);
      }
      const toIdentity = await onTheWire(origin, '/portal/login/identity/production', HOSTILE);
      assert.equal(toIdentity.status, 303, toIdentity.text.slice(0, 200));
      const authorize = new URL(String(toIdentity.headers.location));
      assert.equal(authorize.origin, sims.urls.idp);
      assert.equal(authorize.searchParams.get('redirect_uri'), `${origin}/portal/login/identity/callback`);
      assert.doesNotMatch(String(toIdentity.headers.location), /evil|javascript/i);
    }
  });

  it("keeps DCC Identity's issuer, discovery document and sign-in redirects at its own origin", async () => {
    const paths = entraPaths(sims.core.config.idp.tenants.production);
    const targets = [paths.discovery, `http://evil.example${paths.discovery}`, `javascript://evil.example${paths.discovery}`];
    for (const [target, host] of targets.flatMap((t) => HOSTILE_HOSTS.map((h) => [t, h] as const))) {
      const discovery = await onTheWire(sims.urls.idp, target, { ...HOSTILE, host });
      const what = `discovery at ${target}, Host ${host}`;
      assert.equal(discovery.status, 200, `${what}: ${discovery.text.slice(0, 200)}`);
      assert.equal((JSON.parse(discovery.text) as { issuer?: string }).issuer, sims.idpIssuers.production);
      assert.ok(assertOwnOrigin(discovery, sims.urls.idp, what) >= 6, 'the discovery document names its endpoints');
    }
    const registered = await registerClient();
    const query = codeFlowQuery(registered.client_id);
    const authorize = await onTheWire(sims.urls.idp, `http://evil.example${paths.authorization}?${query}`, HOSTILE);
    assert.equal(authorize.status, 303, authorize.text.slice(0, 200));
    assertOwnOrigin(authorize, sims.urls.idp, 'the authorization request');
    const signIn = new URL(String(authorize.headers.location), sims.urls.idp).pathname;
    const cookie = [authorize.headers['set-cookie'] ?? []]
      .flat()
      .map((c) => c.split(';')[0])
      .join('; ');
    const page = await onTheWire(sims.urls.idp, signIn, { ...HOSTILE, cookie });
    assert.equal(page.status, 200, page.text.slice(0, 200));
    assertOwnOrigin(page, sims.urls.idp, 'the sign-in page');
  });
});

describe('secrets', () => {
  it('keeps every secret used in this suite out of the log and the request journal', async () => {
    // An Entra sign-in: DCC Identity's access token used at the API, and its client's secret.
    const party = await control.onboardParty({
      name: 'Secret Entra',
      userRoles: ['IS'],
      regions: ['North'],
      gatewayConnected: true,
      administrator: { email: 'admin@secret-entra.example', name: 'Sec Ret', identityPath: 'entra' },
    });
    keep('one-time password', party.administrator.oneTimePassword);
    const registered = await control.registerIdpClient(sims.urls.idp, {
      tenant: 'non-production',
      redirect_uris: ['http://127.0.0.1:9/callback'],
    });
    keep('client secret', registered.client_secret);
    const entra = testPerson(sims, party.administrator.username);
    const signedIn = await signInWithOidc(
      {
        issuer: registered.issuer,
        clientId: registered.client_id,
        clientSecret: registered.client_secret,
        redirectUri: 'http://127.0.0.1:9/callback',
      },
      party.administrator.username,
      party.administrator.oneTimePassword,
      (p) => answerPrompt(entra, p),
    );
    if (!signedIn.ok) assert.fail(signedIn.message);
    const idpToken = keep('DCC Identity access token', signedIn.value.accessToken);
    assert.equal((await new FsmApiClient(sims.urls.fsm, { authorization: `Bearer ${idpToken}` }).me()).status, 200);

    // Security events (logged): a replayed code and a lockout; secrets offered in URLs (journalled).
    const who = await member('Secret Energy');
    keep('password', TEST_PASSWORD);
    const api = new FsmApiClient(sims.urls.fsm);
    const started = await api.startLogin(who.username, TEST_PASSWORD);
    const loginToken = keep('login token', started.body.result.status === 'prompt' ? started.body.result.login_token : '');
    const code = keep('TOTP code', await who.person.app.codeAt(0));
    assert.equal((await api.continueLogin(loginToken, { code })).status, 400, 'the enrolment code replayed');
    for (let i = 0; i < sims.core.config.lockout.maxFailures; i++)
      await api.startLogin(who.username, keep('wrong password', `Wrong-Password-${i}-${randomBytes(3).toString('hex')}`));
    const bearer = who.signedIn.api.accessToken ?? '';
    const lures = [
      `/api/now/table/incident?access_token=${bearer}`,
      `/api/x_dcc/auth/me?client_secret=${registered.client_secret}&refresh_token=${idpToken}`,
      `/portal/login?code=${code}&login_token=${loginToken}&token=${bearer}`,
      `/api/x_dcc/auth/login?password=${encodeURIComponent(TEST_PASSWORD)}`,
    ];
    for (const path of lures)
      await fetch(new URL(path, sims.urls.fsm), { method: path.includes('auth/login') ? 'POST' : 'GET', redirect: 'manual' });
    for (const { totp_secret } of await sims.core.db.query<{ totp_secret: string }>(
      'SELECT totp_secret FROM account WHERE totp_secret IS NOT NULL',
    ))
      keep('TOTP secret', totp_secret);

    const journal = JSON.stringify(await control.journal({ limit: 100_000 }));
    const log = readFileSync(LOG_FILE, 'utf8');
    assert.match(log, /security event: totp_replay/, 'the log was captured');
    assert.match(log, /security event: account_locked/);
    assert.equal(lures.filter((l) => journal.includes(l.split('?')[0] ?? l)).length, lures.length, 'the lures were journalled');
    assert.match(journal, /\[redacted\]/);
    for (const [what, value] of secrets) {
      // Codes are six digits: only a number standing alone counts (not part of a longer number or an id).
      const found = (text: string) =>
        /^\d{6}$/.test(value) ? new RegExp(`(?<![0-9A-Za-z.])${value}(?![0-9A-Za-z])`).test(text) : text.includes(value);
      assert.ok(!found(log), `${what} is in the log`);
      assert.ok(!found(journal), `${what} is in the request journal`);
      counts.secretsChecked += 1;
    }
  });
});
