import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { buildDeviceId } from '../fixtures/parties';
import { signInAgain } from './screenplay/tasks/onboarding';
import type { FsmWorld } from './support/world';

const months = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let [y, m] = from.split('-').map(Number) as [number, number]; `${y}-${String(m).padStart(2, '0')}` <= to; m === 12 ? ((y += 1), (m = 1)) : (m += 1)) out.push(`${y}-${String(m).padStart(2, '0')}`);
  return out;
};

/** Moves the platform's one clock; people who were signed in come back and sign in again. */
Given('it is {word} on the platform', async function (this: FsmWorld, date: string) {
  await this.control.changeClock({ set: `${date}T10:00:00Z` });
  for (const party of this.parties.values()) if (party.administrator.app.enrolled) await signInAgain(this, party.administrator);
});

Given('the administrator of {string} gives themselves the roles {listOfWords} in the {word} Region', async function (this: FsmWorld, alias: string, roles: string[], region: string) {
  const party = this.party(alias);
  this.expectSuccess(await this.administratorOf(alias).fsm.changeUser(party.onboarded.administrator.sysId, { roles, region }), 'Changing their own roles');
});

Then('the administrator of {string} sees no Communications Hubs in stock', async function (this: FsmWorld, alias: string) {
  assert.deepEqual(await this.administratorOf(alias).fsm.oms.stock(), []);
});

Given('the administrator of {string} forecasts {int} {word} hubs a month in the {word} Region for {word} to {word}', async function (this: FsmWorld, alias: string, quantity: number, variant: string, region: string, from: string, to: string) {
  this.expectSuccess(await this.administratorOf(alias).fsm.oms.submitForecast(region, variant, months(from, to).map((month) => ({ month, quantity }))), 'Submitting the forecast');
});

When('the administrator of {string} orders {int} {word} hubs in the {word} Region for {word} to {string}', async function (this: FsmWorld, alias: string, quantity: number, variant: string, region: string, month: string, location: string) {
  this.lastOrder = this.expectSuccess(await this.administratorOf(alias).fsm.oms.placeOrder({ region, variant, deliveryMonth: month, location, quantity }), 'Placing the order');
});

When('the administrator of {string} tries to order {int} {word} hubs in the {word} Region for {word} to {string}', async function (this: FsmWorld, alias: string, quantity: number, variant: string, region: string, month: string, location: string) {
  this.remember(await this.administratorOf(alias).fsm.oms.placeOrder({ region, variant, deliveryMonth: month, location, quantity }), 'Placing the order');
});

Then('the order is {word}', function (this: FsmWorld, state: string) {
  assert.equal(this.order().state, state);
});

Then('the order is a tolerance exception', function (this: FsmWorld) {
  assert.equal(this.order().state, 'tolerance_exception');
});

When('the administrator of {string} confirms the order', async function (this: FsmWorld, alias: string) {
  this.lastConsignment = this.expectSuccess(await this.administratorOf(alias).fsm.oms.confirmOrder(this.order().sysId), 'Confirming the order');
});

Then('the administrator of {string} cannot confirm the order yet', async function (this: FsmWorld, alias: string) {
  const outcome = await this.administratorOf(alias).fsm.oms.confirmOrder(this.order().sysId);
  assert.deepEqual(outcome.ok ? 'confirmed' : outcome.status, 409);
});

When('DCC approves the tolerance exception', async function (this: FsmWorld) {
  this.lastOrder = { ...this.order(), state: (await this.control.decideOrder(this.order().sysId, 'approve')).state };
});

When('DCC rejects the tolerance exception because {string}', async function (this: FsmWorld, reason: string) {
  this.lastOrder = { ...this.order(), state: (await this.control.decideOrder(this.order().sysId, 'reject', reason)).state };
});

Then('a consignment of {int} hubs is planned for {word} with an Advance Shipment Notice of {int} devices', function (this: FsmWorld, quantity: number, date: string, devices: number) {
  const c = this.consignment();
  assert.deepEqual({ quantity: c.quantity, date: c.deliveryDate, state: c.state, devices: c.deviceIds.length }, { quantity, date, state: 'planned', devices });
});

Given('the administrator of {string} has ordered and confirmed {int} {word} hubs in the {word} Region for {word} to {string}', async function (this: FsmWorld, alias: string, quantity: number, variant: string, region: string, month: string, location: string) {
  const oms = this.administratorOf(alias).fsm.oms;
  this.lastOrder = this.expectSuccess(await oms.placeOrder({ region, variant, deliveryMonth: month, location, quantity }), 'Placing the order');
  this.lastConsignment = this.expectSuccess(await oms.confirmOrder(this.order().sysId), 'Confirming the order');
});

When('the administrator of {string} moves the delivery to {word}', async function (this: FsmWorld, alias: string, date: string) {
  this.lastConsignment = this.expectSuccess(await this.administratorOf(alias).fsm.oms.amendDelivery(this.consignment().sysId, date), 'Moving the delivery');
});

Then('the administrator of {string} can no longer move the delivery', async function (this: FsmWorld, alias: string) {
  const outcome = await this.administratorOf(alias).fsm.oms.amendDelivery(this.consignment().sysId, '2027-05-14');
  assert.ok(!outcome.ok && outcome.status === 409 && /cut-off/.test(outcome.message), JSON.stringify(outcome));
});

