/**
 * Accessibility of every portal page (WCAG 2.1 AA with axe-core): a person with every Job Type Role
 * signs in through the portal, then the test follows every portal link it finds, the Service Portal's
 * /{prefix}?id=... pages and the /portal ones (one page per address shape, record ids folded), plus the
 * sign-in, MFA, password reset, form-error, search and not-found pages.
 * Pass: no serious or critical violation anywhere.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { answerPrompt } from '../../clients/login-answers';
import { SimConfigSchema } from '../../simulators/config';
import { loadRoleCatalogue, startSimulators, type Simulators } from '../../simulators/start';
import { Portal } from '../../steps/screenplay/pages/portal';
import { SignInPages } from '../../steps/screenplay/pages/sign-in';
import { launchChromium } from '../../clients/browser';
import { SimControlClient } from '../../clients/sim-control';
import { CATALOG } from '../../simulators/domain/catalog';
import { signedInClient, TEST_PASSWORD } from '../support';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const MAX_PAGES = 80;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let sims: Simulators;
let browser: Browser;
/** The Service Portal's home, /{prefix}. */
let home: string;

before(async () => {
  const base = SimConfigSchema.parse({});
  const everyRole = loadRoleCatalogue(base.roleCataloguePath).roleNames;
  const config = SimConfigSchema.parse({
    passwords: { assumed: true, scryptCost: 1024 },
    onboarding: { assumed: true, initialAdminRoles: everyRole },
  });
  sims = await startSimulators({ config, logLevel: 'silent' });
  home = `/${config.portal.prefix}`;
  browser = await launchChromium(process.env.FSM_CHROMIUM_PATH, true);
});

after(async () => {
  await browser?.close();
  await sims?.stop();
});

async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: Document, options: object) => Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${page.url()}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A path with its record ids folded, so one page of each kind is checked. */
const shapeOf = (path: string) => path.replace(/[0-9a-f]{32}/g, ':id').replace(/\b[A-Z]{3,4}\d{7}\b/g, ':number');

test('every portal page has no serious or critical accessibility violation', async () => {
  const admin = await signedInClient(sims, 'Accessible Energy');
  const raised = await admin.api.create('incident', {
    short_description: 'Alerts missing for a device',
    description: 'No alerts since Monday.',
    category: 'software',
    impact: '2',
    urgency: '2',
  });
  // A resolved ticket (its confirm and reject forms), a comment and a file in its activity stream, and a request item.
  const incident = (raised.body.result as { sys_id: string }).sys_id;
  await admin.api.update('incident', incident, { comments: 'Still no alerts.' });
  await admin.api.attach(incident, 'alerts.log', 'text/plain', new TextEncoder().encode('no alerts\n'));
  await new SimControlClient(sims.urls.fsm).serviceDesk(incident, { state: 6, close_notes: 'Alert routing fixed.' });
  const contacts = CATALOG.find((i) => i.onFulfil === 'nominated-contact')?.sys_id ?? '';
  await admin.api.orderNow(contacts, { contact_role: 'Security', contact_name: 'Sam Secure', contact_email: 'sam@example.com' });
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const portal = new Portal(page, sims.urls.fsm);
  const problems: string[] = [];
  const checked: string[] = [];
  const check = async (label: string) => {
    checked.push(label);
    problems.push(...(await seriousViolations(page)));
  };

  // The check itself can fail: a page with an unlabelled field and an image without a text alternative.
  await page.setContent('<!doctype html><html lang="en"><title>t</title><main><input><img src="data:,"></main></html>');
  assert.ok((await seriousViolations(page)).length >= 2, 'axe must report an unlabelled field and an image without alt text');

  await portal.open('/portal/login');
  await check('sign-in');
  await portal.fill({ 'Email address': admin.username, Password: 'not the password' });
  await portal.press('Sign in');
  await check('sign-in with an error');
  await portal.open('/portal/password/forgot');
  await check('forgotten password');
  await portal.open('/portal/login');
  await portal.fill({ 'Email address': admin.username, Password: TEST_PASSWORD });
  const first = await portal.press('Sign in');
  await check('MFA code prompt');
  const signedIn = await new SignInPages(portal).answerPrompts(
    first,
    (p) => answerPrompt(admin.person, p),
    (url) => portal.leftSignIn(url),
  );
  assert.ok(signedIn.ok, JSON.stringify(signedIn));

  const seen = new Set<string>();
  const ours = (href: string) => href.startsWith('/portal') || href === home || href.startsWith(`${home}?`);
  const queue = [home, `${home}?id=search&q=incident`, `${home}?id=kb_search&q=incident`];
  while (queue.length > 0 && seen.size < MAX_PAGES) {
    const path = queue.shift() as string;
    if (seen.has(shapeOf(path))) continue;
    seen.add(shapeOf(path));
    const result = await portal.open(path);
    await check(`${path} (${result.status})`);
    const links = await page.getByRole('link').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
    for (const href of links)
      if (ours(href) && !href.startsWith('/portal/login') && !seen.has(shapeOf(href.split('#')[0] ?? href)))
        queue.push(href.split('#')[0] ?? href);
  }
  await portal.open('/portal/no-such-page');
  await check('not found');
  await portal.open(`${home}?id=no_such_page`);
  await check('no such Service Portal page');
  await context.close();
  console.log(`axe: ${checked.length} pages checked (${[...seen].join(', ')}), ${problems.length} serious or critical violations`);
  assert.deepEqual(problems, []);
});
