/**
 * OMS delivery steps: moving a delivery before its cut-off, the carrier's tracking, accepting or
 * rejecting hubs on arrival, and the stock the delivery fills.
 */
import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import { Oms, OmsNotes } from './screenplay/oms/tasks';
import type { FsmWorld } from './support/world';

Then('the administrator of {string} sees no Communications Hubs in stock', async function (this: FsmWorld, alias: string) {
  assert.deepEqual(await Oms.stock(this.administratorOf(alias)), []);
});

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
