import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import { signInWithEmailedPassword } from './screenplay/identity/mail';
import { attemptSignIn } from './screenplay/identity/tasks';
import { Incidents } from './screenplay/incidents/tasks';
import { createUser, Users } from './screenplay/users/tasks';
import type { FsmWorld } from './support/world';

When(
  'the administrator of {string} creates the user {string} with the roles {listOfWords}',
  async function (this: FsmWorld, alias: string, name: string, roles: string[]) {
    await createUser(this, this.administratorOf(alias), name, roles);
  },
);

Then('{string} signs in for the first time with the one-time password sent by email', async function (this: FsmWorld, name: string) {
  await signInWithEmailedPassword(this, this.user(name).actor);
});

Then('{string} can raise an incident', async function (this: FsmWorld, name: string) {
  const outcome = await Incidents.raise(this.user(name).actor, {
    short_description: 'Raised by a new user',
    description: '',
    category: 'inquiry',
    impact: '3',
    urgency: '3',
  });
  assert.deepEqual(outcome.ok ? 'raised' : outcome.message, 'raised');
});

Then('{string} can no longer raise an incident', async function (this: FsmWorld, name: string) {
  const outcome = await Incidents.raise(this.user(name).actor, {
    short_description: 'Raised after a role change',
    description: '',
    category: 'inquiry',
    impact: '3',
    urgency: '3',
  });
  assert.deepEqual(outcome.ok ? 'raised' : outcome.status, 403);
});

When(
  'the administrator of {string} gives {string} the roles {listOfWords}',
  async function (this: FsmWorld, alias: string, name: string, roles: string[]) {
    this.expectSuccess(await Users.change(this.administratorOf(alias), this.user(name).sysId, { roles }), `Changing the roles of ${name}`);
  },
);

When('the administrator of {string} deactivates {string}', async function (this: FsmWorld, alias: string, name: string) {
  this.expectSuccess(await Users.change(this.administratorOf(alias), this.user(name).sysId, { active: false }), `Deactivating ${name}`);
});

Then('{string} can no longer sign in', async function (this: FsmWorld, name: string) {
  const outcome = await attemptSignIn(this, this.user(name).actor);
  // The API prefixes its error title ("User Not Authenticated: "); the sign-in page says only what to do.
  const said = outcome.ok ? 'signed in' : { status: outcome.status, message: outcome.message.replace(/^User Not Authenticated: /, '') };
  assert.deepEqual(said, { status: 401, message: 'Your account is not active. Ask your organisation administrator to reinstate it.' });
});

When('the administrator of {string} tries to deactivate their own account', async function (this: FsmWorld, alias: string) {
  const own = this.administratorSysId(alias);
  this.remember(await Users.change(this.administratorOf(alias), own, { active: false }), 'Deactivating the last administrator');
});

When(
  'the administrator of {string} tries to deactivate the administrator of {string}',
  async function (this: FsmWorld, alias: string, other: string) {
    const target = this.administratorSysId(other);
    this.remember(await Users.change(this.administratorOf(alias), target, { active: false }), "Deactivating another party's administrator");
  },
);
