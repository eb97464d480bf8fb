/**
 * Tasks about codes by email (IAM-04): signing in while asking for a new code, and what the platform
 * mailed since a person last read their email: the new messages in their inbox, and every delivery
 * the email gateway made to anyone (POST /__sim/mailbox in the platform's request journal).
 */
import { codeInMail } from '../../../clients/login-answers';
import type { FsmWorld } from '../../support/world';
import type { Outcome, PromptAnswerer } from '../abilities/use-fsm';
import type { Actor } from '../actor';

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

/** The actor has read their email: what arrives from now on is new. */
export async function readAllMail(world: FsmWorld, actor: Actor): Promise<MailMark> {
  const [last] = await world.control.journal({ limit: 1 });
  return { actor, journalId: last?.id ?? 0, seen: (await actor.inbox.read()).map((m) => m.id) };
}

export async function mailSince(world: FsmWorld, mark: MailMark): Promise<MailSince> {
  const fresh = (await mark.actor.inbox.read()).filter((m) => !mark.seen.includes(m.id));
  const journal = await world.control.journal({ since: mark.journalId });
  return {
    toActor: fresh.map((m) => ({ to: m.to, code: codeOrNothing(m.subject, m.text) })),
    deliveries: journal.filter((e) => e.method === 'POST' && e.path === '/__sim/mailbox').length,
  };
}

/**
 * Signs in again; at the code prompt asks for a new code, then enters the code that came first (which
 * the platform must refuse) or the new one. The outcome is the platform's answer to that code.
 */
export async function signInAskingForNewCode(world: FsmWorld, actor: Actor, enter: 'first' | 'new'): Promise<Outcome<{ prompts: string[] }>> {
  actor.fsm = world.newFsmAbility();
  let first: string | undefined;
  const answer: PromptAnswerer = async (prompt) => {
    if (prompt.name !== 'mfa_verify') return actor.answerPrompt(prompt);
    if (first === undefined) {
      first = await actor.readEmailCode();
      return { action: 'resend' };
    }
    return { code: enter === 'first' ? first : await actor.readEmailCode() };
  };
  return actor.fsm.logIn(actor.username, actor.password, answer);
}

function codeOrNothing(subject: string, text: string): string | undefined {
  try {
    return codeInMail(subject, text);
  } catch {
    return undefined;
  }
}
