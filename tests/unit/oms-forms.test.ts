/**
 * OMS forms that agree with the rules (issue 18): the forecast form offers the months that can be
 * ordered (after the lead time, inside the horizon), so forecast-then-order works; the forms show the
 * lead time, horizon and tolerance before anything is sent; an order that became a tolerance
 * exception is not offered a confirmation it would be refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FormAgent, type FormPage } from '../../clients/form-agent';
import type { Simulators } from '../../simulators/start';
import { signedInClient, startTestSimulators, TEST_PASSWORD, type SignedIn } from '../support';

const months = (html: string) => [...html.matchAll(/Quantity for (\d{4}-\d{2})/g)].map((m) => m[1]);
const hasConfirm = (page: FormPage) => />Confirm the order</.test(page.html);

describe('OMS forms in the portal', () => {
  let sims: Simulators;
  let admin: SignedIn;
  let portal: FormAgent;
  const at = (path: string) => `${sims.urls.fsm}${path}`;

  before(async () => {
    sims = await startTestSimulators();
    sims.clock.change({ set: '2026-12-01T10:00:00Z', freeze: true });
    admin = await signedInClient(sims, 'Forms Energy', { party: { regions: ['North'] } });
    const me = (await admin.api.me()).body.result.sys_id;
    await admin.api.update('sys_user', me, { roles: ['ORG_ADMIN', 'SERVICE_USER', 'OMS_ORDERING'], region: 'North' });
    portal = new FormAgent('about:blank#never');
    const prompt = await portal.submit(await portal.open(at('/portal/login')), { username: admin.username, password: TEST_PASSWORD });
    assert.equal((await portal.submit(prompt, { code: await admin.person.app.code() })).url, at('/fsm'), 'signed in: the portal home');
  });
  after(() => sims?.stop());

  it('offers forecast months from the first that can be ordered, and says the lead time, horizon and tolerance', async () => {
    const form = await portal.open(at('/portal/oms/forecasts/new'));
    const offered = months(form.html);
    assert.equal(offered[0], '2027-04', 'December 2026 plus the 4-month lead time');
    assert.equal(offered.at(-1), '2028-12', 'the 24-month horizon');
    for (const page of [form, await portal.open(at('/portal/oms/orders/new'))]) {
      assert.match(page.html, /from 2027-04 to 2028-12 \(a lead time of 4 months; a forecast horizon of 24 months\)/);
      assert.match(page.html, /within ±10 % of your latest forecast/);
    }
  });

  it('takes an order for the first forecast month, and offers no confirmation to a tolerance exception', async () => {
    const forecast = await portal.submit(await portal.open(at('/portal/oms/forecasts/new')), {
      region: 'North',
      variant: '4G-SB',
      'month_2027-04': '1000',
    });
    assert.equal(forecast.status, 200, forecast.html.slice(0, 500));
    const order = (quantity: string) =>
      portal
        .open(at('/portal/oms/orders/new'))
        .then((page) =>
          portal.submit(page, { region: 'North', variant: '4G-SB', delivery_month: '2027-04', location: 'Leeds depot', quantity }),
        );
    const within = await order('1000');
    assert.match(within.url, /\/portal\/oms\/orders\/[0-9a-f]{32}$/, within.html.slice(0, 800));
    assert.ok(hasConfirm(within), 'an order within tolerance is offered its confirmation');
    const outside = await order('2000');
    assert.match(outside.html, /Tolerance exception/);
    assert.ok(!hasConfirm(outside), 'a tolerance exception is not offered "Confirm the order"');
  });
});
