import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { mailSince, readAllMail, signInAskingForNewCode } from './screenplay/tasks/email-codes';
import type { FsmWorld } from './support/world';

Given('the administrator of {string} has read all their email so far', async function (this: FsmWorld, alias: string) {
  this.mailMark = await readAllMail(this, this.administratorOf(alias));
});

When('the administrator of {string} asks for a new code while signing in, then enters the {whichCode} code', async function (this: FsmWorld, alias: string, which: 'first' | 'new') {
  const outcome = await signInAskingForNewCode(this, this.administratorOf(alias), which);
  if (outcome.ok) this.lastPrompts = outcome.value.prompts;
  this.remember(outcome, `Signing in with the ${which} code after asking for a new one`);
});

Then('the administrator of {string} has {int} new email(s) with a code, at the address DCC recorded when onboarding them', async function (this: FsmWorld, alias: string, count: number) {
  const { username: recorded } = this.party(alias).onboarded.administrator;
  const { toActor } = await mailSince(this, this.mailSeen(this.administratorOf(alias)));
  const codes = toActor.map((m) => m.code).filter((c) => c !== undefined);
  assert.deepEqual({ to: toActor.map((m) => m.to), distinctCodes: new Set(codes).size }, { to: Array<string>(count).fill(recorded), distinctCodes: count });
});

Then('the newest holds the code they signed in with', async function (this: FsmWorld) {
  const actor = this.lastActor();
  const [newest] = (await mailSince(this, this.mailSeen(actor))).toActor;
  assert.ok(actor.lastEmailCode, `${actor.name} entered no emailed code`);
  assert.equal(newest?.code, actor.lastEmailCode);
});

Then('the platform sent no other email', async function (this: FsmWorld) {
  const { toActor, deliveries } = await mailSince(this, this.mailSeen());
  assert.equal(deliveries, toActor.length, `The email gateway delivered ${deliveries} messages, ${toActor.length} of them to ${this.mailSeen().actor.name}`);
});

Given('codes by text message are switched off on the platform, as they are by default', function (this: FsmWorld) {
  const config = this.simulatorConfig;
  if (!config) return this.log('The platform\'s settings are not visible on this target: the offered methods below are the evidence.');
  assert.equal(config.mfa.smsEnabled, false, '[fsm-harness] This scenario proves the default, and the simulator runs with mfa.smsEnabled on. Start it without that setting.');
});

Then('the only second methods they were offered were an authenticator app and codes by email', function (this: FsmWorld) {
  assert.deepEqual(this.lastActor().methodsOffered, ['totp', 'email']);
});
