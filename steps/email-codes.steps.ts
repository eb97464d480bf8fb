import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { mailSince, readAllMail, signInAskingForNewCode } from './screenplay/identity/mail';
import { assumeSetting } from './support/settings';
import type { FsmWorld } from './support/world';

Given('the administrator of {string} has read all their email so far', async function (this: FsmWorld, alias: string) {
  await readAllMail(this, this.administratorOf(alias));
});

When(
  'the administrator of {string} asks for a new code while signing in, then enters the {whichCode} code',
  async function (this: FsmWorld, alias: string, which: 'first' | 'new') {
    this.remember(
      await signInAskingForNewCode(this, this.administratorOf(alias), which),
      `Signing in with the ${which} code after asking for a new one`,
    );
  },
);

Then(
  'the administrator of {string} has {int} new email(s) with a code, at the address DCC recorded when onboarding them',
  async function (this: FsmWorld, alias: string, count: number) {
    const { username: recorded } = this.party(alias).onboarded.administrator;
    const { toActor } = await mailSince(this, this.administratorOf(alias));
    const codes = toActor.map((m) => m.code).filter((c) => c !== undefined);
    assert.deepEqual(
      { to: toActor.map((m) => m.to), distinctCodes: new Set(codes).size },
      { to: Array<string>(count).fill(recorded), distinctCodes: count },
    );
  },
);

Then('the newest holds the code they signed in with', async function (this: FsmWorld) {
  const actor = this.lastActor();
  const [newest] = (await mailSince(this, actor)).toActor;
  assert.ok(actor.lastEmailCode, `${actor.name} entered no emailed code`);
  assert.equal(newest?.code, actor.lastEmailCode);
});

Then('the platform sent no other email', async function (this: FsmWorld) {
  const { toActor, deliveries, actor } = await mailSince(this);
  assert.equal(
    deliveries,
    toActor.length,
    `The email gateway delivered ${deliveries} messages, ${toActor.length} of them to ${actor.name}`,
  );
});

Given('codes by text message are switched off on the platform, as they are by default', function (this: FsmWorld) {
  assumeSetting(this, 'mfa.smsEnabled', (config) => config.mfa.smsEnabled, false);
});

Then('the only second methods they were offered were an authenticator app and codes by email', function (this: FsmWorld) {
  assert.deepEqual(this.lastActor().methodsOffered, ['totp', 'email']);
});
