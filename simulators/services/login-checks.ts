/**
 * The checks a login must pass after the password, in order, as node-oidc-provider's prompts: each
 * says whether it is pending, what to ask (`prompt`, which may send a code), and takes the answer
 * (`submit`: true when the check is satisfied). The pipeline reads as one list at the bottom.
 */
import { InvalidInput, NotAuthenticated } from '../domain/errors';
import type { Account } from '../store/accounts';
import { setPassword } from '../store/accounts';
import type { Queryable } from '../store/db';
import type { Core } from './context';
import { mfaChoose, mfaEnrolEmail, mfaEnrolTotp, mfaVerify } from './mfa-checks';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './passwords';

export interface PromptField {
  name: string;
  label: string;
  type: 'password' | 'text' | 'code' | 'choice';
  choices?: { value: string; label: string }[];
}

export interface Prompt {
  name: string;
  title: string;
  message: string;
  fields: PromptField[];
  /** Other answers the person may give instead (send another code, choose another method). */
  actions?: { name: string; label: string }[];
  /** What to show alongside: the TOTP key and QR code at enrolment, the masked email address... */
  data?: Record<string, string>;
  /** Something went wrong preparing this prompt (the email could not be sent): say so, offer the actions. */
  error?: string;
}

/** What a login in progress remembers between requests. */
export interface LoginState {
  /** Enrol a method in this transaction (no method yet, or the person is changing it). */
  enrol?: boolean;
  method?: 'totp' | 'email' | 'sms';
  pendingSecret?: string;
  codeSent?: boolean;
}

export type LoginPurpose = 'login' | 'change_mfa';

export interface LoginContext {
  core: Core;
  db: Queryable;
  account: Account;
  passed: readonly string[];
  purpose: LoginPurpose;
  state: LoginState;
}

export interface LoginCheck {
  name: string;
  pending(ctx: LoginContext): boolean;
  prompt(ctx: LoginContext): Promise<Prompt>;
  submit(ctx: LoginContext, input: Record<string, unknown>): Promise<boolean>;
}

/** An account created with a one-time password must choose its own before anything else. */
export const passwordChange: LoginCheck = {
  name: 'password_change',
  pending: ({ account, passed, purpose }) => purpose === 'login' && account.password_must_change && !passed.includes('password_change'),
  prompt: async ({ core }) => ({
    name: 'password_change',
    title: 'Choose your password',
    message: `You signed in with a one-time password. Choose your own: at least ${core.config.passwords.minLength} characters with upper- and lower-case letters, a digit and a symbol.`,
    fields: [
      { name: 'new_password', label: 'New password', type: 'password' },
      { name: 'confirm_password', label: 'Confirm new password', type: 'password' },
    ],
  }),
  async submit({ core, db, account }, input) {
    const password = assertPasswordPolicy(input.new_password, core.config.passwords.minLength);
    if (input.confirm_password !== undefined && input.confirm_password !== password) {
      throw new InvalidInput('The two passwords do not match', '', 'confirm_password');
    }
    // Both slow on purpose, so both at once (each on its own thread): the person waits for one.
    const [same, hash] = await Promise.all([
      verifyPassword(password, account.password_hash),
      hashPassword(password, core.config.passwords.scryptCost),
    ]);
    if (same) throw new InvalidInput('Choose a password different from the one-time password', '', 'new_password');
    // Deactivated while choosing it: the sign-in ends as any refused one does.
    if (!(await setPassword(db, account.id, hash, core.clock.now()))) throw new NotAuthenticated();
    return true;
  },
};

/**
 * The pipeline, read top to bottom. A login proves a method the account has (mfa_verify) or enrols
 * one; changing the method proves the current one first, then enrols the new one.
 */
export const LOGIN_CHECKS: readonly LoginCheck[] = [passwordChange, mfaVerify, mfaChoose, mfaEnrolTotp, mfaEnrolEmail];
