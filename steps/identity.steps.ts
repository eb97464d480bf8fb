import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import {
  attemptSignIn,
  changeMfaMethod,
  Identity,
  signInAgain,
  signInFirstTime,
  SignInNotes,
  signInThroughIdentity,
} from './screenplay/identity/tasks';
import { onboardParty } from './screenplay/users/parties';
import type { FsmWorld } from './support/world';

Given(
  'DCC has onboarded the party {string} whose administrator signs in through DCC Identity',
  async function (this: FsmWorld, alias: string) {
    await onboardParty(this, alias, { identityPath: 'entra', gatewayConnected: true });
  },
);

Given(
  'DCC has onboarded the party {string} registered for internet access from {cidr}',
  async function (this: FsmWorld, alias: string, cidr: string) {
    await onboardParty(this, alias, { gatewayConnected: false, internetRegistered: true, internetCidrs: [cidr] });
  },
);

Given('DCC has onboarded the party {string} connected to the DCC Gateway', async function (this: FsmWorld, alias: string) {
  await onboardParty(this, alias, { gatewayConnected: true });
});

When('the administrator of {string} signs in for the first time with an authenticator app', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  admin.mfaMethod = 'totp';
  await signInFirstTime(this, admin);
});

When('the administrator of {string} signs in for the first time with codes by email', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  admin.mfaMethod = 'email';
  await signInFirstTime(this, admin);
});

When('the administrator of {string} signs in again', async function (this: FsmWorld, alias: string) {
  await signInAgain(this, this.administratorOf(alias));
});

Then('the sign-in asked, in order, for: {prompts}', function (this: FsmWorld, prompts: string[]) {
  assert.deepEqual(this.notes.of(SignInNotes).prompts, prompts);
});

Then('the change asked, in order, for: {prompts}', function (this: FsmWorld, prompts: string[]) {
  assert.deepEqual(this.notes.of(SignInNotes).prompts, prompts);
});

Then('they are signed in with MFA by {mfaMethod}', async function (this: FsmWorld, amrMethod: string) {
  const me = this.expectSuccess(await Identity.whoAmI(this.lastActor()), 'Asking who is signed in');
  assert.deepEqual(me.amr, ['pwd', 'mfa', amrMethod]);
});

When('the administrator of {string} changes their second method to codes by email', async function (this: FsmWorld, alias: string) {
  await changeMfaMethod(this, this.administratorOf(alias), 'email');
});

When('the administrator of {string} resets a forgotten password with a code sent by email', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  this.expectSuccess(
    await Identity.resetForgottenPassword(this.newSession(), admin.username, () => admin.readEmailCode(), admin.choosePassword()),
    'Resetting the password',
  );
});

Then('the administrator of {string} can no longer sign in with their former password', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  const outcome = await attemptSignIn(this, admin, admin.formerPassword ?? assert.fail(`${admin.name} never changed their password`));
  assert.deepEqual(outcome.ok ? 'signed in' : outcome.status, 401);
});

Then('the administrator of {string} can sign in again with the new password and a code', async function (this: FsmWorld, alias: string) {
  assert.deepEqual(await signInAgain(this, this.administratorOf(alias)), ['mfa_verify']);
});

When(
  'the administrator of {string} enters a wrong code {int} times while signing in',
  async function (this: FsmWorld, alias: string, times: number) {
    const admin = this.administratorOf(alias);
    const wrongCode = async () => ({ code: (Number(await admin.app.codeAt(0)) + 500_000).toString().slice(-6).padStart(6, '0') });
    for (let i = 0; i < times; i++)
      this.remember(await attemptSignIn(this, admin, admin.password, wrongCode), `Signing in with a wrong code (${i + 1})`);
  },
);

Then('they are told only that they are not authenticated', async function (this: FsmWorld) {
  const refusal = this.takeRefusal();
  assert.deepEqual(
    refusal,
    await Identity.logIn(this.newSession(), `nobody-${this.tag}@nowhere.example`, 'Any-Password-1!', async () => ({})),
  );
});

Then('the right password does not let the administrator of {string} in while locked', async function (this: FsmWorld, alias: string) {
  const outcome = await attemptSignIn(this, this.administratorOf(alias));
  assert.deepEqual(outcome.ok ? 'signed in' : outcome.status, 401);
});

When('{int} minutes pass on the platform', async function (this: FsmWorld, minutes: number) {
  await this.control.changeClock({ advance: `PT${minutes}M` });
});

Given('time stands still on the platform', async function (this: FsmWorld) {
  await this.control.changeClock({ freeze: true });
});

Then('the administrator of {string} can sign in again with their password and a code', async function (this: FsmWorld, alias: string) {
  assert.deepEqual(await signInAgain(this, this.administratorOf(alias)), ['mfa_verify']);
});

When('the administrator of {string} signs in with the code they used last time', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  const sameCode = async (prompt: { data?: Record<string, string> }) => ({
    code:
      prompt.data?.method === 'email'
        ? (admin.lastEmailCode ?? assert.fail(`${admin.name} has entered no emailed code yet`))
        : await admin.app.codeAt(0),
  });
  this.remember(await attemptSignIn(this, admin, admin.password, sameCode), 'Signing in with a used code');
});

Then('they are told {string}', function (this: FsmWorld, text: string) {
  const refusal = this.takeRefusal();
  assert.ok(refusal.message.includes(text), `The platform said: ${refusal.message}`);
});

When('the administrator of {string} signs in over the internet from {ipv4}', async function (this: FsmWorld, alias: string, ip: string) {
  const admin = this.administratorOf(alias);
  admin.ability = this.newSession({ internetFrom: ip });
  this.remember(await Identity.logIn(admin, admin.username, admin.password, admin.answerPrompt), `Signing in over the internet from ${ip}`);
});

When(
  'the administrator of {string} signs in through the {tenant} tenant of DCC Identity for the first time',
  async function (this: FsmWorld, alias: string, tenant: string) {
    await signInThroughIdentity(this, this.administratorOf(alias), tenant);
  },
);

Then(
  'their ID token comes from the {tenant} tenant and says they used MFA by {mfaMethod}',
  function (this: FsmWorld, tenant: string, amrMethod: string) {
    const { iss, amr } = this.notes.of(SignInNotes).idClaims;
    assert.deepEqual({ iss, amr }, { iss: this.idpIssuer(tenant), amr: ['pwd', 'mfa', amrMethod] });
  },
);

When("the administrator of {string} tries the platform's own login", async function (this: FsmWorld, alias: string) {
  this.remember(await attemptSignIn(this, this.administratorOf(alias)), "Using the platform's own login");
});
