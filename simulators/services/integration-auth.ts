/**
 * ServiceNow's own ways in for a party's integrations (issue 17): HTTP Basic on each request, and
 * OAuth 2.0 at /oauth_token.do with a registered app (password and refresh_token grants;
 * client_credentials only when configured, as on ServiceNow). Both are for integration accounts
 * ("web service access only"): MFA guards interactive sign-in, which these accounts never do (README,
 * "Sign-in: ServiceNow's ways in"). Passwords go through PasswordProof, so guesses by any door count
 * towards the one lockout. An access token is an API session of its grant (sessions.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { DomainError, NotAuthenticated } from '../domain/errors';
import { newToken } from '../domain/ids';
import { findAccount, recordLoginSuccess, type Account } from '../store/accounts';
import { findOAuthApp, findOAuthToken, findRefreshToken, insertRefreshToken, revokeOAuthToken, type OAuthApp } from '../store/oauth';
import type { Caller, Core } from './context';
import { isLocked, PasswordProof } from './password-proof';
import type { SessionService } from './sessions';

/** A refusal in OAuth's shape (RFC 6749 section 5.2, as ServiceNow words it): `error` and `error_description`. */
export class OAuthRefusal extends DomainError {
  constructor(
    readonly oauthError: string,
    description: string,
    status = 401,
  ) {
    super('oauth', status, description);
  }
}

/** What ServiceNow answers for any credential it does not accept, whichever it was: it says nothing more. */
export const accessDenied = () => new OAuthRefusal('server_error', 'access_denied');

export interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  scope: 'useraccount';
  token_type: 'Bearer';
  expires_in: number;
}

const field = z.string().min(1).max(4096);
const TokenRequest = z.discriminatedUnion('grant_type', [
  z.object({ grant_type: z.literal('password'), client_id: field, client_secret: field, username: field, password: field }),
  z.object({ grant_type: z.literal('refresh_token'), client_id: field, client_secret: field, refresh_token: field }),
  z.object({ grant_type: z.literal('client_credentials'), client_id: field, client_secret: field }),
]);

const RevokeRequest = z.object({ token: field, client_id: field.optional(), client_secret: field.optional() });

const digest = (secret: string) => createHash('sha256').update(secret).digest();
const BASIC = /^Basic ([A-Za-z0-9+/]{1,2000}={0,2})$/;

export class IntegrationAuth {
  private readonly passwords: PasswordProof;

  constructor(
    private readonly core: Core,
    private readonly sessions: SessionService,
  ) {
    this.passwords = new PasswordProof(core);
  }

  /** The Caller an `Authorization: Basic` header proves, or NotAuthenticated; undefined when it is not Basic at all. */
  async basic(header: string | undefined): Promise<Caller | undefined> {
    const encoded = BASIC.exec(header ?? '')?.[1];
    if (encoded === undefined) return undefined;
    const pair = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    if (colon < 1) throw new NotAuthenticated();
    const account = await this.integrationAccount(pair.slice(0, colon), pair.slice(colon + 1));
    return callerOf(account);
  }

  /** POST /oauth_token.do, its form already read: an access token (and a refresh token) or an OAuthRefusal. */
  async token(form: unknown): Promise<TokenAnswer> {
    const grant = (form as { grant_type?: unknown } | undefined)?.grant_type;
    if (grant === 'client_credentials' && !this.core.config.oauth.clientCredentials)
      throw new OAuthRefusal('unsupported_grant_type', 'client_credentials is not enabled on this instance', 400);
    if (typeof grant === 'string' && !['password', 'refresh_token', 'client_credentials'].includes(grant))
      throw new OAuthRefusal('unsupported_grant_type', 'grant_type must be password or refresh_token', 400);
    const parsed = TokenRequest.safeParse(form);
    if (!parsed.success) throw accessDenied();
    const input = parsed.data;
    const app = await this.app(input.client_id, input.client_secret);
    if (input.grant_type === 'password') {
      const account = await this.integrationAccount(input.username, input.password).catch(() => {
        throw accessDenied();
      });
      if (account.party_id !== app.party_id) throw accessDenied();
      return this.issue(app, account, newToken());
    }
    if (input.grant_type === 'refresh_token') {
      const held = await findRefreshToken(this.core.db, input.refresh_token.slice(0, 100));
      if (!held || held.client_id !== app.client_id || held.expires_at <= this.core.clock.now()) throw accessDenied();
      const account = await this.activeIntegration(held.account_id);
      const access_token = await this.sessions.create(account.id, 'api', ['pwd'], null, { id: held.grant_id, clientId: app.client_id });
      return { ...this.answer(access_token), refresh_token: input.refresh_token };
    }
    const account = app.user_id ? await this.activeIntegration(app.user_id) : undefined;
    if (!account || account.party_id !== app.party_id) throw accessDenied();
    return this.answer(await this.sessions.create(account.id, 'api', ['pwd'], null, { id: newToken(), clientId: app.client_id }));
  }

