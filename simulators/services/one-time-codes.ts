/**
 * Emailed one-time codes (IAM-04): six digits, valid for the configured minutes, one live code per
 * account and purpose (a new request replaces the old), sent to the address on the account, stored
 * only as a hash, and consumed by the first correct use.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Account } from '../store/accounts';
import type { Queryable } from '../store/db';
import { consumeCode, findCode, saveCode } from '../store/mfa';
import type { Core } from './context';

export type CodePurpose = 'mfa' | 'password_reset';

const hashCode = (accountId: string, code: string) => createHash('sha256').update(`${accountId}:${code}`).digest('hex');

export async function sendEmailCode(core: Core, tx: Queryable, account: Account, purpose: CodePurpose): Promise<void> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = core.clock.now();
  const minutes = core.config.mfa.emailCodeMinutes;
  await saveCode(tx, account.id, purpose, hashCode(account.id, code), new Date(now.getTime() + minutes * 60_000), now);
  const what = purpose === 'mfa' ? 'sign in to' : 'reset your password for';
  await core.mail.send({
    to: account.username,
    subject: `Your DCC FSM code: ${code}`,
    text: `Use ${code} to ${what} the DCC Future Service Management platform. It expires in ${minutes} minutes. If you did not ask for it, tell your organisation administrator.`,
  });
}

/** True when the code is the account's live code for the purpose; it is then used up. */
export async function useEmailCode(core: Core, tx: Queryable, accountId: string, purpose: CodePurpose, code: string): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false;
  const live = await findCode(tx, accountId, purpose);
  if (!live || live.expires_at <= core.clock.now()) return false;
  const given = Buffer.from(hashCode(accountId, code));
  if (!timingSafeEqual(given, Buffer.from(live.code_hash))) return false;
  return consumeCode(tx, accountId, purpose, live.code_hash);
}

/** "j***@example.com": enough for the person to recognise the address, not enough to harvest it. */
export function maskAddress(address: string): string {
  const [local = '', domain = ''] = address.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
