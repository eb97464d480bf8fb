/** OMS and CH logistics over HTTP: forecasts, orders, tolerance, deliveries on working days, returns, the account limit. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FsmApiClient } from '../../clients/fsm-api';
import { SimControlClient } from '../../clients/sim-control';
import type { Simulators } from '../../simulators/start';
import { assertRefused, signedInClient, signInAgain, startTestSimulators, type SignedIn } from '../support';

type Row = Record<string, unknown>;

describe('OMS', () => {
  let sims: Simulators;
  let party: SignedIn;
  let api: FsmApiClient;
  let control: SimControlClient;
  const june: Record<'window' | 'carrier', Row> = { window: {}, carrier: {} };
  /** Moves the one clock and signs in again, as a person would after days away. */
  const at = async (iso: string) => {
    sims.clock.set(iso);
    api = await signInAgain(sims, party);
  };
  const order = async (quantity: number, month = '2027-04') =>
    api.oms<Row>('POST', '/orders', { region: 'North', variant: '4G-SB', delivery_month: month, location: 'Leeds depot', quantity });

  before(async () => {
    sims = await startTestSimulators();
    sims.clock.change({ set: '2026-12-01T10:00:00Z', freeze: true });
    party = await signedInClient(sims, 'Order Energy');
    control = new SimControlClient(sims.urls.fsm);
    const me = (await party.api.me()).body.result.sys_id;
    await party.api.update('sys_user', me, { roles: 'ORG_ADMIN,OMS_ORDERING,OMS_RETURNS', region: 'North' });
    api = party.api;
    await api.oms('POST', '/forecasts', {
      region: 'North',
      variant: '4G-SB',
      months: ['2027-04', '2027-05', '2027-06'].map((month) => ({ month, quantity: 1000 })),
    });
    // Time only moves forward in these tests, as it does for people: June's consignments are confirmed now.
    for (const name of ['window', 'carrier'] as const) {
      const placed = (await order(1000, '2027-06')).body.result;
      june[name] = (await api.oms<Row>('POST', `/orders/${String(placed.sys_id)}/confirm`)).body.result;
    }
  });
  after(async () => {
    sims.clock.reset();
    await sims?.stop();
  });

  it('takes forecasts inside the horizon, and refuses legacy variants pointing to the legacy system', async () => {
    assertRefused(
      await api.oms('POST', '/forecasts', { region: 'North', variant: '4G-SB', months: [{ month: '2029-01', quantity: 10 }] }),
      400,
      /outside the forecast horizon/,
    );
    assertRefused(
      await api.oms('POST', '/forecasts', { region: 'North', variant: '2G3G-SB', months: [{ month: '2027-04', quantity: 10 }] }),
      400,
      /legacy ordering system/,
    );
    assertRefused(
      await order(1000).then(() =>
        api.oms('POST', '/orders', { region: 'North', variant: 'LRR', delivery_month: '2027-04', location: 'Leeds', quantity: 10 }),
      ),
      400,
      /OMS-11/,
    );
  });

  it('refuses quantities that are not whole pack multiples, and months inside the lead time', async () => {
    for (const [quantity, message] of [
      [0, /above zero/],
      [-10, /above zero/],
      [15, /multiple of the pack size, 10/],
      [1_000_000_000, /above the most/],
    ] as const) {
      assertRefused(await order(quantity), 400, message);
    }
    assertRefused(await order(1000, '2027-01'), 400, /lead time/);
  });

  it('sends an order outside tolerance to DCC, who approves or rejects it', async () => {
    const within = (await order(1050)).body.result;
    assert.equal(within.state, 'submitted');
    const outside = (await order(1500)).body.result;
    assert.equal(outside.state, 'tolerance_exception');
    assertRefused(await api.oms('POST', `/orders/${String(outside.sys_id)}/confirm`), 409, /approve the tolerance exception first/);
    assert.equal((await control.decideOrder(String(outside.sys_id), 'approve')).state, 'submitted');
    const another = (await order(2000)).body.result;
    assert.equal((await control.decideOrder(String(another.sys_id), 'reject', 'Far above forecast')).state, 'rejected');
  });

  it('delivers a confirmed order on a working day, with amendment until the cut-off and acceptance within the window', async () => {
    const placed = (await order(1000, '2027-05')).body.result;
    const consignment = (await api.oms<Row>('POST', `/orders/${String(placed.sys_id)}/confirm`)).body.result;
    assert.deepEqual(
      [consignment.delivery_date, (consignment.device_ids as string[]).length],
      ['2027-05-04', 1000],
      'the first working day of May 2027, after the bank holiday',
    );
    await at('2027-04-20T10:00:00Z');
    assertRefused(
      await api.oms('POST', `/consignments/${String(consignment.sys_id)}/amend`, { delivery_date: '2027-05-08' }),
      400,
      /not a working day/,
    );
    assert.equal(
      (await api.oms<Row>('POST', `/consignments/${String(consignment.sys_id)}/amend`, { delivery_date: '2027-05-12' })).body.result
        .delivery_date,
      '2027-05-12',
    );
    await at('2027-05-06T10:00:00Z');
    assertRefused(
      await api.oms('POST', `/consignments/${String(consignment.sys_id)}/amend`, { delivery_date: '2027-05-14' }),
      409,
      /cut-off was 2027-05-05/,
    );
    assertRefused(
      await api.oms('POST', `/consignments/${String(consignment.sys_id)}/respond`, { decision: 'accept' }),
      409,
      /not been delivered yet/,
    );
    await at('2027-05-12T15:00:00Z');
    const tracked = (await api.oms<Row>('GET', `/consignments/${String(consignment.sys_id)}`)).body.result;
    assert.deepEqual(
      (tracked.events as { status: string }[]).map((e) => e.status),
      ['picked', 'dispatched', 'in_transit', 'delivered'],
    );
    assert.equal(
      (
        await api.oms<Row>('POST', `/consignments/${String(consignment.sys_id)}/respond`, {
          decision: 'reject',
          reason: 'damaged',
          quantity: 10,
        })
      ).body.result.accepted_quantity,
      990,
    );
    assertRefused(
      await api.oms('POST', `/consignments/${String(consignment.sys_id)}/respond`, { decision: 'accept' }),
      409,
      /was already rejected/,
    );
    assert.deepEqual((await api.oms<Row[]>('GET', '/stock')).body.result, [{ variant: '4G-SB', status: 'in_stock', count: 990 }]);
  });

  it('closes the acceptance window after the configured working days', async () => {
    const consignment = june.window;
    await at('2027-06-07T10:00:00Z');
    assertRefused(
      await api.oms('POST', `/consignments/${String(consignment.sys_id)}/respond`, { decision: 'accept' }),
      409,
      /window to accept or reject .* closed on 2027-06-04/,
    );
  });

  it("returns hubs to triage and charge; a hub is returned once; only the party's own", async () => {
    await control.installDevices(party.partyId, '4G-DB', ['00-1B-C5-0C-00-00-00-01', '00-1B-C5-0C-00-00-00-02']);
    const faulty = (await api.oms<Row>('POST', '/returns', { device_id: '00-1B-C5-0C-00-00-00-01', reason: 'no_wan_connection' })).body
      .result;
    assert.match(String(faulty.rma_number), /^RMA\d{7}$/);
    assertRefused(
      await api.oms('POST', '/returns', { device_id: '00-1B-C5-0C-00-00-00-01', reason: 'no_power' }),
      409,
      /already being returned/,
    );
    assertRefused(
      await api.oms('POST', '/returns', { device_id: '00-1B-C5-0C-00-00-00-99', reason: 'no_power' }),
      400,
      /not a hub of your party/,
    );
    const sound = (await api.oms<Row>('POST', '/returns', { device_id: '00-1B-C5-0C-00-00-00-02', reason: 'removed_no_fault' })).body
      .result;
    await at('2027-06-09T10:00:00Z');
    const progress = async (r: Row) => (await api.oms<Row>('GET', `/returns/${String(r.sys_id)}`)).body.result;
    assert.equal((await progress(faulty)).state, 'collected');
    await at('2027-06-11T10:00:00Z');
    assert.deepEqual([(await progress(faulty)).triage_outcome, (await progress(faulty)).charge_pence], ['not_redeployable', 5875]);
    assert.deepEqual([(await progress(sound)).triage_outcome, (await progress(sound)).charge_pence], ['redeployable', 827]);
  });

  it('says so when the carrier does not answer, and recovers when it does', async () => {
    const consignment = june.carrier;
    await control.carrierFault(sims.urls.logistics, String(consignment.number), 'fail');
    assertRefused(await api.oms('GET', `/consignments/${String(consignment.sys_id)}`), 503, /carrier cannot be reached/);
    await fetch(`${sims.urls.logistics}/__sim/faults/${String(consignment.number)}`, { method: 'DELETE' });
    assert.equal((await api.oms('GET', `/consignments/${String(consignment.sys_id)}`)).status, 200);
  });

  it('allows four OMS accounts per Region without charge, and refuses a fifth', async () => {
    for (let i = 1; i <= 3; i++) {
      assert.equal(
        (
          await api.create('sys_user', {
            user_name: `oms${i}@order-energy.example`,
            name: `OMS ${i}`,
            roles: 'OMS_ORDERING',
            region: 'North',
          })
        ).status,
        201,
      );
    }
    assertRefused(
      await api.create('sys_user', { user_name: 'oms5@order-energy.example', name: 'OMS 5', roles: 'OMS_RETURNS', region: 'North' }),
      409,
      /already has 4 OMS accounts in the North Region/,
    );
    assertRefused(
      await api.create('sys_user', { user_name: 'oms6@order-energy.example', name: 'OMS 6', roles: 'OMS_RETURNS' }),
      400,
      /needs a Region/,
    );
    assert.equal(
      (await api.create('sys_user', { user_name: 'oms7@order-energy.example', name: 'OMS 7', roles: 'OMS_RETURNS', region: 'South' }))
        .status,
      201,
    );
  });
});

