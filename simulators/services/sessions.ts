/**
 * Sessions for the API (bearer token) and the portal (cookie): random 256-bit tokens, stored hashed,
 * ended after the configured idle time on the simulated clock. Every request re-reads the account,
 * so a deactivated account or a changed role takes effect at once.
 */
import { NotAuthenticated } from '../domain/errors';
import { newToken } from '../domain/ids';
import { deleteSession, findSessionWithAccount, insertSession, touchSession } from '../store/sessions';
import type { Caller, Core } from './context';

export type SessionKind = 'api' | 'portal';

/** Writing last-seen on every request would make each read a write; a minute's precision is plenty. */
const TOUCH_AFTER_MS = 60_000;

export async function createSession(core: Core, accountId: string, kind: SessionKind, amr: string[], issuer: string | null = null): Promise<string> {
  const token = newToken();
  await insertSession(core.db, token, { account_id: accountId, kind, amr, last_seen_at: core.clock.now(), issuer });
  return token;
}

export async function resolveSession(core: Core, token: string, kind: SessionKind): Promise<Caller> {
  const now = core.clock.now();
  const session = token.length <= 100 ? await findSessionWithAccount(core.db, token) : undefined;
  if (!session || session.kind !== kind) throw new NotAuthenticated();
  if (now.getTime() - session.last_seen_at.getTime() > core.config.session.idleMinutes * 60_000) {
    await deleteSession(core.db, token);
    throw new NotAuthenticated('Your session has ended after a period without activity. Sign in again.');
  }
  if (session.status !== 'active') {
    await deleteSession(core.db, token);
    throw new NotAuthenticated();
  }
  if (now.getTime() - session.last_seen_at.getTime() > TOUCH_AFTER_MS) await touchSession(core.db, token, now);
  return { accountId: session.account_id, partyId: session.party_id, username: session.username, roles: session.roles, amr: session.amr, ...(session.issuer ? { issuer: session.issuer } : {}) };
}

export async function endSession(core: Core, token: string): Promise<void> {
  await deleteSession(core.db, token);
}
