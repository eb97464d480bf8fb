/**
 * Signing in and the person's credentials (IAM-01..05, UEPT-FSM-01, -04): the platform's own login
 * and its prompts, DCC Identity's tenants, a forgotten password, a change of MFA method. Each task
 * over the API (via-api.ts) and on the portal (in-portal.ts), joined here; the sign-ins a scenario
 * makes, which note what they were asked.
 */
import type { PromptAnswerer } from '../../../clients/login-answers';
import { harnessMessage } from '../../../clients/messages';
import { CallTheApi } from '../abilities/call-the-api';
import type { FsmWorld } from '../../support/world';
import type { Actor } from '../actor';
import { tasksOf } from '../modes';
import { identityInPortal } from './in-portal';
import { identityViaApi } from './via-api';

export type { PromptAnswerer };

/** Who the platform says is signed in. */
export interface SignedInAs {
  username: string;
  partyName: string;
  roles: string[];
  mfaMethod: string | null;
  /** How the session was authenticated (pwd, mfa, otp, email). */
  amr: string[];
}

export interface IdentitySignIn {
  prompts: string[];
  /** Claims of the ID token the identity provider issued. */
  idClaims: Record<string, unknown>;
}

export const Identity = tasksOf(identityViaApi, identityInPortal);

/** What a scenario knows of its sign-ins: what the last one (or the last MFA change) asked, in order; the last ID token's claims. */
export class SignInNotes {
  prompts: string[] = [];
  idClaims: Record<string, unknown> = {};
}

/** The first sign-in: the one-time password, then whatever the platform asks (a new password...). */
export async function signInFirstTime(world: FsmWorld, actor: Actor): Promise<string[]> {
  return signIn(world, actor, `Signing in ${actor.name} for the first time`);
}

/**
 * A precondition: the person has signed in. Signing in for a token (API mode, as on a real platform)
 * by the target's way (OAuth, or DCC Identity); otherwise by their first interactive sign-in.
 */
export async function haveSignedIn(world: FsmWorld, actor: Actor): Promise<void> {
  if (!world.signsInForToken) return void (await signInFirstTime(world, actor));
  if (!(actor.ability instanceof CallTheApi)) throw new Error(harnessMessage('Signing in for a token is for the API mode.'));
  const outcome = await actor.ability.signInForToken({ username: actor.username, password: actor.password, answer: actor.answerPrompt });
  if (!outcome.ok) throw new Error(`Signing in ${actor.name} for a token was refused: HTTP ${outcome.status}: ${outcome.message}`);
}

/** Signs in again in a new session, as on any later day: password, then whatever the platform asks now. */
export async function signInAgain(world: FsmWorld, actor: Actor): Promise<string[]> {
  actor.ability = world.newSession();
  return signIn(world, actor, `Signing in ${actor.name} again`);
}

/** Signs in through a DCC Identity tenant (IAM-03), noting the prompts and the ID token's claims. */
export async function signInThroughIdentity(world: FsmWorld, actor: Actor, tenant: string): Promise<void> {
  const signedIn = world.expectSuccess(
    await Identity.logInThroughIdentity(actor, tenant, actor.username, actor.password, actor.answerPrompt),
    'Signing in through DCC Identity',
  );
  Object.assign(world.notes.of(SignInNotes), signedIn);
}

/** Changes the actor's second method to `method`, proving the current one first. */
export async function changeMfaMethod(world: FsmWorld, actor: Actor, method: 'totp' | 'email'): Promise<void> {
  actor.mfaMethod = method;
  world.notes.of(SignInNotes).prompts = world.expectSuccess(
    await Identity.changeMfaMethod(actor, actor.answerPrompt),
    'Changing the second method',
  ).prompts;
}

/** Tries to sign in from a fresh session (the actor's own stays as it was): the platform's answer, for a Then step to judge. */
export async function attemptSignIn(world: FsmWorld, actor: Actor, password = actor.password, answer: PromptAnswerer = actor.answerPrompt) {
  return Identity.logIn(world.newSession(), actor.username, password, answer);
}

async function signIn(world: FsmWorld, actor: Actor, action: string): Promise<string[]> {
  const signedIn = world.expectSuccess(await Identity.logIn(actor, actor.username, actor.password, actor.answerPrompt), action);
  world.notes.of(SignInNotes).prompts = signedIn.prompts;
  return signedIn.prompts;
}
