/**
 * OMS transfer steps: a party transfers its installed hubs to another, which sees the transfer
 * waiting and accepts it.
 */
import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import { Oms, OmsNotes } from './screenplay/oms/tasks';
import { Requests } from './screenplay/requests/tasks';
import type { FsmWorld } from './support/world';

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
