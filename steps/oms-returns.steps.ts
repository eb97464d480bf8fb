/**
 * OMS return steps: hubs installed at a party, returning one (a Return Material Authorisation),
 * its triage and charge, and a hub returned twice.
 */
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { buildDeviceId } from '../fixtures/parties';
import { Oms, OmsNotes } from './screenplay/oms/tasks';
import type { FsmWorld } from './support/world';

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
