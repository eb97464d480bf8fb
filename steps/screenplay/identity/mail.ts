/**
 * Codes by email (IAM-04): signing in while asking for a new code, and what the platform mailed since
 * a person last read their email: the new messages in their inbox, and every delivery the email
 * gateway made to anyone (POST /__sim/mailbox in the platform's request journal).
 */
import { codeInMail, oneTimePasswordIn, type PromptAnswerer } from '../../../clients/login-answers';
import { harnessMessage } from '../../../clients/messages';
import type { FsmWorld } from '../../support/world';
import type { Actor } from '../actor';
import { noted } from '../notes';
import type { Outcome } from '../outcome';
import { Identity, SignInNotes } from './tasks';

export interface MailMark {
  actor: Actor;
  /** The last request in the platform's journal when the actor read their email. */
  journalId: number;
  /** The ids of the messages the actor had then. */
  seen: string[];
}

export interface MailSince {
  /** Messages that reached the actor since, newest first: the address and the code in each. */
  toActor: { to: string; code: string | undefined }[];
  /** Messages the email gateway delivered since, to anyone. */
  deliveries: number;
}

/** Where the mail stood when a step said an actor had read theirs. */
export class MailNotes {
  mark: MailMark | undefined;
}

/** The actor has read their email: what arrives from now on is new. */
export async function readAllMail(world: FsmWorld, actor: Actor): Promise<void> {
  const [last] = await world.control.journal({ limit: 1 });
  world.notes.of(MailNotes).mark = { actor, journalId: last?.id ?? 0, seen: (await actor.inbox.read()).map((m) => m.id) };
}

/** What the platform mailed since `actor` (if named; anyone else is an error) last read their email. */
export async function mailSince(world: FsmWorld, actor?: Actor): Promise<MailSince & { actor: Actor }> {
  const mark = noted(world.notes.of(MailNotes).mark, 'No step said whose email had been read, so "new email" means nothing yet.');
  if (actor && mark.actor !== actor)
    throw new Error(harnessMessage(`The step said ${mark.actor.name} had read their email, not ${actor.name}.`));
  const fresh = (await mark.actor.inbox.read()).filter((m) => !mark.seen.includes(m.id));
  const journal = await world.control.journal({ since: mark.journalId });
  return {
    actor: mark.actor,
    toActor: fresh.map((m) => ({ to: m.to, code: codeOrNothing(m.subject, m.text) })),
    deliveries: journal.filter((e) => e.method === 'POST' && e.path === '/__sim/mailbox').length,
  };
}

/**
 * Signs in again; at the code prompt asks for a new code, then enters the code that came first (which
 * the platform must refuse) or the new one. The outcome is the platform's answer to that code.
 */
export async function signInAskingForNewCode(
  world: FsmWorld,
  actor: Actor,
  enter: 'first' | 'new',
): Promise<Outcome<{ prompts: string[] }>> {
  actor.ability = world.newSession();
  let first: string | undefined;
  const answer: PromptAnswerer = async (prompt) => {
    if (prompt.name !== 'mfa_verify') return actor.answerPrompt(prompt);
    if (first === undefined) {
      first = await actor.readEmailCode();
      return { action: 'resend' };
    }
    return { code: enter === 'first' ? first : await actor.readEmailCode() };
  };
  const outcome = await Identity.logIn(actor, actor.username, actor.password, answer);
  if (outcome.ok) world.notes.of(SignInNotes).prompts = outcome.value.prompts;
  return outcome;
}

/** A new user's first sign-in, with the one-time password their welcome email gave them. */
export async function signInWithEmailedPassword(world: FsmWorld, actor: Actor): Promise<void> {
  const otp = oneTimePasswordIn((await actor.inbox.read()).map((m) => m.text));
  if (!otp) throw new Error(harnessMessage(`No one-time password in the mail of ${actor.name}.`));
  actor.password = otp;
  world.expectSuccess(await Identity.logIn(actor, actor.username, otp, actor.answerPrompt), `Signing in ${actor.name} for the first time`);
}

function codeOrNothing(subject: string, text: string): string | undefined {
  try {
    return codeInMail(subject, text);
  } catch {
    return undefined;
  }
}
