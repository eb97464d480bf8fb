/**
 * Messages people understand (issue 18): every portal form a signed-in administrator (with every
 * role) can reach, found by crawling the portal from its home page, is submitted with its fields
 * empty and with wrong values; every API body is sent empty and with wrong values. No validator's own
 * words ("String must contain", "Required", "Expected", "Invalid enum"...) may reach a person, each
 * portal error sits next to its own field, and the API's message keeps the field's path.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send } from '../../clients/http';
import { CATALOG } from '../../simulators/domain/catalog';
import { RAW_VALIDATOR_TEXT } from '../../simulators/domain/field-messages';
import type { Simulators } from '../../simulators/start';
import { signedInClient, startTestSimulators, TEST_PASSWORD, type SignedIn } from '../support';

interface Browser {
  get(path: string): Promise<{ status: number; html: string }>;
  post(action: string, fields: [string, string][]): Promise<{ status: number; html: string }>;
}

const decode = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
/** What a person reads on a page: its text, without tags. */
const visibleText = (html: string) => decode(html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' '));

function rawIn(text: string): string | undefined {
  return RAW_VALIDATOR_TEXT.find((p) => p.test(text))?.source;
}

/** A browser that follows nothing by itself: cookies kept, every POST carries them. */
async function portalBrowser(sims: Simulators, who: SignedIn): Promise<Browser> {
  const base = sims.urls.fsm;
  const jar = new Map<string, string>();
  const keep = (r: Response) => {
    for (const line of r.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (/Max-Age=0/i.test(line)) jar.delete(pair.slice(0, at));
      else jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return r;
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const answer = async (r: Response) => ({ status: r.status, html: await r.text() });
  const browser: Browser = {
    get: async (path) => answer(keep(await fetch(`${base}${path}`, { headers: { cookie: cookie() } }))),
    post: async (action, fields) => {
      const r = keep(
        await fetch(`${base}${action}`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields),
        }),
      );
      const location = r.headers.get('location');
      if (r.status === 303 && location) return browser.get(location);
      return answer(r);
    },
  };
  const login = await browser.get('/portal/login');
  const csrf = () => decode(attr(/<input type="hidden" name="csrf"[^>]*>/.exec(login.html)?.[0] ?? '', 'value') ?? '');
  const prompt = await browser.post('/portal/login', [
    ['csrf', csrf()],
    ['next', '/portal'],
    ['username', who.username],
    ['password', TEST_PASSWORD],
  ]);
  const hidden = (name: string) => decode(new RegExp(`name="${name}" value="([^"]*)"`).exec(prompt.html)?.[1] ?? '');
  const home = await browser.post('/portal/login', [
    ['csrf', hidden('csrf')],
    ['next', '/portal'],
    ['login_token', hidden('login_token')],
    ['code', await who.person.app.code()],
  ]);
  assert.equal(home.status, 200, home.html.slice(0, 300));
  return browser;
}

interface Form {
  page: string;
  action: string;
  multipart: boolean;
  hidden: [string, string][];
  fields: { name: string; kind: string }[];
}

function formsIn(page: string, html: string): Form[] {
  return [...html.matchAll(/<form method="post" action="([^"]*)"([^>]*)>([\s\S]*?)<\/form>/g)].map(
    ([, action = '', rest = '', inner = '']) => {
      const hidden: [string, string][] = [];
      const fields: { name: string; kind: string }[] = [];
      for (const [tag = '', element = ''] of inner.matchAll(/<(input|select|textarea)\b[^>]*>/g)) {
        const name = attr(tag, 'name');
        if (!name) continue;
        const kind = element === 'input' ? (attr(tag, 'type') ?? 'text') : element;
        if (kind === 'hidden') hidden.push([name, decode(attr(tag, 'value') ?? '')]);
        else if (!fields.some((f) => f.name === name)) fields.push({ name, kind });
      }
      return { page, action: decode(action), multipart: rest.includes('multipart'), hidden, fields };
    },
  );
}

