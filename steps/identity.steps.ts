import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { onboardParty, signInAgain, signInFirstTime } from './screenplay/tasks/onboarding';
import type { FsmWorld } from './support/world';

Given('DCC has onboarded the party {string} whose administrator signs in through DCC Identity', async function (this: FsmWorld, alias: string) {
  await onboardParty(this, alias, { identityPath: 'entra', gatewayConnected: true });
});

Given('DCC has onboarded the party {string} registered for internet access from {cidr}', async function (this: FsmWorld, alias: string, cidr: string) {
  await onboardParty(this, alias, { gatewayConnected: false, internetRegistered: true, internetCidrs: [cidr] });
});

Given('DCC has onboarded the party {string} connected to the DCC Gateway', async function (this: FsmWorld, alias: string) {
  await onboardParty(this, alias, { gatewayConnected: true });
});

When('the administrator of {string} signs in for the first time with an authenticator app', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  admin.mfaMethod = 'totp';
  this.lastPrompts = await signInFirstTime(this, admin);
});

When('the administrator of {string} signs in for the first time with codes by email', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  admin.mfaMethod = 'email';
  this.lastPrompts = await signInFirstTime(this, admin);
});

When('the administrator of {string} signs in again', async function (this: FsmWorld, alias: string) {
  this.lastPrompts = await signInAgain(this, this.administratorOf(alias));
});

Then('the sign-in asked, in order, for: {prompts}', function (this: FsmWorld, prompts: string[]) {
  assert.deepEqual(this.lastPrompts, prompts);
});

Then('the change asked, in order, for: {prompts}', function (this: FsmWorld, prompts: string[]) {
  assert.deepEqual(this.lastPrompts, prompts);
});

Then('they are signed in with MFA by {mfaMethod}', async function (this: FsmWorld, amrMethod: string) {
  const me = this.expectSuccess(await this.lastActor().fsm.whoAmI(), 'Asking who is signed in');
  assert.deepEqual(me.amr, ['pwd', 'mfa', amrMethod]);
});

When('the administrator of {string} changes their second method to codes by email', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  admin.mfaMethod = 'email';
  this.lastPrompts = this.expectSuccess(await admin.fsm.changeMfaMethod(admin.answerPrompt), 'Changing the second method').prompts;
});

When('the administrator of {string} resets a forgotten password with a code sent by email', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  const outcome = await this.newFsmAbility().resetForgottenPassword(admin.username, () => admin.readEmailCode(), admin.choosePassword());
  this.expectSuccess(outcome, 'Resetting the password');
});

Then('the administrator of {string} can no longer sign in with their former password', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  assert.ok(admin.formerPassword, `${admin.name} never changed their password`);
  const outcome = await this.newFsmAbility().logIn(admin.username, admin.formerPassword, admin.answerPrompt);
  assert.deepEqual(outcome.ok ? 'signed in' : outcome.status, 401);
});

Then('the administrator of {string} can sign in again with the new password and a code', async function (this: FsmWorld, alias: string) {
  assert.deepEqual(await signInAgain(this, this.administratorOf(alias)), ['mfa_verify']);
});

When('the administrator of {string} enters a wrong code {int} times while signing in', async function (this: FsmWorld, alias: string, times: number) {
  const admin = this.administratorOf(alias);
  const wrongCode = async () => ({ code: (Number(await admin.app.codeAt(0)) + 500_000).toString().slice(-6).padStart(6, '0') });
  for (let i = 0; i < times; i++) this.remember(await this.newFsmAbility().logIn(admin.username, admin.password, wrongCode), `Signing in with a wrong code (${i + 1})`);
});

Then('they are told only that they are not authenticated', async function (this: FsmWorld) {
  const refusal = this.takeRefusal();
  const stranger = await this.newFsmAbility().logIn(`nobody-${this.tag}@nowhere.example`, 'Any-Password-1!', async () => ({}));
  assert.deepEqual(refusal, stranger);
});

Then('the right password does not let the administrator of {string} in while locked', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  const outcome = await this.newFsmAbility().logIn(admin.username, admin.password, admin.answerPrompt);
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
  const emailed = () => admin.lastEmailCode ?? assert.fail(`${admin.name} has entered no emailed code yet`);
  const sameCode = async (prompt: { data?: Record<string, string> }) => ({ code: prompt.data?.method === 'email' ? emailed() : await admin.app.codeAt(0) });
  this.remember(await this.newFsmAbility().logIn(admin.username, admin.password, sameCode), 'Signing in with a used code');
});

Then('they are told {string}', function (this: FsmWorld, text: string) {
  const refusal = this.takeRefusal();
  assert.ok(refusal.message.includes(text), `The platform said: ${refusal.message}`);
});

When('the administrator of {string} signs in over the internet from {ipv4}', async function (this: FsmWorld, alias: string, ip: string) {
  const admin = this.administratorOf(alias);
  admin.fsm = this.newFsmAbility({ internetFrom: ip });
  this.remember(await admin.fsm.logIn(admin.username, admin.password, admin.answerPrompt), `Signing in over the internet from ${ip}`);
});

When('the administrator of {string} signs in through the {tenant} tenant of DCC Identity for the first time', async function (this: FsmWorld, alias: string, tenant: string) {
  const admin = this.administratorOf(alias);
  const signedIn = this.expectSuccess(await admin.fsm.logInThroughIdentity(tenant, admin.username, admin.password, admin.answerPrompt), 'Signing in through DCC Identity');
  this.lastPrompts = signedIn.prompts;
  this.lastIdClaims = signedIn.idClaims;
});

Then('their ID token comes from the {tenant} tenant and says they used MFA by {mfaMethod}', function (this: FsmWorld, tenant: string, amrMethod: string) {
  const { iss, amr } = this.lastIdClaims;
  assert.deepEqual({ iss, amr }, { iss: this.idpIssuer(tenant), amr: ['pwd', 'mfa', amrMethod] });
});

When('the administrator of {string} tries the platform\'s own login', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  this.remember(await this.newFsmAbility().logIn(admin.username, admin.password, admin.answerPrompt), 'Using the platform\'s own login');
});
