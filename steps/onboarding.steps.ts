import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { onboardParty, signInFirstTime } from './screenplay/tasks/onboarding';
import type { FsmWorld } from './support/world';

Given('DCC has onboarded the party {string}', async function (this: FsmWorld, alias: string) {
  await onboardParty(this, alias);
});

When('the administrator of {string} signs in for the first time', async function (this: FsmWorld, alias: string) {
  this.lastPrompts = await signInFirstTime(this, this.administratorOf(alias));
});

Given('the administrator of {string} has signed in for the first time', async function (this: FsmWorld, alias: string) {
  await signInFirstTime(this, this.administratorOf(alias));
});

Then('they were asked to choose their own password before anything else', function (this: FsmWorld) {
  assert.equal(this.lastPrompts[0], 'password_change', `The first prompt was ${this.lastPrompts[0] ?? 'none'}`);
});

Then('they are signed in to {string} with the roles {listOfWords}', async function (this: FsmWorld, alias: string, roles: string[]) {
  const party = this.party(alias);
  const me = this.expectSuccess(await party.administrator.fsm.whoAmI(), 'Asking who is signed in');
  assert.deepEqual({ party: me.partyName, roles: [...me.roles].sort() }, { party: party.onboarded.party.name, roles: [...roles].sort() });
});