/** The Service Portal's pages are at the default prefix (/fsm?id=...); its forms post to /portal/... */
const PORTAL_PATHS = /^\/(portal|fsm)(\/|\?|$)/;

/** Every portal page reachable from home by its links, and every form on them. */
async function crawl(browser: Browser): Promise<Form[]> {
  const seen = new Set<string>();
  const queue = ['/fsm'];
  const forms: Form[] = [];
  while (queue.length && seen.size < 150) {
    const path = queue.shift() ?? '';
    if (seen.has(path)) continue;
    seen.add(path);
    const { html } = await browser.get(path);
    forms.push(...formsIn(path, html));
    // Decoded first: a Service Portal link's "&" is written "&#38;", whose "#" is not a fragment.
    for (const [, href = ''] of html.matchAll(/<a href="([^"]*)"/g)) {
      const next = decode(href).replace(/#.*$/, '');
      if (PORTAL_PATHS.test(next) && !seen.has(next) && !next.includes('/file')) queue.push(next);
    }
  }
  return forms;
}

const WRONG = new Map([
  ['email', 'not-an-email'],
  ['number', 'many'],
  ['date', 'yesterday'],
  ['select', 'nope'],
  ['checkbox', 'NOPE'],
  ['radio', 'nope'],
  ['textarea', ' '],
  ['password', 'x'],
]);

