/**
 * Proving a password, for every way in that takes one (the login pipeline, HTTP Basic, OAuth's
 * password grant): one lockout and one neutral failure whatever failed, so brute force through any
 * door counts towards the same lock.
 */
import { NotAuthenticated } from '../domain/errors';
import { findAccountByUsername, type Account } from '../store/accounts';
import type { Core } from './context';
import { countFailure } from './failures';
import { decoyHash, verifyPassword } from './passwords';

export function isLocked(account: Account, now: Date): boolean {
  return account.locked_until !== null && account.locked_until > now;
}

export class PasswordProof {
  private decoy: Promise<string> | undefined;

  constructor(private readonly core: Core) {}

  /** Every failure before the password is proven looks the same: unknown user, wrong password, locked. */
  async prove(username: string, password: string): Promise<Account> {
    const { db, clock } = this.core;
    const account = await findAccountByUsername(db, username.slice(0, 254));
    this.decoy ??= decoyHash(this.core.config.passwords.scryptCost);
    const locked = account !== undefined && isLocked(account, clock.now());
    const matches = await verifyPassword(password.slice(0, 256), account?.password_hash ?? (await this.decoy));
    if (!account || locked || !matches) {
      // The same steps whatever failed (a hash, a count matching nothing if there is no open account): the time says nothing.
      await countFailure(this.core, account && !locked ? account.id : null, 'wrong passwords');
      throw new NotAuthenticated();
    }
    // The failure count is reset only when the whole sign-in succeeds: otherwise someone who knows
    // the password could guess codes for ever, four at a time.
    // Past this point the person has proven the password, so the message may say what is wrong.
    if (account.status !== 'active')
      throw new NotAuthenticated('Your account is not active. Ask your organisation administrator to reinstate it.');
    if (account.password_expires_at && account.password_expires_at <= clock.now()) {
      throw new NotAuthenticated('Your one-time password has expired. Ask for a new one.');
    }
    return account;
  }
}
