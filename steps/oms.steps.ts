import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { buildDeviceId } from '../fixtures/parties';
import { signInAgain } from './screenplay/identity/tasks';
import { Oms, OmsNotes } from './screenplay/oms/tasks';
import { Requests } from './screenplay/requests/tasks';
import { addressFor, Users } from './screenplay/users/tasks';
import type { FsmWorld } from './support/world';

const months = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (
    let [y, m] = from.split('-').map(Number) as [number, number];
    `${y}-${String(m).padStart(2, '0')}` <= to;
    m === 12 ? ((y += 1), (m = 1)) : (m += 1)
  )
    out.push(`${y}-${String(m).padStart(2, '0')}`);
  return out;
};

/** Moves the platform's one clock; people who were signed in come back and sign in again. */
Given('it is {word} on the platform', async function (this: FsmWorld, date: string) {
  await this.control.changeClock({ set: `${date}T10:00:00Z` });
  for (const party of this.parties.values()) if (party.administrator.app.enrolled) await signInAgain(this, party.administrator);
});

Given(
  'the administrator of {string} gives themselves the roles {listOfWords} in the {word} Region',
  async function (this: FsmWorld, alias: string, roles: string[], region: string) {
    const party = this.party(alias);
    this.expectSuccess(
      await Users.change(this.administratorOf(alias), party.onboarded.administrator.sysId, { roles, region }),
      'Changing their own roles',
    );
  },
);

Then('the administrator of {string} sees no Communications Hubs in stock', async function (this: FsmWorld, alias: string) {
  assert.deepEqual(await Oms.stock(this.administratorOf(alias)), []);
});

Given(
  'the administrator of {string} forecasts {int} {word} hubs a month in the {word} Region for {word} to {word}',
  async function (this: FsmWorld, alias: string, quantity: number, variant: string, region: string, from: string, to: string) {
    this.expectSuccess(
      await Oms.submitForecast(
        this.administratorOf(alias),
        region,
        variant,
        months(from, to).map((month) => ({ month, quantity })),
      ),
      'Submitting the forecast',
    );
  },
);

When(
  'the administrator of {string} orders {int} {word} hubs in the {word} Region for {word} to {string}',
  async function (this: FsmWorld, alias: string, quantity: number, variant: string, region: string, month: string, location: string) {
    this.notes.of(OmsNotes).order = this.expectSuccess(
      await Oms.placeOrder(this.administratorOf(alias), { region, variant, deliveryMonth: month, location, quantity }),
      'Placing the order',
    );
  },
);

When(
  'the administrator of {string} tries to order {int} {word} hubs in the {word} Region for {word} to {string}',
  async function (this: FsmWorld, alias: string, quantity: number, variant: string, region: string, month: string, location: string) {
    this.remember(
      await Oms.placeOrder(this.administratorOf(alias), { region, variant, deliveryMonth: month, location, quantity }),
      'Placing the order',
    );
  },
);

Then('the order is {word}', function (this: FsmWorld, state: string) {
  assert.equal(this.notes.of(OmsNotes).order.state, state);
});

Then('the order is a tolerance exception', function (this: FsmWorld) {
  assert.equal(this.notes.of(OmsNotes).order.state, 'tolerance_exception');
});

When('the administrator of {string} confirms the order', async function (this: FsmWorld, alias: string) {
  const notes = this.notes.of(OmsNotes);
  notes.consignment = this.expectSuccess(await Oms.confirmOrder(this.administratorOf(alias), notes.order.sysId), 'Confirming the order');
});

Then('the administrator of {string} cannot confirm the order yet', async function (this: FsmWorld, alias: string) {
  const outcome = await Oms.confirmOrder(this.administratorOf(alias), this.notes.of(OmsNotes).order.sysId);
  assert.deepEqual(outcome.ok ? 'confirmed' : outcome.status, 409);
});