describe('messages people understand', { timeout: 5 * 60_000 }, () => {
  let sims: Simulators;
  let admin: SignedIn;
  let browser: Browser;

  before(async () => {
    sims = await startTestSimulators();
    admin = await signedInClient(sims, 'Plain Words Energy');
    const me = await admin.api.me();
    const sysId = (me.body as { result: { sys_id: string } }).result.sys_id;
    await admin.api.update('sys_user', sysId, { roles: sims.core.roles.roleNames, region: 'Central' });
    await admin.api.create('incident', { short_description: 'Alerts missing for devices' });
    await admin.api.create('sys_user', { user_name: 'someone@plain-words-energy.example', name: 'Some One', roles: 'SERVICE_USER' });
    browser = await portalBrowser(sims, admin);
  });
  after(() => sims?.stop());

  it('no portal form, sent empty or with wrong values, shows a validator its own words', async () => {
    // Signing out, and resetting MFA (which ends the person's sessions, the administrator's own included), take no input.
    const forms = (await crawl(browser)).filter((f) => !f.multipart && !/\/(logout|mfa-reset)$/.test(f.action));
    const actions = new Set(forms.map((f) => f.action.replace(/[0-9a-f]{32}/g, '{id}')));
    for (const expected of ['/portal/incidents', '/portal/users/new', '/portal/oms/forecasts', '/portal/oms/orders', '/portal/oms/returns'])
      assert.ok(actions.has(expected), `the crawl found no form posting to ${expected}: ${[...actions].join(', ')}`);
    const problems: string[] = [];
    for (const form of forms) {
      for (const variant of ['empty', 'wrong'] as const) {
        const page = await browser.get(form.page);
        const fresh = formsIn(form.page, page.html).find((f) => f.action === form.action) ?? form;
        const fields: [string, string][] = [
          ...fresh.hidden,
          ...fresh.fields
            .filter((f) => variant === 'wrong' || !['checkbox', 'radio'].includes(f.kind))
            .map((f): [string, string] => [f.name, variant === 'empty' ? '' : (WRONG.get(f.kind) ?? 'x')]),
        ];
        const { html } = await browser.post(fresh.action, fields);
        if (html.includes('<title>Sign in to the FSM platform')) problems.push(`${fresh.action} (${variant}) ended the session`);
        const raw = rawIn(visibleText(html));
        if (raw) problems.push(`${fresh.action} (${variant}) shows /${raw}/: ${visibleText(html).replace(/\s+/g, ' ').slice(0, 300)}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('create-user with empty fields puts each error under its own field', async () => {
    const page = await browser.get('/portal/users/new');
    const form = formsIn('/portal/users/new', page.html).find((f) => f.action === '/portal/users/new');
    assert.ok(form, visibleText(page.html).replace(/\s+/g, ' ').slice(0, 400));
    const { status, html } = await browser.post('/portal/users/new', [...form.hidden, ['user_name', ''], ['name', '']]);
    assert.equal(status, 400);
    const noteOf = (id: string) => decode(new RegExp(`<span class="error" id="${id}-error">([^<]*)</span>`).exec(html)?.[1] ?? '');
    assert.equal(noteOf('f-user_name'), 'Enter the email address');
    assert.equal(noteOf('f-name'), 'Enter the name');
    assert.equal(noteOf('f-roles'), 'Choose at least one Job Type Role');
  });

  it('a wrong password speaks of the email address, as the field is labelled', async () => {
    const anonymous = await fetch(`${sims.urls.fsm}/portal/login`);
    const html = await anonymous.text();
    const pre = anonymous.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const csrf = decode(/name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? '');
    const r = await fetch(`${sims.urls.fsm}/portal/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, username: admin.username, password: 'not-the-password' }),
    });
    const text = visibleText(await r.text());
    assert.match(text, /Email address/);
    assert.match(text, /check the email address and password/);
    assert.doesNotMatch(text, /user name/);
  });

  it('no API body, sent empty or with wrong values, answers a validator its own words, and the message keeps the field path', async () => {
    const api = (path: string) => `${sims.urls.fsm}${path}`;
    const bodies: [string, string, Record<string, unknown>][] = [
      ['POST', '/api/now/table/incident', { short_description: 5, impact: 9, urgency: 'high', category: 'nope' }],
      ['POST', '/api/now/table/sys_user', { user_name: 'x', name: '', roles: [] }],
      ['POST', '/api/x_dcc/oms/forecasts', { region: 'Mars', variant: 7, months: [] }],
      ['POST', '/api/x_dcc/oms/orders', { region: 'Mars', variant: '4G-SB', delivery_month: 2027, location: '', quantity: 'ten' }],
      ['POST', '/api/x_dcc/oms/returns', { device_id: 5, reason: 'bored' }],
      ['PUT', '/api/x_dcc/notifications/preferences', { email_copies: 'perhaps' }],
      ['POST', `/api/sn_sc/servicecatalog/items/${CATALOG[2]?.sys_id ?? ''}/order_now`, { variables: { device_ids: 5 } }],
      ['POST', '/api/x_dcc/auth/login', { username: 5, password: [] }],
      ['POST', '/api/x_dcc/auth/password/forgot', { username: 5 }],
      ['POST', '/__sim/parties', { name: 'Guess Energy' }],
    ];
    const problems: string[] = [];
    for (const [method, path, wrong] of bodies)
      for (const json of [{}, wrong]) {
        const r = path.startsWith('/__sim') ? await send(method, api(path), { json }) : await admin.api.request(method, path, { json });
        const error = (r.body as { error?: { message?: string; detail?: string } }).error;
        const said = `${error?.message ?? ''} ${error?.detail ?? ''}`;
        if (r.status < 400 || r.status >= 500) problems.push(`${method} ${path} ${JSON.stringify(json)}: HTTP ${r.status}`);
        const raw = rawIn(said);
        if (raw) problems.push(`${method} ${path} ${JSON.stringify(json)} says /${raw}/: ${said}`);
        if (
          r.status === 400 &&
          Object.keys(json).length &&
          !/^[\w.]+: /.test(error?.message ?? '') &&
          !/^Unknown field/.test(error?.message ?? '')
        )
          problems.push(`${method} ${path}: the message lost its field path: ${said}`);
      }
    assert.deepEqual(problems, []);
  });
});
