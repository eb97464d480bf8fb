/**
 * An organisation administrator resets another user's MFA (a lost phone, a changed mailbox): the
 * user's method and key are cleared, their sessions end, and their next login enrols afresh. Only
 * within the administrator's own party (ACC-02); another party's user does not exist for them.
 */
import { NotFound } from '../domain/errors';
import { SYS_ID } from '../domain/ids';
import { findAccount } from '../store/accounts';
import { clearMfa } from '../store/mfa';
import { deleteSessionsOf } from '../store/sessions';
import type { Caller, Core } from './context';

export async function resetUserMfa(core: Core, caller: Caller, userId: string): Promise<void> {
  core.roles.require(caller.roles, 'accounts.admin');
  const user = SYS_ID.test(userId) ? await findAccount(core.db, userId) : undefined;
  if (!user || user.party_id !== caller.partyId) throw new NotFound('User');
  await core.db.transaction(async (tx) => {
    await clearMfa(tx, user.id, core.clock.now());
    await deleteSessionsOf(tx, user.id);
  });
  await core.audit({ accountId: user.id, kind: 'mfa_reset_by_admin', detail: `by ${caller.username}` });
}
