/**
 * Sessions for the API (bearer token) and the portal (cookie): random 256-bit tokens, stored hashed,
 * ended after the configured idle time since their last request, on the simulated clock. Every
 * request re-reads the account, so a deactivated account or a changed role takes effect at once.
 */
import { NotAuthenticated } from '../domain/errors';
import { newToken } from '../domain/ids';
import { deleteSession, insertSession, touchSessionWithAccount } from '../store/sessions';
import type { Caller, Core } from './context';

export type SessionKind = 'api' | 'portal';

export async function createSession(core: Core, accountId: string, kind: SessionKind, amr: string[], issuer: string | null = null): Promise<string> {
  const token = newToken();
  await insertSession(core.db, token, { account_id: accountId, kind, amr, last_seen_at: core.clock.now(), issuer });
  return token;
}

export async function resolveSession(core: Core, token: string, kind: SessionKind): Promise<Caller> {
  const now = core.clock.now();
  const idleMs = core.config.session.idleMinutes * 60_000;
  // Reading the session records this request as its last, in the same statement: idle time is exact.
  const session = token.length <= 100 ? await touchSessionWithAccount(core.db, token, kind, now, new Date(now.getTime() - idleMs)) : undefined;
  if (!session) throw new NotAuthenticated();
  if (now.getTime() - session.last_seen_at.getTime() > idleMs) {
    await deleteSession(core.db, token);
    throw new NotAuthenticated('Your session has ended after a period without activity. Sign in again.');
  }
  if (session.status !== 'active') {
    await deleteSession(core.db, token);
    throw new NotAuthenticated();
  }
  return { accountId: session.account_id, partyId: session.party_id, username: session.username, roles: session.roles, amr: session.amr, ...(session.issuer ? { issuer: session.issuer } : {}) };
}

export async function endSession(core: Core, token: string): Promise<void> {
  await deleteSession(core.db, token);
}
