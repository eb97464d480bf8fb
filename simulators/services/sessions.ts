/**
 * Sessions for the API (bearer token) and the portal (cookie): random 256-bit tokens, stored hashed,
 * ended after the configured idle time since their last request, on the simulated clock. Every
 * request re-reads the account, so a deactivated account or a changed role takes effect at once.
 */
import { assertRouteAllowed, type Route } from '../domain/access';
import { NotAuthenticated } from '../domain/errors';
import { newToken } from '../domain/ids';
import { deleteSession, insertSession, touchSessionWithAccount } from '../store/sessions';
import { findAccount } from '../store/accounts';
import { findParty } from '../store/parties';
import type { Caller, Core } from './context';

export type SessionKind = 'api' | 'portal';

export class SessionService {
  constructor(private readonly core: Core) {}

  /** `grantId`: the OAuth grant an access token belongs to, which ends with it (store/sessions.ts). */
  async create(accountId: string, kind: SessionKind, amr: string[], issuer: string | null = null, grantId?: string): Promise<string> {
    const token = newToken();
    const row = { account_id: accountId, kind, amr, last_seen_at: this.core.clock.now(), issuer, grant_id: grantId ?? null };
    await insertSession(this.core.db, token, row);
    return token;
  }

  /** The person behind a session token, or NotAuthenticated; the request counts as the session's last. */
  async resolve(token: string, kind: SessionKind): Promise<Caller> {
    const now = this.core.clock.now();
    const idleMs = this.core.config.session.idleMinutes * 60_000;
    // Reading the session records this request as its last, in the same statement: idle time is exact.
    const session =
      token.length <= 100 ? await touchSessionWithAccount(this.core.db, token, kind, now, new Date(now.getTime() - idleMs)) : undefined;
    if (!session) throw new NotAuthenticated();
    if (now.getTime() - session.last_seen_at.getTime() > idleMs) {
      await deleteSession(this.core.db, token);
      throw new NotAuthenticated('Your session has ended after a period without activity. Sign in again.');
    }
    if (session.status !== 'active') {
      await deleteSession(this.core.db, token);
      throw new NotAuthenticated();
    }
    return {
      accountId: session.account_id,
      partyId: session.party_id,
      username: session.username,
      roles: session.roles,
      amr: session.amr,
      ...(session.issuer ? { issuer: session.issuer } : {}),
    };
  }

  async end(token: string): Promise<void> {
    await deleteSession(this.core.db, token);
  }

  /** The active account a DCC Identity token names (its `oid`), as the Caller it stands for. */
  async callerOfAccount(accountId: string, amr: string[]): Promise<Caller> {
    const account = await findAccount(this.core.db, accountId);
    if (!account || account.status !== 'active') throw new NotAuthenticated();
    return { accountId: account.id, partyId: account.party_id, username: account.username, roles: account.roles, amr };
  }

  /**
   * The route a request came by must be open to the caller's party (IAM-05): the Gateway always is.
   * The source address is read only for the internet route (a Gateway request's forwarded headers are not its business).
   */
  async assertRoute(caller: Caller, route: Route, sourceAddress: () => string): Promise<void> {
    if (route === 'gateway') return;
    const party = await findParty(this.core.db, caller.partyId);
    if (!party) throw new NotAuthenticated();
    assertRouteAllowed(party, route, sourceAddress());
  }

  /** The name of the caller's organisation, for the pages they see. */
  async partyName(caller: Caller): Promise<string> {
    return (await findParty(this.core.db, caller.partyId))?.name ?? '';
  }
}
