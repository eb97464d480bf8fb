/**
 * The sign-in pages, of the portal and of DCC Identity alike (they render the same login prompts):
 * the email and password form, then each prompt the login pipeline asks, answered by the actor as a
 * person would (their new password, their MFA method, the code from their app or their inbox).
 */
import type { LoginPrompt } from '../../../clients/fsm-api';
import type { PromptAnswerer } from '../../../clients/login-answers';
import { harnessMessage } from '../../../clients/messages';
import type { Outcome } from '../outcome';
import { Portal, refused, type PageResult } from './portal';

const MAX_PROMPTS = 10;

interface PromptOnPage {
  name: string;
  method: string;
  title: string;
  fields: { name: string; label: string; type: string; choices: { value: string; label: string }[] }[];
  /** Other answers offered as buttons of their own (send a new code, choose another method). */
  actions: { name: string; label: string }[];
}

export class SignInPages {
  constructor(private readonly portal: Portal) {}

  /** Email and password on the sign-in form in front of the actor, then every prompt until `done`. */
  async signIn(
    username: string,
    password: string,
    answer: PromptAnswerer,
    done: (url: URL) => boolean,
  ): Promise<Outcome<{ prompts: string[] }>> {
    await this.portal.fill({ 'Email address': username, Password: password });
    return this.answerPrompts(await this.portal.press('Sign in'), answer, done);
  }

  /** Answers each prompt on the pages that follow `result`, until a page `done` accepts. */
  async answerPrompts(first: PageResult, answer: PromptAnswerer, done: (url: URL) => boolean): Promise<Outcome<{ prompts: string[] }>> {
    const prompts: string[] = [];
    let result = first;
    for (let i = 0; i <= MAX_PROMPTS; i++) {
      if (result.status >= 400) return refused(result);
      if (done(new URL(this.portal.page.url()))) return { ok: true, value: { prompts } };
      const onPage = await this.readPrompt();
      prompts.push(onPage.name);
      const secret = await this.shownKey();
      const prompt: LoginPrompt = {
        name: onPage.name,
        title: onPage.title,
        message: '',
        fields: onPage.fields,
        actions: onPage.actions,
        data: { method: onPage.method, ...(secret ? { secret } : {}) },
      };
      result = await this.submit(onPage, await answer(prompt));
    }
    throw new Error(harnessMessage(`The sign-in did not finish after ${MAX_PROMPTS} prompts: ${prompts.join(', ')}`));
  }

  /** The prompt the page asks: its name and method (the main landmark's data), its fields and their labels. */
  private async readPrompt(): Promise<PromptOnPage> {
    const main = this.portal.page.getByRole('main');
    return main.evaluate((el) => {
      const labelOf = (input: Element) =>
        (input.id ? el.querySelector(`label[for="${input.id}"]`)?.textContent?.trim() : input.closest('label')?.textContent?.trim()) ?? '';
      const forms = Array.from(el.querySelectorAll('form'));
      const form = forms.find((f) => f.querySelector('button[type=submit]')?.textContent === 'Continue');
      const actions = forms.flatMap((f) => {
        const action = f.querySelector('input[type=hidden][name=action]') as HTMLInputElement | null;
        return action ? [{ name: action.value, label: f.querySelector('button[type=submit]')?.textContent ?? '' }] : [];
      });
      const inputs = Array.from(form?.querySelectorAll('input:not([type=hidden])') ?? []) as HTMLInputElement[];
      const names = [...new Set(inputs.map((i) => i.name))];
      return {
        name: (el as HTMLElement).dataset.prompt ?? '',
        method: (el as HTMLElement).dataset.method ?? '',
        title: el.querySelector('h1')?.textContent ?? '',
        fields: names.map((name) => {
          const same = inputs.filter((i) => i.name === name);
          const radio = same[0]?.type === 'radio';
          return {
            name,
            label: radio ? (same[0]?.closest('fieldset')?.querySelector('legend')?.textContent ?? '') : labelOf(same[0] as Element),
            type: radio ? 'choice' : (same[0]?.type ?? 'text'),
            choices: radio ? same.map((r) => ({ value: r.value, label: labelOf(r) })) : [],
          };
        }),
        actions,
      };
    });
  }

  private async shownKey(): Promise<string | undefined> {
    const key = this.portal.page.getByLabel(this.portal.label('Key for your authenticator app'));
    return (await key.count()) > 0 ? (await key.innerText()).trim() : undefined;
  }

  /** Fills the prompt's form with the answers, by label, and continues; an `action` presses that button instead. */
  private async submit(prompt: PromptOnPage, answers: Record<string, string>): Promise<PageResult> {
    if (answers.action !== undefined) {
      const action = prompt.actions.find((a) => a.name === answers.action);
      if (!action)
        throw new Error(
          harnessMessage(
            `The page "${prompt.title}" offers no "${answers.action}"; it offers: ${prompt.actions.map((a) => a.name).join(', ') || 'nothing else'}.`,
          ),
        );
      return this.portal.press(action.label);
    }
    for (const [name, value] of Object.entries(answers)) {
      const field = prompt.fields.find((f) => f.name === name);
      if (!field) throw new Error(harnessMessage(`The page "${prompt.title}" has no field for "${name}".`));
      if (field.type === 'choice') {
        const choice = field.choices.find((c) => c.value === value);
        if (!choice) throw new Error(harnessMessage(`The page "${prompt.title}" offers no choice "${value}" for "${field.label}".`));
        await this.portal.page.getByRole('radio', { name: this.portal.label(choice.label), exact: true }).check();
      } else {
        await this.portal.page.getByLabel(this.portal.label(field.label), { exact: true }).fill(value);
      }
    }
    return this.portal.press('Continue');
  }
}
