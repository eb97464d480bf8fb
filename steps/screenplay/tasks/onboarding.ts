/** Tasks of getting a party onto the platform: DCC onboards it; its administrator signs in. */
import type { OnboardedParty, PartyRequest } from '../../../clients/sim-control';
import { realTime } from '../../../clients/authenticator';
import { buildParty } from '../../../fixtures/parties';

export type PartyOverrides = Partial<Pick<PartyRequest, 'gatewayConnected' | 'internetRegistered' | 'internetCidrs'>> & { identityPath?: 'entra' | 'local' };
import type { FsmWorld, PartyMemory } from '../../support/world';
import { Actor } from '../actor';

/** DCC onboards a party (ACC-01) and hands its administrator a one-time password. */
export async function onboardParty(world: FsmWorld, alias: string, overrides: PartyOverrides = {}): Promise<PartyMemory> {
  if (world.parties.has(alias)) throw new Error(`[fsm-harness] The party "${alias}" is already onboarded in this scenario.`);
  const given = world.targetCredentials(alias);
  if (given && Object.keys(overrides).length === 0) return onboardedByDcc(world, alias, given);
  const built = buildParty(world.faker, `${world.tag}${world.parties.size}`);
  const { identityPath, ...access } = overrides;
  const request = { ...built, ...access, administrator: { ...built.administrator, ...(identityPath ? { identityPath } : {}) } };
  world.logFixture(`party "${alias}"`, request);
  const onboarded = await world.control.onboardParty(request);
  const { username, oneTimePassword } = onboarded.administrator;
  const control = world.control;
  const inbox = { read: () => control.mailbox(username) };
  const administrator = new Actor(`the administrator of "${alias}"`, username, oneTimePassword, world.newFsmAbility(), world.faker, inbox, control.timeSource());
  const party = { alias, onboarded, administrator };
  world.parties.set(alias, party);
  return party;
}

/** The first sign-in: the one-time password, then whatever the platform asks (a new password...). */
export async function signInFirstTime(world: FsmWorld, actor: Actor): Promise<string[]> {
  const outcome = await actor.fsm.logIn(actor.username, actor.password, actor.answerPrompt);
  return world.expectSuccess(outcome, `Signing in ${actor.name} for the first time`).prompts;
}

/** Signs in again, as on any later day: password, then whatever the platform asks now. */
export async function signInAgain(world: FsmWorld, actor: Actor): Promise<string[]> {
  actor.fsm = world.newFsmAbility();
  const outcome = await actor.fsm.logIn(actor.username, actor.password, actor.answerPrompt);
  return world.expectSuccess(outcome, `Signing in ${actor.name} again`).prompts;
}

/**
 * On a real environment DCC has onboarded the party already: its administrator's credentials come
 * from the target file, with the key of their authenticator app if they enrolled one.
 */
function onboardedByDcc(world: FsmWorld, alias: string, given: { username: string; password: string; totpSecret?: string }): PartyMemory {
  const inbox = { read: () => world.control.mailbox(given.username) };
  const administrator = new Actor(`the administrator of "${alias}"`, given.username, given.password, world.newFsmAbility(), world.faker, inbox, realTime);
  if (given.totpSecret) administrator.app.add(given.totpSecret);
  const onboarded: OnboardedParty = {
    party: { id: '', name: alias, userRoles: [], userIds: [], regions: [], gatewayConnected: true },
    administrator: { sysId: '', username: given.username, oneTimePassword: given.password, expiresAt: '', roles: [] },
  };
  const party = { alias, onboarded, administrator };
  world.parties.set(alias, party);
  return party;
}