Then('the carrier reports the consignment picked, dispatched, in transit and delivered', async function (this: FsmWorld) {
  const c = this.expectSuccess(await this.lastActor().fsm.oms.consignment(this.consignment().sysId), 'Tracking the consignment');
  assert.deepEqual({ events: c.events, state: c.state }, { events: ['picked', 'dispatched', 'in_transit', 'delivered'], state: 'delivered' });
});

When('the administrator of {string} rejects {int} hubs of the delivery as {string}', async function (this: FsmWorld, alias: string, quantity: number, reason: string) {
  this.lastConsignment = this.expectSuccess(await this.administratorOf(alias).fsm.oms.respondToDelivery(this.consignment().sysId, { decision: 'reject', reason, quantity }), 'Rejecting part of the delivery');
});

Then('{int} {word} hubs are in the stock of {string}', async function (this: FsmWorld, count: number, variant: string, alias: string) {
  assert.deepEqual(await this.administratorOf(alias).fsm.oms.stock(), [{ variant, status: 'in_stock', count }]);
});

Then('the administrator of {string} can no longer accept the delivery', async function (this: FsmWorld, alias: string) {
  const outcome = await this.administratorOf(alias).fsm.oms.respondToDelivery(this.consignment().sysId, { decision: 'accept' });
  assert.ok(!outcome.ok && outcome.status === 409 && /window .* closed/.test(outcome.message), JSON.stringify(outcome));
});

When('the administrator of {string} creates {int} more OMS accounts in the {word} Region', async function (this: FsmWorld, alias: string, count: number, region: string) {
  const admin = this.administratorOf(alias);
  const domain = admin.username.split('@')[1] ?? 'example.com';
  for (let i = 1; i <= count; i++) {
    this.expectSuccess(await admin.fsm.createUser({ email: `oms${i}.${this.tag}@${domain}`, name: `OMS ${i}`, roles: ['OMS_ORDERING'], region }), `Creating OMS account ${i}`);
  }
});

Then('a fifth OMS account in the {word} Region is refused', async function (this: FsmWorld, region: string) {
  const admin = this.lastActor();
  const outcome = await admin.fsm.createUser({ email: `oms5.${this.tag}@${admin.username.split('@')[1] ?? 'example.com'}`, name: 'OMS 5', roles: ['OMS_RETURNS'], region });
  assert.ok(!outcome.ok && outcome.status === 409 && outcome.message.includes(`OMS accounts in the ${region} Region`), JSON.stringify(outcome));
});

Given('{string} has {int} {word} hubs installed', async function (this: FsmWorld, alias: string, count: number, variant: string) {
  const ids = Array.from({ length: count }, () => buildDeviceId(this.faker, this.tag));
  this.logFixture(`hubs installed at "${alias}"`, ids);
  await this.control.installDevices(this.party(alias).onboarded.party.id, variant, ids);
  this.installedDevices.push(...ids);
});

When('the administrator of {string} returns an installed hub because {string}', async function (this: FsmWorld, alias: string, reason: string) {
  const device = this.installedDevices[0];
  assert.ok(device, 'No hub is installed in this scenario');
  this.lastReturn = this.expectSuccess(await this.administratorOf(alias).fsm.oms.raiseReturn(device, reason), 'Raising a return');
});

Then('a Return Material Authorisation number is issued', function (this: FsmWorld) {
  assert.match(this.returned().rmaNumber, /^RMA\d{7}$/);
});

Then('the return is triaged {string} with a charge of £{float}', async function (this: FsmWorld, outcome: string, pounds: number) {
  const progress = this.expectSuccess(await this.lastActor().fsm.oms.returnProgress(this.returned().sysId), 'Following the return');
  assert.deepEqual({ outcome: progress.triageOutcome, pence: progress.chargePence }, { outcome, pence: Math.round(pounds * 100) });
});

Then('returning the same hub again is refused because {string}', async function (this: FsmWorld, text: string) {
  const outcome = await this.lastActor().fsm.oms.raiseReturn(this.installedDevices[0] ?? '', 'no_power');
  assert.ok(!outcome.ok && outcome.message.includes(text), JSON.stringify(outcome));
});

When('the administrator of {string} transfers its installed hubs to {string}', async function (this: FsmWorld, alias: string, other: string) {
  const receiving = this.party(other).onboarded.party.name;
  const ordered = await this.administratorOf(alias).fsm.orderItem('Communications Hub transfer', { receiving_party: receiving, device_ids: this.installedDevices.join(',') });
  this.expectSuccess(ordered, 'Ordering the transfer');
});

Then('the administrator of {string} sees a transfer of {int} hubs waiting', async function (this: FsmWorld, alias: string, devices: number) {
  const waiting = (await this.administratorOf(alias).fsm.oms.incomingTransfers()).filter((t) => t.state === 'pending');
  assert.deepEqual(waiting.map((t) => t.devices), [devices]);
});

When('the administrator of {string} accepts the transfer', async function (this: FsmWorld, alias: string) {
  const oms = this.administratorOf(alias).fsm.oms;
  const [transfer] = await oms.incomingTransfers();
  assert.ok(transfer, 'No transfer is waiting');
  this.expectSuccess(await oms.answerTransfer(transfer.sysId, true), 'Accepting the transfer');
});