When('DCC approves the tolerance exception', async function (this: FsmWorld) {
  const notes = this.notes.of(OmsNotes);
  notes.order = { ...notes.order, state: (await this.control.decideOrder(notes.order.sysId, 'approve')).state };
});

When('DCC rejects the tolerance exception because {string}', async function (this: FsmWorld, reason: string) {
  const notes = this.notes.of(OmsNotes);
  notes.order = { ...notes.order, state: (await this.control.decideOrder(notes.order.sysId, 'reject', reason)).state };
});

Then(
  'a consignment of {int} hubs is planned for {word} with an Advance Shipment Notice of {int} devices',
  function (this: FsmWorld, quantity: number, date: string, devices: number) {
    const c = this.notes.of(OmsNotes).consignment;
    assert.deepEqual(
      { quantity: c.quantity, date: c.deliveryDate, state: c.state, devices: c.deviceIds.length },
      { quantity, date, state: 'planned', devices },
    );
  },
);

Given(
  'the administrator of {string} has ordered and confirmed {int} {word} hubs in the {word} Region for {word} to {string}',
  async function (this: FsmWorld, alias: string, quantity: number, variant: string, region: string, month: string, location: string) {
    const [admin, notes] = [this.administratorOf(alias), this.notes.of(OmsNotes)];
    notes.order = this.expectSuccess(
      await Oms.placeOrder(admin, { region, variant, deliveryMonth: month, location, quantity }),
      'Placing the order',
    );
    notes.consignment = this.expectSuccess(await Oms.confirmOrder(admin, notes.order.sysId), 'Confirming the order');
  },
);

When('the administrator of {string} moves the delivery to {word}', async function (this: FsmWorld, alias: string, date: string) {
  const notes = this.notes.of(OmsNotes);
  notes.consignment = this.expectSuccess(
    await Oms.amendDelivery(this.administratorOf(alias), notes.consignment.sysId, date),
    'Moving the delivery',
  );
});

Then('the administrator of {string} can no longer move the delivery', async function (this: FsmWorld, alias: string) {
  const outcome = await Oms.amendDelivery(this.administratorOf(alias), this.notes.of(OmsNotes).consignment.sysId, '2027-05-14');
  assert.ok(!outcome.ok && outcome.status === 409 && /cut-off/.test(outcome.message), JSON.stringify(outcome));
});

Then('the carrier reports the consignment picked, dispatched, in transit and delivered', async function (this: FsmWorld) {
  const c = this.expectSuccess(
    await Oms.consignment(this.lastActor(), this.notes.of(OmsNotes).consignment.sysId),
    'Tracking the consignment',
  );
  assert.deepEqual(
    { events: c.events, state: c.state },
    { events: ['picked', 'dispatched', 'in_transit', 'delivered'], state: 'delivered' },
  );
});

When(
  'the administrator of {string} rejects {int} hubs of the delivery as {string}',
  async function (this: FsmWorld, alias: string, quantity: number, reason: string) {
    const notes = this.notes.of(OmsNotes);
    notes.consignment = this.expectSuccess(
      await Oms.respondToDelivery(this.administratorOf(alias), notes.consignment.sysId, { decision: 'reject', reason, quantity }),
      'Rejecting part of the delivery',
    );
  },
);

Then('{int} {word} hubs are in the stock of {string}', async function (this: FsmWorld, count: number, variant: string, alias: string) {
  assert.deepEqual(await Oms.stock(this.administratorOf(alias)), [{ variant, status: 'in_stock', count }]);
});

Then('the administrator of {string} can no longer accept the delivery', async function (this: FsmWorld, alias: string) {
  const outcome = await Oms.respondToDelivery(this.administratorOf(alias), this.notes.of(OmsNotes).consignment.sysId, {
    decision: 'accept',
  });
  assert.ok(!outcome.ok && outcome.status === 409 && /window .* closed/.test(outcome.message), JSON.stringify(outcome));
});

