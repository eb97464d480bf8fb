import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { haveSignedIn, Identity, signInFirstTime, SignInNotes } from './screenplay/identity/tasks';
import { onboardParty } from './screenplay/users/parties';
import type { FsmWorld } from './support/world';

Given('DCC has onboarded the party {string}', async function (this: FsmWorld, alias: string) {
  await onboardParty(this, alias);
});

When('the administrator of {string} signs in for the first time', async function (this: FsmWorld, alias: string) {
  await signInFirstTime(this, this.administratorOf(alias));
});

Given('the administrator of {string} has signed in for the first time', async function (this: FsmWorld, alias: string) {
  await haveSignedIn(this, this.administratorOf(alias));
});

Then('they were asked to choose their own password before anything else', function (this: FsmWorld) {
  const [first] = this.notes.of(SignInNotes).prompts;
  assert.equal(first, 'password_change', `The first prompt was ${first ?? 'none'}`);
});

Then('they are signed in to {string} with the roles {listOfWords}', async function (this: FsmWorld, alias: string, roles: string[]) {
  const party = this.party(alias);
  const me = this.expectSuccess(await Identity.whoAmI(party.administrator), 'Asking who is signed in');
  assert.deepEqual({ party: me.partyName, roles: [...me.roles].sort() }, { party: party.onboarded.party.name, roles: [...roles].sort() });
});
