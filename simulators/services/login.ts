/**
 * Login as a pipeline: the password first (with lockout and one neutral failure message), then each
 * check of LOGIN_CHECKS until none is pending, then a session. The API and the portal both drive it.
 */
import { InvalidInput, NotAuthenticated } from '../domain/errors';
import { newToken } from '../domain/ids';
import type { Queryable } from '../store/db';
import {
  findAccount,
  findAccountByUsername,
  recordLoginFailure,
  recordLoginSuccess,
  type Account,
} from '../store/accounts';
import {
  deleteLoginTransaction,
  findLoginTransaction,
  insertLoginTransaction,
  markLoginStepPassed,
} from '../store/sessions';
import type { Core } from './context';
import { LOGIN_CHECKS, type Prompt } from './login-checks';
import { decoyHash, verifyPassword } from './passwords';
import { createSession, type SessionKind } from './sessions';

export type LoginResult =
  | { status: 'prompt'; loginToken: string; prompt: Prompt }
  | { status: 'authenticated'; sessionToken: string; expiresInSeconds: number };

const LOGIN_TRANSACTION_MINUTES = 10;

export class LoginService {
  private decoy: Promise<string> | undefined;

  constructor(private readonly core: Core) {}

  async start(username: unknown, password: unknown, kind: SessionKind): Promise<LoginResult> {
    if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
      throw new InvalidInput('Enter your user name and password', '', typeof username === 'string' && username ? 'password' : 'username');
    }
    const account = await this.checkPassword(username.slice(0, 254), password.slice(0, 256));
    const loginToken = newToken();
    const { clock } = this.core;
    await insertLoginTransaction(this.core.db, loginToken, account.id, new Date(clock.now().getTime() + LOGIN_TRANSACTION_MINUTES * 60_000));
    return this.advance(loginToken, kind);
  }

  /** Answers the pending prompt of a login in progress. */
  async continue(loginToken: unknown, input: Record<string, unknown>, kind: SessionKind): Promise<LoginResult> {
    if (typeof loginToken !== 'string' || loginToken.length > 100) throw new NotAuthenticated('Your sign-in has expired. Start again.');
    await this.core.db.transaction(async (tx) => {
      const { account, passed } = await this.loadTransaction(tx, loginToken);
      const check = LOGIN_CHECKS.find((c) => c.pending({ core: this.core, tx, account, passed }));
      if (!check) return;
      await check.submit({ core: this.core, tx, account, passed }, input);
      await markLoginStepPassed(tx, loginToken, check.name);
    });
    return this.advance(loginToken, kind);
  }

  private async advance(loginToken: string, kind: SessionKind): Promise<LoginResult> {
    const { db } = this.core;
    const { account, passed } = await this.loadTransaction(db, loginToken);
    for (const check of LOGIN_CHECKS) {
      const prompt = check.pending({ core: this.core, tx: db, account, passed });
      if (prompt) return { status: 'prompt', loginToken, prompt };
    }
    await deleteLoginTransaction(db, loginToken);
    const sessionToken = await createSession(this.core, account.id, kind, ['pwd']);
    return { status: 'authenticated', sessionToken, expiresInSeconds: this.core.config.session.idleMinutes * 60 };
  }

  private async loadTransaction(db: Queryable, loginToken: string) {
    const transaction = await findLoginTransaction(db, loginToken);
    const account = transaction && (await findAccount(db, transaction.account_id));
    if (!transaction || !account || transaction.expires_at <= this.core.clock.now()) {
      throw new NotAuthenticated('Your sign-in has expired. Start again.');
    }
    return { account, passed: transaction.passed };
  }

  /** Every failure before the password is proven looks the same: unknown user, wrong password, locked. */
  private async checkPassword(username: string, password: string): Promise<Account> {
    const { db, clock, config } = this.core;
    const account = await findAccountByUsername(db, username);
    if (!account) {
      this.decoy ??= decoyHash(config.passwords.scryptCost);
      await verifyPassword(password, await this.decoy);
      throw new NotAuthenticated();
    }
    const locked = account.locked_until !== null && account.locked_until > clock.now();
    const matches = await verifyPassword(password, account.password_hash);
    if (locked) throw new NotAuthenticated();
    if (!matches) {
      const until = new Date(clock.now().getTime() + config.lockout.minutes * 60_000);
      await recordLoginFailure(db, account.id, config.lockout.maxFailures, until);
      throw new NotAuthenticated();
    }
    await recordLoginSuccess(db, account.id);
    // Past this point the person has proven the password, so the message may say what is wrong.
    if (account.status !== 'active') throw new NotAuthenticated('Your account is not active. Ask your organisation administrator to reinstate it.');
    if (account.password_expires_at && account.password_expires_at <= clock.now()) {
      throw new NotAuthenticated('Your one-time password has expired. Ask for a new one.');
    }
    return account;
  }
}
