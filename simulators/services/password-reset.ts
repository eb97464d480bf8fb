/**
 * Resetting a forgotten password: a code by email to the address on the account, then a new password.
 * The request answers the same whether or not the account exists; a wrong code counts towards the
 * lockout and a replayed one is recorded (failures.ts); a reset ends every session of the account.
 * MFA still applies at the next sign-in.
 */
import { z } from 'zod';
import { NotAuthenticated } from '../domain/errors';
import { findAccountByUsername, setPassword } from '../store/accounts';
import { deleteSessionsOf } from '../store/sessions';
import type { Core } from './context';
import { chargeRefusedCode, ReplayedCode, WrongCode } from './failures';
import { sendEmailCode, useEmailCode } from './one-time-codes';
import { assertPasswordPolicy, hashPassword } from './passwords';
import { parseInput } from './validate';

const Forgot = z.object({ username: z.string().trim().min(3).max(254) }).strict();
const Reset = z.object({ username: z.string().trim().min(3).max(254), code: z.string().max(20), new_password: z.string().max(256) }).strict();

export async function requestPasswordReset(core: Core, body: unknown): Promise<void> {
  const { username } = parseInput(Forgot, body);
  const account = await findAccountByUsername(core.db, username);
  if (!account || account.status !== 'active' || account.identity_path !== 'local') return;
  await sendEmailCode(core, core.db, account, 'password_reset');
  await core.audit({ accountId: account.id, kind: 'password_reset_requested' });
}

export async function resetPassword(core: Core, body: unknown): Promise<void> {
  const input = parseInput(Reset, body);
  const password = assertPasswordPolicy(input.new_password, core.config.passwords.minLength);
  const { db, clock, config } = core;
  const account = await findAccountByUsername(db, input.username);
  const refused = new NotAuthenticated('The code is not right, or it has expired. Ask for a new one.');
  if (!account || (account.locked_until && account.locked_until > clock.now())) throw refused;
  try {
    await useEmailCode(core, db, account.id, 'password_reset', input.code.trim());
  } catch (error) {
    if (!(error instanceof WrongCode)) throw error;
    await chargeRefusedCode(core, account.id, error);
    throw error instanceof ReplayedCode ? new NotAuthenticated(error.message) : refused;
  }
  await db.transaction(async (tx) => {
    await setPassword(tx, account.id, await hashPassword(password, config.passwords.scryptCost), clock.now());
    await deleteSessionsOf(tx, account.id);
  });
  await core.audit({ accountId: account.id, kind: 'password_reset' });
}
