/**
 * What a failed proof of identity costs, in one place (README, Decisions, "A replayed code is a
 * security event"). A wrong password or a wrong or expired code counts towards the lockout; at the
 * configured count the account locks. A code already accepted, sent again, is refused and recorded
 * as a security event but counts nothing: whoever holds a code its owner has just used learns
 * nothing from a replay and must not lock the owner out with it. Replays are bounded by the login
 * they are sent to (it ends at the lockout count) and by the code's own life.
 */
import { InvalidInput } from '../domain/errors';
import { recordLoginFailure } from '../store/accounts';
import { countLoginReplay } from '../store/sessions';
import type { Core } from './context';

/** A wrong or expired code: it counts towards the lockout as a wrong password does. */
export class WrongCode extends InvalidInput {
  constructor(message = 'That code is not right, or it has expired. Check it and try again.') {
    super(message, '', 'code');
  }
}

/** A code already accepted, sent again: refused, recorded, and not a guess. */
export class ReplayedCode extends WrongCode {
  constructor(
    readonly event: 'totp_replay' | 'email_code_replay',
    readonly eventDetail: string,
    hint: string,
  ) {
    super(`That code has already been used. ${hint}`);
  }
}

/**
 * Counts a failure against the account; true when this one locked it (and the lock is recorded).
 * No account (unknown, or locked already) takes the same step, matching nothing: the time says nothing.
 */
export async function countFailure(core: Core, accountId: string | null, what: 'wrong passwords' | 'wrong codes'): Promise<boolean> {
  const { db, clock, config } = core;
  const locked = await recordLoginFailure(
    db,
    accountId,
    config.lockout.maxFailures,
    new Date(clock.now().getTime() + config.lockout.minutes * 60_000),
  );
  if (locked && accountId) await core.audit({ accountId, kind: 'account_locked', detail: `too many ${what}` });
  return locked;
}

/**
 * What a refused code costs, for a sign-in (`loginToken`, the login in progress) or a password reset.
 * True when the attempt ends here: the account locked, or the login sent too many replays.
 */
export async function chargeRefusedCode(core: Core, accountId: string | null, refusal: WrongCode, loginToken?: string): Promise<boolean> {
  if (!(refusal instanceof ReplayedCode)) return countFailure(core, accountId, 'wrong codes');
  await core.audit({ accountId, kind: refusal.event, detail: refusal.eventDetail });
  if (loginToken === undefined) return false;
  const replays = await countLoginReplay(core.db, loginToken);
  if (replays === undefined || replays < core.config.lockout.maxFailures) return false;
  await core.audit({ accountId, kind: 'login_stopped', detail: 'too many replayed codes' });
  return true;
}
