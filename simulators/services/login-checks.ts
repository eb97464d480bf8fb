/**
 * The checks a login must pass after the password, in order, as in node-oidc-provider's prompts.
 * Each check says whether it is still pending for this login and, if so, what to ask the person;
 * `submit` takes their answer. MFA enrolment and verification plug in here as further checks.
 */
import type { Account } from '../store/accounts';
import { setPassword } from '../store/accounts';
import type { Queryable } from '../store/db';
import type { Core } from './context';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './passwords';
import { InvalidInput } from '../domain/errors';

export interface PromptField {
  name: string;
  label: string;
  type: 'password' | 'text' | 'choice';
  choices?: string[];
}

export interface Prompt {
  name: string;
  title: string;
  message: string;
  fields: PromptField[];
}

export interface LoginContext {
  core: Core;
  tx: Queryable;
  account: Account;
  passed: readonly string[];
}

export interface LoginCheck {
  name: string;
  /** The prompt to show while the check is pending; undefined once it is satisfied. */
  pending(ctx: LoginContext): Prompt | undefined;
  /** Takes the person's answer; throws a DomainError (with the field) when it is not acceptable. */
  submit(ctx: LoginContext, input: Record<string, unknown>): Promise<void>;
}

/** An account created with a one-time password must choose its own before anything else. */
export const passwordChange: LoginCheck = {
  name: 'password_change',
  pending: ({ account, passed, core }) =>
    account.password_must_change && !passed.includes('password_change')
      ? {
          name: 'password_change',
          title: 'Choose your password',
          message: `You signed in with a one-time password. Choose your own: at least ${core.config.passwords.minLength} characters with upper- and lower-case letters, a digit and a symbol.`,
          fields: [
            { name: 'new_password', label: 'New password', type: 'password' },
            { name: 'confirm_password', label: 'Confirm new password', type: 'password' },
          ],
        }
      : undefined,
  async submit({ core, tx, account }, input) {
    const password = assertPasswordPolicy(input.new_password, core.config.passwords.minLength);
    if (input.confirm_password !== undefined && input.confirm_password !== password) {
      throw new InvalidInput('The two passwords do not match', '', 'confirm_password');
    }
    if (await verifyPassword(password, account.password_hash)) {
      throw new InvalidInput('Choose a password different from the one-time password', '', 'new_password');
    }
    await setPassword(tx, account.id, await hashPassword(password, core.config.passwords.scryptCost), core.clock.now());
  },
};

/** The pipeline, read top to bottom. */
export const LOGIN_CHECKS: readonly LoginCheck[] = [passwordChange];
