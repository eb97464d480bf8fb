/**
 * Resetting a forgotten password: a code by email to the address on the account, then a new password.
 * Both steps answer the same, in the same time, whether or not the account exists: the email goes
 * after the answer, and a refused code takes the same steps for any account. A wrong code counts
 * towards the lockout and a replayed one is recorded (failures.ts); a reset ends every session of
 * the account. MFA still applies at the next sign-in.
 */
import { z } from 'zod';
import { DomainError, NotAuthenticated } from '../domain/errors';
import { findAccountByUsername, setPassword, type Account } from '../store/accounts';
import { deleteSessionsOf } from '../store/sessions';
import type { Core } from './context';
import { chargeRefusedCode, ReplayedCode, WrongCode } from './failures';
import { sendEmailCode, useEmailCode } from './one-time-codes';
import { assertPasswordPolicy, hashPassword } from './passwords';
import { parseInput } from './validate';

const Forgot = z.object({ username: z.string().trim().min(3).max(254) }).strict();
const Reset = z
  .object({ username: z.string().trim().min(3).max(254), code: z.string().max(20), new_password: z.string().max(256) })
  .strict();

/** Who may reset a password here: an active account that signs in locally (DCC Identity accounts reset there). */
const resettable = (account: Account) => account.status === 'active' && account.identity_path === 'local';

/** A forgotten password, reset with an emailed code: the same answer whether or not the account exists. */
export class PasswordResetService {
  constructor(private readonly core: Core) {}

  /** Checks the request; the code goes by email after the answer, and only to an active local account. */
  request(body: unknown): void {
    const { username } = parseInput(Forgot, body);
    const at = this.core.clock.now();
    this.core.later('sending a password reset code', () => this.sendCode(username, at));
  }

  async reset(body: unknown): Promise<void> {
    const { core } = this;
    const input = parseInput(Reset, body);
    const password = assertPasswordPolicy(input.new_password, core.config.passwords.minLength);
    const { db, clock, config } = core;
    // Every answer waits for this hash (on its own thread), refused or not, as every sign-in costs one:
    // it outlasts the few steps an existing account adds.
    const hashing = hashPassword(password, config.passwords.scryptCost);
    const account = await findAccountByUsername(db, input.username);
    // An unknown, deactivated or locked account takes the steps of a wrong code, matching nothing: the time says nothing.
    const open = account && resettable(account) && !(account.locked_until && account.locked_until > clock.now()) ? account : undefined;
    let refusal: NotAuthenticated | undefined;
    try {
      await useEmailCode(core, db, open?.id ?? null, 'password_reset', input.code.trim());
    } catch (error) {
      if (!(error instanceof WrongCode)) throw error;
      await chargeRefusedCode(core, open?.id ?? null, error);
      refusal = new NotAuthenticated(
        error instanceof ReplayedCode ? error.message : 'The code is not right, or it has expired. Ask for a new one.',
      );
    }
    const hash = await hashing;
    if (refusal || !open) throw refusal ?? new NotAuthenticated();
    const reset = await db.transaction(async (tx) => {
      if (!(await setPassword(tx, open.id, hash, clock.now()))) return false;
      await deleteSessionsOf(tx, open.id);
      return true;
    });
    // Deactivated between the code and now: refused as any other account that may not reset.
    if (!reset) throw new NotAuthenticated();
    await core.audit({ accountId: open.id, kind: 'password_reset' });
  }

  /** A gateway that fails is recorded, not told: telling would say the account exists. The person asks again. */
  private async sendCode(username: string, at: Date): Promise<void> {
    const { core } = this;
    const account = await findAccountByUsername(core.db, username);
    if (!account || !resettable(account)) return;
    try {
      await sendEmailCode(core, core.db, account, 'password_reset', at);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await core.audit({ accountId: account.id, kind: 'password_reset_email_failed', detail: error.message });
      return;
    }
    await core.audit({ accountId: account.id, kind: 'password_reset_requested' });
  }
}
