/**
 * OMS set-up steps: the platform's date (forecasts, orders and deliveries run by the month and its
 * cut-offs), the roles an administrator gives themselves, and the OMS accounts a Region may have.
 */
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { signInAgain } from './screenplay/identity/tasks';
import { addressFor, Users } from './screenplay/users/tasks';
import type { FsmWorld } from './support/world';

/** Moves the platform's one clock; people who were signed in come back and sign in again. */
Given('it is {word} on the platform', async function (this: FsmWorld, date: string) {
  await this.control.changeClock({ set: `${date}T10:00:00Z` });
  for (const party of this.parties.values()) if (party.administrator.app.enrolled) await signInAgain(this, party.administrator);
});

Given(
  'the administrator of {string} gives themselves the roles {listOfWords} in the {word} Region',
  async function (this: FsmWorld, alias: string, roles: string[], region: string) {
    this.expectSuccess(
      await Users.change(this.administratorOf(alias), this.administratorSysId(alias), { roles, region }),
      'Changing their own roles',
    );
  },
);

When(
  'the administrator of {string} creates {int} more OMS accounts in the {word} Region',
  async function (this: FsmWorld, alias: string, count: number, region: string) {
    const admin = this.administratorOf(alias);
    for (let i = 1; i <= count; i++)
      this.expectSuccess(
        await Users.create(admin, { email: addressFor(this, admin, `oms${i}`), name: `OMS ${i}`, roles: ['OMS_ORDERING'], region }),
        `Creating OMS account ${i}`,
      );
  },
);

Then('a fifth OMS account in the {word} Region is refused', async function (this: FsmWorld, region: string) {
  const admin = this.lastActor();
  const outcome = await Users.create(admin, { email: addressFor(this, admin, 'oms5'), name: 'OMS 5', roles: ['OMS_RETURNS'], region });
  assert.ok(
    !outcome.ok && outcome.status === 409 && outcome.message.includes(`OMS accounts in the ${region} Region`),
    JSON.stringify(outcome),
  );
});
