/** Tasks of user administration: an administrator creates a user; the user signs in with the emailed one-time password. */
import { oneTimePasswordIn } from '../../../clients/login-answers';
import type { FsmWorld } from '../../support/world';
import { Actor } from '../actor';

export async function createUser(world: FsmWorld, admin: Actor, name: string, roles: string[]): Promise<void> {
  const domain = admin.username.split('@')[1] ?? 'example.com';
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${world.tag}@${domain}`;
  const created = world.expectSuccess(await admin.fsm.createUser({ email, name, roles }), `Creating the user ${name}`);
  const control = world.control;
  const actor = new Actor(`"${name}"`, email, '', world.newFsmAbility(), world.faker, { read: () => control.mailbox(email) }, control.timeSource());
  world.users.set(name, { actor, sysId: created.sysId });
}

export async function signInWithEmailedPassword(world: FsmWorld, actor: Actor): Promise<string[]> {
  const mail = await actor.inbox.read();
  const otp = oneTimePasswordIn(mail.map((m) => m.text));
  if (!otp) throw new Error(`[fsm-harness] No one-time password in the mail of ${actor.name}.`);
  actor.password = otp;
  const outcome = await actor.fsm.logIn(actor.username, otp, actor.answerPrompt);
  return world.expectSuccess(outcome, `Signing in ${actor.name} for the first time`).prompts;
}