describe('CH transfers', () => {
  let sims: Simulators;
  before(async () => (sims = await startTestSimulators()));
  after(() => sims?.stop());

  it("moves hubs to another party only when it accepts them, and only the sender's own hubs", async () => {
    const [from, to] = [await signedInClient(sims, 'Sender Energy'), await signedInClient(sims, 'Receiver Power')];
    for (const p of [from, to])
      await p.api.update('sys_user', (await p.api.me()).body.result.sys_id, { roles: 'ORG_ADMIN,OMS_RETURNS', region: 'South' });
    const control = new SimControlClient(sims.urls.fsm);
    await control.installDevices(from.partyId, '4G-SB', ['00-1B-C5-0C-00-00-01-01', '00-1B-C5-0C-00-00-01-02']);
    const item =
      '' +
      (await from.api.request<{ result: { sys_id: string; name: string }[] }>('GET', '/api/sn_sc/servicecatalog/items')).body.result.find(
        (i) => i.name === 'Communications Hub transfer',
      )?.sys_id;
    assertRefused(
      await from.api.orderNow(item, { receiving_party: 'Receiver Power', device_ids: '00-1B-C5-0C-00-00-09-09' }),
      400,
      /not yours to transfer: 00-1B-C5-0C-00-00-09-09/,
    );
    assertRefused(
      await from.api.orderNow(item, { receiving_party: 'Nobody Ltd', device_ids: '00-1B-C5-0C-00-00-01-01' }),
      400,
      /another onboarded party/,
    );
    assert.equal(
      (await from.api.orderNow(item, { receiving_party: 'Receiver Power', device_ids: '00-1B-C5-0C-00-00-01-01, 00-1B-C5-0C-00-00-01-02' }))
        .status,
      200,
    );
    const [transfer] = (await to.api.request<{ result: { sys_id: string; from_party: string }[] }>('GET', '/api/x_dcc/oms/transfers')).body
      .result;
    assert.equal(transfer?.from_party, 'Sender Energy');
    assertRefused(
      await from.api.request('POST', `/api/x_dcc/oms/transfers/${transfer?.sys_id}/accept`, { json: {} }),
      404,
      /No Record found/,
    );
    assert.deepEqual(
      (
        await to.api.request<{ result: { state: string; devices: number } }>(
          'POST',
          `/api/x_dcc/oms/transfers/${transfer?.sys_id}/accept`,
          { json: {} },
        )
      ).body.result,
      { state: 'accepted', devices: 2 },
    );
    assert.deepEqual((await to.api.oms<unknown[]>('GET', '/stock')).body.result, [{ variant: '4G-SB', status: 'in_stock', count: 2 }]);
    assertRefused(
      await to.api.request('POST', `/api/x_dcc/oms/transfers/${transfer?.sys_id}/reject`, { json: {} }),
      409,
      /already accepted/,
    );
  });
});
