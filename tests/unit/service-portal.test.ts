/**
 * The portal's Service Portal addressing (ServiceNow's `/{prefix}?id=page&table=&sys_id=`), under a
 * configured prefix: the ticket page with its activity stream and conversation, the old /portal page
 * addresses redirecting, tiles only for what the person may use, global search, and an unknown page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { alertOf, FormAgent, type FormPage } from '../../clients/form-agent';
import { SimControlClient } from '../../clients/sim-control';
import { SimConfigSchema } from '../../simulators/config';
import { startSimulators, type Simulators } from '../../simulators/start';
import { signedInClient, TEST_PASSWORD, type SignedIn } from '../support';

let sims: Simulators;
let admin: SignedIn;
let browser: FormAgent;
let incident: { sys_id: string; number: string };

const at = (path: string) => `${sims.urls.fsm}${path}`;
/** The text of the activity stream's list (between its heading and the list's end), tags removed. */
const activityOf = (page: FormPage) =>
  (/aria-labelledby="activity">([\s\S]*?)<\/ul>/.exec(page.html)?.[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

before(async () => {
  const config = SimConfigSchema.parse({ passwords: { assumed: true, scryptCost: 1024 }, portal: { prefix: 'sp' } });
  sims = await startSimulators({ config, control: true, logLevel: 'silent' });
  admin = await signedInClient(sims, 'Portal Shape Energy');
  const me = (await admin.api.me()).body.result.sys_id;
  assert.equal((await admin.api.update('sys_user', me, { roles: 'ORG_ADMIN,SERVICE_USER' })).status, 200);
  incident = (
    await admin.api.create('incident', {
      short_description: 'Alerts missing for a device',
      category: 'software',
      impact: '2',
      urgency: '2',
    })
  ).body.result as { sys_id: string; number: string };
  await admin.api.attach(incident.sys_id, 'alerts.log', 'text/plain', new TextEncoder().encode('no alerts\n'));
  await new SimControlClient(sims.urls.fsm).serviceDesk(incident.sys_id, { state: 6, close_notes: 'Alert routing fixed.' });
  browser = new FormAgent('about:blank#never');
  const prompt = await browser.submit(await browser.open(at('/portal/login')), { username: admin.username, password: TEST_PASSWORD });
  const home = await browser.submit(prompt, { code: await admin.person.app.code() });
  assert.equal(home.url, at('/sp'), 'signing in lands on the Service Portal home at the configured prefix');
});

after(() => sims?.stop());

describe('the Service Portal pages', () => {
  it('shows a ticket at ?id=ticket&table=incident&sys_id= with its activity stream, and adds a comment there', async () => {
    const ticket = await browser.open(at(`/sp?id=ticket&table=incident&sys_id=${incident.sys_id}`));
    assert.equal(ticket.status, 200, ticket.html.slice(0, 300));
    assert.match(ticket.html, new RegExp(`<h1>${incident.number}: Alerts missing for a device</h1>`));
    assert.match(activityOf(ticket), /Resolved by DCC Service Desk.*Alert routing fixed\..*File attached by .*alerts\.log.*Raised by /);
    assert.match(ticket.html, /Confirm the resolution/);
    assert.match(ticket.html, /<label for="f-reject_reason">Why the resolution does not work<\/label>/);
    const commented = await browser.submit(ticket, { comments: 'Alerts arrive again, thank you.' });
    assert.equal(commented.url, at(`/sp?id=ticket&table=incident&sys_id=${incident.sys_id}`));
    assert.match(activityOf(commented), /^ *Comment by [^,]+, [^ ]+ [^ ]+ UTC Alerts arrive again, thank you\./);
  });

  it('redirects the old /portal page addresses to their Service Portal pages', async () => {
    for (const [old, now] of [
      ['/portal', '/sp'],
      [`/portal/incidents/${incident.sys_id}`, `/sp?id=ticket&table=incident&sys_id=${incident.sys_id}`],
      ['/portal/incidents/new', '/sp?id=form&table=incident&sys_id=-1'],
      ['/portal/catalog', '/sp?id=sc_home'],
      ['/portal/requests', '/sp?id=my_requests'],
      ['/portal/knowledge?q=meter', '/sp?id=kb_search&q=meter'],
      ['/portal/profile', '/sp?id=user_profile'],
    ]) {
      const page = await browser.open(at(old ?? ''));
      assert.deepEqual([page.status, page.url], [200, at(now ?? '')], old);
    }
  });

  it('offers only the tiles the person may use, and the catalogue by category', async () => {
    const home = await browser.open(at('/sp'));
    const tiles = [
      ...(/<nav aria-label="What you can do">([\s\S]*?)<\/nav>/.exec(home.html)?.[1] ?? '').matchAll(/<strong>([^<]+)<\/strong>/g),
    ].map((m) => m[1]);
    assert.deepEqual(tiles, ['Report an incident', 'Request something', 'Knowledge', 'My requests', 'Incidents', 'Users']);
    assert.match(home.html, /<caption>My open incidents<\/caption>/);
    const catalogue = await browser.open(at('/sp?id=sc_home'));
    // By category, only what the person may order; the ADT item needs FILE_SUBMITTER, which this administrator lacks:
    // it is named with the role that grants it, not offered.
    assert.match(catalogue.html, /<h2 id="cat-0">Your organisation<\/h2>[\s\S]*Nominated Contacts update/);
    assert.match(
      catalogue.html,
      /<caption>Items your Job Type Roles do not include<\/caption>[\s\S]*ADT threshold submission[\s\S]*FILE_SUBMITTER/,
    );
  });

  it('searches knowledge, incidents and the catalogue in one place', async () => {
    const found = await browser.open(at(`/sp?id=search&q=${incident.number}`));
    assert.match(found.html, new RegExp(`<h2 id="found-inc">Incidents \\(1\\)</h2>[\\s\\S]*sys_id=${incident.sys_id}`));
    const items = await browser.open(at('/sp?id=search&q=quarantine'));
    assert.match(items.html, /<h2 id="found-cat">Catalogue items \(1\)<\/h2>[\s\S]*Quarantine Command Action/);
    assert.match(items.html, /<h2 id="found-kb">Knowledge \([1-9]\d*\)<\/h2>/);
  });

  it('answers an unknown page or table with a 404 that says what to do', async () => {
    for (const query of ['id=nosuch', 'id=ticket&table=sys_user&sys_id=x', 'id=ticket']) {
      const page = await browser.open(at(`/sp?${query}`));
      assert.equal(page.status, 404, query);
      assert.match(
        alertOf(page.html) ?? '',
        /^Page not found: There is no portal page "[a-z_]+"( for the table "sys_user")?\. Use the menu\.$/,
        query,
      );
    }
  });
});
