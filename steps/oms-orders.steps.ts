/**
 * OMS ordering steps: forecasts, orders and their tolerance exceptions, and confirming an order
 * into a planned consignment.
 */
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { Oms, OmsNotes } from './screenplay/oms/tasks';
import type { FsmWorld } from './support/world';

/** Each month from `from` to `to` (YYYY-MM), both included. */
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