When(
  'the administrator of {string} creates {int} more OMS accounts in the {word} Region',
  async function (this: FsmWorld, alias: string, count: number, region: string) {
    const admin = this.administratorOf(alias);
    for (let i = 1; i <= count; i++)
      this.expectSuccess(
        await Users.create(admin, { email: addressFor(this, admin, `oms${i}`), name: `OMS ${i}`, roles: ['OMS_ORDERING'], region }),
        `Creating OMS account ${i}`,
      );
  },
);

Then('a fifth OMS account in the {word} Region is refused', async function (this: FsmWorld, region: string) {
  const admin = this.lastActor();
  const outcome = await Users.create(admin, { email: addressFor(this, admin, 'oms5'), name: 'OMS 5', roles: ['OMS_RETURNS'], region });
  assert.ok(
    !outcome.ok && outcome.status === 409 && outcome.message.includes(`OMS accounts in the ${region} Region`),
    JSON.stringify(outcome),
  );
});

Given('{string} has {int} {word} hubs installed', async function (this: FsmWorld, alias: string, count: number, variant: string) {
  const ids = Array.from({ length: count }, () => buildDeviceId(this.faker, this.tag));
  this.logFixture(`hubs installed at "${alias}"`, ids);
  await this.control.installDevices(this.party(alias).onboarded.party.id, variant, ids);
  this.notes.of(OmsNotes).installedDevices.push(...ids);
});

When(
  'the administrator of {string} returns an installed hub because {string}',
  async function (this: FsmWorld, alias: string, reason: string) {
    const notes = this.notes.of(OmsNotes);
    const device = notes.installedDevices[0] ?? assert.fail('No hub is installed in this scenario');
    notes.returned = this.expectSuccess(await Oms.raiseReturn(this.administratorOf(alias), device, reason), 'Raising a return');
  },
);

Then('a Return Material Authorisation number is issued', function (this: FsmWorld) {
  assert.match(this.notes.of(OmsNotes).returned.rmaNumber, /^RMA\d{7}$/);
});

Then('the return is triaged {string} with a charge of £{float}', async function (this: FsmWorld, outcome: string, pounds: number) {
  const progress = this.expectSuccess(
    await Oms.returnProgress(this.lastActor(), this.notes.of(OmsNotes).returned.sysId),
    'Following the return',
  );
  assert.deepEqual({ outcome: progress.triageOutcome, pence: progress.chargePence }, { outcome, pence: Math.round(pounds * 100) });
});

Then('returning the same hub again is refused because {string}', async function (this: FsmWorld, text: string) {
  const outcome = await Oms.raiseReturn(this.lastActor(), this.notes.of(OmsNotes).installedDevices[0] ?? '', 'no_power');
  assert.ok(!outcome.ok && outcome.message.includes(text), JSON.stringify(outcome));
});

When(
  'the administrator of {string} transfers its installed hubs to {string}',
  async function (this: FsmWorld, alias: string, other: string) {
    const variables = {
      receiving_party: this.party(other).onboarded.party.name,
      device_ids: this.notes.of(OmsNotes).installedDevices.join(','),
    };
    this.expectSuccess(
      await Requests.orderItem(this.administratorOf(alias), 'Communications Hub transfer', variables),
      'Ordering the transfer',
    );
  },
);

Then(
  'the administrator of {string} sees a transfer of {int} hubs waiting',
  async function (this: FsmWorld, alias: string, devices: number) {
    const waiting = (await Oms.incomingTransfers(this.administratorOf(alias))).filter((t) => t.state === 'pending');
    assert.deepEqual(
      waiting.map((t) => t.devices),
      [devices],
    );
  },
);

When('the administrator of {string} accepts the transfer', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  const [transfer] = await Oms.incomingTransfers(admin);
  this.expectSuccess(
    await Oms.answerTransfer(admin, (transfer ?? assert.fail('No transfer is waiting')).sysId, true),
    'Accepting the transfer',
  );
});
