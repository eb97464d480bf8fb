/**
 * An actor: a person at a party (or at DCC) with the abilities to use the platform, and a memory of
 * what they know: credentials, and the incidents they raised. Created per scenario by the World.
 */
import type { Faker } from '@faker-js/faker';
import type { LoginPrompt } from '../../clients/fsm-api';
import { buildPassword } from '../../fixtures/parties';
import type { IncidentSummary, PromptAnswerer, UseFsm } from './abilities/use-fsm';

export class Actor {
  password: string;
  /** A password the actor held once and must no longer work (the one-time password, say). */
  formerPassword: string | undefined;
  readonly incidents: IncidentSummary[] = [];

  constructor(
    readonly name: string,
    readonly username: string,
    initialPassword: string,
    readonly fsm: UseFsm,
    private readonly faker: Faker,
  ) {
    this.password = initialPassword;
  }

  /** Answers login prompts as a careful person would: a new strong password when asked for one. */
  readonly answerPrompt: PromptAnswerer = (prompt: LoginPrompt) => {
    if (prompt.name === 'password_change') {
      const chosen = buildPassword(this.faker);
      this.formerPassword = this.password;
      this.password = chosen;
      return { new_password: chosen, confirm_password: chosen };
    }
    throw new Error(`[fsm-harness] ${this.name} does not know how to answer the login prompt "${prompt.name}" (${prompt.title}).`);
  };

  get lastIncident(): IncidentSummary {
    const last = this.incidents.at(-1);
    if (!last) throw new Error(`[fsm-harness] ${this.name} has not raised an incident in this scenario.`);
    return last;
  }
}
