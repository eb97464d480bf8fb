import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import { UserNotes, Users } from './screenplay/users/tasks';
import type { FsmWorld } from './support/world';

When('the administrator of {string} lists the users they can see', async function (this: FsmWorld, alias: string) {
  this.notes.of(UserNotes).visible = (await Users.list(this.administratorOf(alias))).map((u) => u.username);
});

Then('they see only the users of {string}', function (this: FsmWorld, alias: string) {
  const own = [this.administratorOf(alias).username];
  const others = [...this.parties.values()].filter((p) => p.alias !== alias).map((p) => p.administrator.username);
  const { visible } = this.notes.of(UserNotes);
  assert.deepEqual({ own: own.filter((u) => visible.includes(u)), others: others.filter((u) => visible.includes(u)) }, { own, others: [] });
});
