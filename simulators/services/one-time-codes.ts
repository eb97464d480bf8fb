/**
 * Emailed one-time codes (IAM-04): six digits, valid for the configured minutes, one live code per
 * account and purpose (a new request replaces the old), sent to the address on the account, stored
 * only as a hash, and used up by the first correct use; sent again, it is a replay (failures.ts).
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Account } from '../store/accounts';
import type { Queryable } from '../store/db';
import { consumeCode, findCode, saveCode } from '../store/mfa';
import type { Core } from './context';
import { ReplayedCode, WrongCode } from './failures';

export type CodePurpose = 'mfa' | 'password_reset';

const hashCode = (accountId: string | null, code: string) => createHash('sha256').update(`${accountId}:${code}`).digest('hex');

/** `now`: when it was asked for, if that was before (a reset code is sent after the answer). */
export async function sendEmailCode(
  core: Core,
  tx: Queryable,
  account: Account,
  purpose: CodePurpose,
  now = core.clock.now(),
): Promise<void> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const minutes = core.config.mfa.emailCodeMinutes;
  await saveCode(tx, account.id, purpose, hashCode(account.id, code), new Date(now.getTime() + minutes * 60_000), now);
  const what = purpose === 'mfa' ? 'sign in to' : 'reset your password for';
  await core.mail.send({
    to: account.username,
    subject: `Your DCC FSM code: ${code}`,
    text: `Use ${code} to ${what} the DCC Future Service Management platform. It expires in ${minutes} minutes. If you did not ask for it, tell your organisation administrator.`,
  });
}

/**
 * Uses up the account's live code for the purpose. Throws WrongCode for a wrong or expired code, and
 * ReplayedCode for the code already used (by an earlier request, or by a racing one just now). No
 * account (null) takes the same steps and finds no code.
 */
export async function useEmailCode(core: Core, tx: Queryable, accountId: string | null, purpose: CodePurpose, code: string): Promise<void> {
  if (!/^\d{6}$/.test(code)) throw new WrongCode();
  const now = core.clock.now();
  const live = await findCode(tx, accountId, purpose);
  if (!live || live.expires_at <= now) throw new WrongCode();
  const given = Buffer.from(hashCode(accountId, code));
  if (!timingSafeEqual(given, Buffer.from(live.code_hash))) throw new WrongCode();
  if (live.used_at || !(await consumeCode(tx, live.account_id, purpose, live.code_hash, now))) {
    throw new ReplayedCode(
      'email_code_replay',
      `a ${purpose === 'mfa' ? 'sign-in' : 'password reset'} code already used`,
      'Ask for a new one.',
    );
  }
}

/** "j***@example.com": enough for the person to recognise the address, not enough to harvest it. */
export function maskAddress(address: string): string {
  const [local = '', domain = ''] = address.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
