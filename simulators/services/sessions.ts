/**
 * Sessions for the API (bearer token) and the portal (cookie): random 256-bit tokens, stored hashed,
 * ended after the configured idle time since their last request, on the simulated clock. Every
 * request re-reads the account, so a deactivated account or a changed role takes effect at once.
 */
import { assertRouteAllowed, type Route } from '../domain/access';
import { NotAuthenticated } from '../domain/errors';
import { newToken } from '../domain/ids';
import { deleteSession, insertSession, touchSessionWithAccount, type SessionTouch, type SessionWithAccount } from '../store/sessions';
import { findAccount } from '../store/accounts';
import { findParty } from '../store/parties';
import type { Who } from '../store/as-who';
import type { Caller, Core } from './context';

export type SessionKind = 'api' | 'portal';

/**
 * A session token not read yet: the request's first statement reads it together with the request's
 * data (store/as-who.ts), and what it read is checked as `resolve` checks it before anything is answered.
 */
export interface PendingSession {
  token: string;
  kind: SessionKind;
  route: Route;
  sourceAddress: () => string;
}

/** Who a request acts for: a Caller already known (a DCC Identity token), or a session not read yet. */
export type Principal = Caller | PendingSession;

export const isPending = (principal: Principal): principal is PendingSession => 'token' in principal;

export class SessionService {
  constructor(private readonly core: Core) {}

  /** `grant`: the OAuth grant an access token belongs to, which ends with it (store/sessions.ts), and its app. */
  async create(
    accountId: string,
    kind: SessionKind,
    amr: string[],
    issuer: string | null = null,
    grant?: { id: string; clientId: string },
  ): Promise<string> {
    const token = newToken();
    const at = this.core.clock.now();
    const row = {
      account_id: accountId,
      kind,
      amr,
      last_seen_at: at,
      issuer,
      grant_id: grant?.id ?? null,
      client_id: grant?.clientId ?? null,
    };
    await insertSession(this.core.db, token, row);
    return token;
  }

  /** The person behind a session token, or NotAuthenticated; the request counts as the session's last. */
  async resolve(token: string, kind: SessionKind): Promise<Caller> {
    const touch = this.touchOf(token, kind);
    // Reading the session records this request as its last, in the same statement: idle time is exact.
    return this.checked(touch, token.length <= 100 ? await touchSessionWithAccount(this.core.db, touch) : undefined);
  }

  /** The principal as a Caller: a pending session is read (and its route checked) now. */
  async callerOf(principal: Principal): Promise<Caller> {
    if (!isPending(principal)) return principal;
    const caller = await this.resolve(principal.token, principal.kind);
    await this.assertRoute(caller, principal.route, principal.sourceAddress);
    return caller;
  }

  /** Who a statement runs as for this principal (store/as-who.ts); `callerFrom` then checks what it read. */
  whoOf(principal: Principal): Who {
    if (isPending(principal)) return { session: this.touchOf(principal.token, principal.kind) };
    const { partyId, accountId, username, roles } = principal;
    return { partyId, accountId, username, roles };
  }

  /** The Caller a statement run as `whoOf(principal)` found, checked as `callerOf` checks it: nothing is answered otherwise. */
  async callerFrom(principal: Principal, session: SessionWithAccount | undefined): Promise<Caller> {
    if (!isPending(principal)) return principal;
    const caller = await this.checked(this.touchOf(principal.token, principal.kind), session);
    if (principal.route !== 'gateway' && session) {
      const access = {
        gatewayConnected: session.gateway_connected,
        internetRegistered: session.internet_registered,
        internetCidrs: session.internet_cidrs,
      };
      assertRouteAllowed(access, principal.route, principal.sourceAddress());
    }
    return caller;
  }

  private touchOf(token: string, kind: SessionKind): SessionTouch {
    const now = this.core.clock.now();
    return { token, kind, now, activeSince: new Date(now.getTime() - this.core.config.session.idleMinutes * 60_000) };
  }

  /** A session as read by a touch: ended (and deleted) when idle or its account is not active. */
  private async checked(touch: SessionTouch, session: SessionWithAccount | undefined): Promise<Caller> {
    if (!session) throw new NotAuthenticated();
    if (session.last_seen_at.getTime() < touch.activeSince.getTime()) {
      await deleteSession(this.core.db, touch.token);
      throw new NotAuthenticated('Your session has ended after a period without activity. Sign in again.');
    }
    if (session.status !== 'active') {
      await deleteSession(this.core.db, touch.token);
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
