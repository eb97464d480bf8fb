/**
 * A page object never turns a page it did not expect into an empty answer: the portal's OMS stock,
 * its transfers and its knowledge search read "none" only when the page says none, and throw, saying
 * where the browser is and what the page shows, when it is anywhere else: here, the sign-in page a
 * person lands on once their session has gone (a 200 page without the table).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../clients/browser';
import { answerPrompt } from '../../clients/login-answers';
import { portalPage } from '../../simulators/portal/layout';
import type { Simulators } from '../../simulators/start';
import { omsInPortal } from '../../steps/screenplay/oms/in-portal';
import { Portal } from '../../steps/screenplay/pages/portal';
import { SignInPages } from '../../steps/screenplay/pages/sign-in';
import { requestsInPortal } from '../../steps/screenplay/requests/in-portal';
import { incidentsInPortal } from '../../steps/screenplay/incidents/in-portal';
import { signedInClient, startTestSimulators, TEST_PASSWORD } from '../support';

let sims: Simulators;
let browser: Browser;

before(async () => {
  sims = await startTestSimulators();
  browser = await launchChromium(process.env.FSM_CHROMIUM_PATH, true);
});

after(async () => {
  await browser?.close();
  await sims?.stop();
});

async function portalOf(signIn?: { username: string; person: Parameters<typeof answerPrompt>[0] }): Promise<Portal> {
  const page = await (await browser.newContext()).newPage();
  const portal = new Portal(page, sims.urls.fsm);
  if (signIn) {
    await portal.open('/portal/login');
    await portal.fill({ 'Email address': signIn.username, Password: TEST_PASSWORD });
    const signedIn = await new SignInPages(portal).answerPrompts(
      await portal.press('Sign in'),
      (p) => answerPrompt(signIn.person, p),
      (url) => portal.leftSignIn(url),
    );
    assert.ok(signedIn.ok, JSON.stringify(signedIn));
  }
  return portal;
}

describe('portal page objects', () => {
  let signedIn: Portal;
  let admin: Awaited<ReturnType<typeof signedInClient>>;

  before(async () => {
    admin = await signedInClient(sims, 'Empty Stock Energy');
    const me = (await admin.api.me()).body.result;
    const changed = await admin.api.update('sys_user', me.sys_id, {
      roles: ['ORG_ADMIN', 'SERVICE_USER', 'OMS_ORDERING', 'OMS_RETURNS'],
      region: 'North',
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    signedIn = await portalOf(admin);
  });

  it('read no hubs, no transfers and no articles when the pages say none', async () => {
    assert.deepEqual(await omsInPortal.stock(signedIn), []);
    assert.deepEqual(await omsInPortal.incomingTransfers(signedIn), []);
    assert.deepEqual(await requestsInPortal.searchKnowledge(signedIn, 'no article says zyxwvut'), []);
  });

  it('fail, saying where the browser is, when the session has gone and the sign-in page shows instead', async () => {
    const portal = await portalOf();
    const signInPage = (what: string) =>
      new RegExp(`^The page at ${sims.urls.fsm}/portal/login\\S* \\("Sign in to the FSM platform"\\) shows no ${what}`);
    await assert.rejects(omsInPortal.stock(portal), {
      name: 'ProductError',
      message: signInPage('table "Communications Hubs in your stock", nor a line saying it is empty'),
    });
    await assert.rejects(omsInPortal.incomingTransfers(portal), {
      name: 'ProductError',
      message: signInPage('table "Transfers to your organisation, oldest first", nor a line saying it is empty'),
    });
    await portal.page.context().close();
  });

  it('fail when a search answers with a page that shows neither articles nor "none"', async () => {
    // A 200 page that lost its results, as a broken search would answer.
    await signedIn.page.route(/\/fsm\?id=kb_search&q=/, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: portalPage(undefined, 'Knowledge', '<p>Searching is resting.</p>') }),
    );
    await assert.rejects(requestsInPortal.searchKnowledge(signedIn, 'meter'), {
      name: 'ProductError',
      message: /\("Knowledge"\) shows no list of articles that mention "meter", nor a heading saying none do/,
    });
    await signedIn.page.unroute(/\/fsm\?id=kb_search&q=/);
  });

  it('find a portal that words its labels differently through the label mapping, and only through it', async () => {
    // A real portal's ticket page: "Send" for our "Add the comment", "Additional comments" for our "Your comment".
    const raised = await admin.api.create('incident', {
      short_description: 'Labels differ here',
      category: 'inquiry',
      impact: '3',
      urgency: '3',
    });
    const sysId = (raised.body.result as { sys_id: string }).sys_id;
    const ticketPage = (url: URL) => url.pathname === '/fsm' && url.searchParams.get('id') === 'ticket';
    await signedIn.page.route(ticketPage, async (route) => {
      const response = await route.fetch();
      const body = (await response.text())
        .replace('>Add the comment<', '>Send<')
        .replace('>Your comment</label>', '>Additional comments</label>');
      await route.fulfill({ response, body });
    });
    // Unmapped, our label finds nothing there (a short wait: the field is not coming).
    signedIn.page.setDefaultTimeout(2_000);
    await assert.rejects(
      incidentsInPortal.change(signedIn, sysId, { comments: 'Unmapped' }),
      /getByLabel\('Your comment', \{ exact: true \}\)/,
    );
    signedIn.page.setDefaultTimeout(30_000);
    const mapped = new Portal(signedIn.page, sims.urls.fsm, {
      labels: new Map([
        ['Add the comment', 'Send'],
        ['Your comment', 'Additional comments'],
      ]),
    });
    const changed = await incidentsInPortal.change(mapped, sysId, { comments: 'Mapped, then sent' });
    assert.ok(changed.ok, JSON.stringify(changed));
    assert.deepEqual((await incidentsInPortal.details(mapped, sysId)).comments, ['Mapped, then sent']);
    await signedIn.page.unroute(ticketPage);
  });
});
