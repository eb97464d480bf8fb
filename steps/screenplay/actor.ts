/**
 * An actor: a person at a party (or at DCC) with the ability to use the platform (a session, through
 * the API or the portal: the tasks of each capability serve both), an authenticator app and an inbox,
 * and a memory of what they know: their password and the incidents they raised. Created per scenario
 * by the World; answers login prompts as a careful person would.
 */
import type { Faker } from '@faker-js/faker';
import { AuthenticatorApp, type TimeSource } from '../../clients/authenticator';
import type { LoginPrompt } from '../../clients/fsm-api';
import { answerPrompt, codeInMail, type Person } from '../../clients/login-answers';
import { harnessMessage } from '../../clients/messages';
import type { MailMessage } from '../../clients/sim-control';
import { buildPassword } from '../../fixtures/parties';
import type { IncidentSummary } from './incidents/tasks';
import type { Ability } from './modes';

export interface Inbox {
  /** Mail to this actor, newest first. */
  read(): Promise<MailMessage[]>;
}

export class Actor implements Person {
  password: string;
  /** A password the actor held once and that must no longer work (the one-time password, say). */
  formerPassword: string | undefined;
  mfaMethod: 'totp' | 'email' = 'totp';
  /** The code of the newest email the actor read, the one they entered last (IAM-04). */
  lastEmailCode: string | undefined;
  /** The second methods the last enrolment offered, by value (`totp`, `email`, `sms`). */
  methodsOffered: string[] = [];
  readonly app: AuthenticatorApp;
  readonly incidents: IncidentSummary[] = [];

  constructor(
    readonly name: string,
    readonly username: string,
    initialPassword: string,
    /** The actor's session on the platform; a new one is a new sign-in. */
    public ability: Ability,
    private readonly faker: Faker,
    readonly inbox: Inbox,
    time: TimeSource,
  ) {
    this.password = initialPassword;
    this.app = new AuthenticatorApp(time);
  }

  choosePassword(): string {
    this.formerPassword = this.password;
    this.password = buildPassword(this.faker);
    return this.password;
  }

  async readEmailCode(): Promise<string> {
    const [latest] = await this.inbox.read();
    if (!latest) throw new Error(harnessMessage(`${this.name} has no email with a code.`));
    this.lastEmailCode = codeInMail(latest.subject, latest.text);
    return this.lastEmailCode;
  }

  readonly answerPrompt = (prompt: LoginPrompt): Promise<Record<string, string>> => {
    if (prompt.name === 'mfa_choose') this.methodsOffered = prompt.fields.flatMap((f) => (f.choices ?? []).map((c) => c.value));
    return answerPrompt(this, prompt);
  };

  get lastIncident(): IncidentSummary {
    const last = this.incidents.at(-1);
    if (!last) throw new Error(harnessMessage(`${this.name} has not raised an incident in this scenario.`));
    return last;
  }
}
