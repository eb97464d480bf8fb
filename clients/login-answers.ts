/**
 * How a person answers each prompt of a login: a new password when asked, their chosen MFA method at
 * enrolment, the code from their authenticator app or their inbox. Shared by the scenarios' actors
 * and the unit tests, so both sign in the way a real person does.
 */
import type { AuthenticatorApp } from './authenticator';
import type { LoginPrompt } from './fsm-api';
import { harnessMessage } from './messages';

/** How someone answers each prompt of a login: a new password, an MFA method, a code. */
export type PromptAnswerer = (prompt: LoginPrompt) => Promise<Record<string, string>>;

export interface Person {
  /** A password for the platform to accept as new; remembered by the person. */
  choosePassword(): string;
  mfaMethod: 'totp' | 'email';
  app: AuthenticatorApp;
  /** The newest emailed code, read from the person's inbox. */
  readEmailCode(): Promise<string>;
}

export async function answerPrompt(person: Person, prompt: LoginPrompt): Promise<Record<string, string>> {
  switch (prompt.name) {
    case 'password_change': {
      const password = person.choosePassword();
      return { new_password: password, confirm_password: password };
    }
    case 'mfa_choose':
      return { method: person.mfaMethod };
    case 'mfa_enrol_totp':
      person.app.add(prompt.data?.otpauth_uri ?? prompt.data?.secret ?? '');
      return { code: await person.app.code() };
    case 'mfa_enrol_email':
      return { code: await person.readEmailCode() };
    case 'mfa_verify':
      return { code: prompt.data?.method === 'totp' ? await person.app.code() : await person.readEmailCode() };
    default:
      throw new Error(harnessMessage(`No answer for the login prompt "${prompt.name}" (${prompt.title}).`));
  }
}

export function codeInMail(subject: string, text: string): string {
  const code = /\b(\d{6})\b/.exec(`${subject} ${text}`)?.[1];
  if (!code) throw new Error(harnessMessage(`No 6-digit code in the email "${subject}".`));
  return code;
}

/** The one-time password in a welcome email, as an administrator's new user receives it. */
export function oneTimePasswordIn(texts: string[]): string | undefined {
  return texts.map((t) => /one-time password is ([^\s.]+)/.exec(t)?.[1]).find((otp): otp is string => otp !== undefined);
}