  /**
   * POST /oauth_revoke_token.do: the token (an access or refresh token) is expired at once; a refresh
   * token takes its grant's access tokens with it (RFC 7009 section 2.1). As ServiceNow documents, the
   * token itself is the proof; an app that names itself must be the one the token was issued to, or
   * nothing is revoked. An unknown token is no error (RFC 7009 section 2.2).
   */
  async revoke(form: unknown): Promise<void> {
    const parsed = RevokeRequest.safeParse(form);
    if (!parsed.success) throw new OAuthRefusal('invalid_request', 'token is required (an access or refresh token)', 400);
    const { token, client_id, client_secret } = parsed.data;
    if ((client_id === undefined) !== (client_secret === undefined)) throw accessDenied();
    const app = client_id && client_secret ? await this.app(client_id, client_secret) : undefined;
    const held = token.length <= 100 ? await findOAuthToken(this.core.db, token) : undefined;
    if (!held) return;
    if (app && app.client_id !== held.client_id) throw accessDenied();
    await revokeOAuthToken(this.core.db, token, held);
  }

  private answer(access_token: string): TokenAnswer {
    return { access_token, scope: 'useraccount', token_type: 'Bearer', expires_in: this.core.config.session.idleMinutes * 60 };
  }

  private async issue(app: OAuthApp, account: Account, grantId: string): Promise<TokenAnswer> {
    const refresh_token = newToken();
    const expires_at = new Date(this.core.clock.now().getTime() + this.core.config.oauth.refreshTokenDays * 86_400_000);
    await insertRefreshToken(this.core.db, refresh_token, {
      grant_id: grantId,
      client_id: app.client_id,
      account_id: account.id,
      expires_at,
    });
    const access_token = await this.sessions.create(account.id, 'api', ['pwd'], null, { id: grantId, clientId: app.client_id });
    return { ...this.answer(access_token), refresh_token };
  }

  /** The registered app these credentials name; a wrong id or secret is one refusal (the secret's hash is compared in constant time). */
  private async app(clientId: string, secret: string): Promise<OAuthApp> {
    const app = clientId.length <= 64 ? await findOAuthApp(this.core.db, clientId) : undefined;
    const expected = app ? Buffer.from(app.secret_hash, 'hex') : digest('');
    if (!timingSafeEqual(digest(secret), expected) || !app) throw accessDenied();
    return app;
  }

  /** A proven password of an active integration account; any other account is refused as a wrong password is. */
  private async integrationAccount(username: string, password: string): Promise<Account> {
    const account = await this.passwords.prove(username, password).catch(() => {
      throw new NotAuthenticated();
    });
    if (!account.web_service_access_only || account.password_must_change) throw new NotAuthenticated();
    await recordLoginSuccess(this.core.db, account.id);
    return account;
  }

  private async activeIntegration(accountId: string): Promise<Account> {
    const account = await findAccount(this.core.db, accountId);
    if (!account || account.status !== 'active' || !account.web_service_access_only || isLocked(account, this.core.clock.now()))
      throw accessDenied();
    return account;
  }
}

/** The hash a registered app's secret is kept as. */
export const secretHash = (secret: string): string => digest(secret).toString('hex');

const callerOf = (account: Account): Caller => ({
  accountId: account.id,
  partyId: account.party_id,
  username: account.username,
  roles: account.roles,
  amr: ['pwd'],
});
