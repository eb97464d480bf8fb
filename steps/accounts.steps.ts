import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import type { FsmWorld } from './support/world';

When('the administrator of {string} lists the users they can see', async function (this: FsmWorld, alias: string) {
  this.visibleUsers = (await this.administratorOf(alias).fsm.users()).map((u) => u.username);
});

Then('they see only the users of {string}', function (this: FsmWorld, alias: string) {
  const own = [this.administratorOf(alias).username];
  const others = [...this.parties.values()].filter((p) => p.alias !== alias).map((p) => p.administrator.username);
  assert.deepEqual({ own: own.filter((u) => this.visibleUsers.includes(u)), others: others.filter((u) => this.visibleUsers.includes(u)) }, { own, others: [] });
});
