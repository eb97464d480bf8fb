/**
 * How an API ability gets its bearer, whatever the way a real platform offers (OAuth at
 * /oauth_token.do, or DCC Identity's authorization code flow in a browser): a way signs a person in
 * for tokens and renews them with the refresh token; a BearerSession keeps them and renews them
 * before they expire, signing in again only when there is no refresh token or it is refused. The
 * worker keeps each person's newest tokens (HeldTokens), so a later scenario's session starts from the
 * refresh token rather than a new sign-in: as an integration would, and as an authenticator app
 * allows (a TOTP code is good once, so a person cannot sign in twice in one 30-second step).
 */
import { harnessMessage } from './messages';
import type { PromptAnswerer } from './login-answers';

export interface Tokens {
  accessToken: string;
  refreshToken?: string;
  /** When the access token expires, in ms since the epoch. */
  expiresAt: number;
}

export type TokenOutcome = { ok: true; value: Tokens } | { ok: false; status: number; message: string };

/** Who signs in, and how they answer what the sign-in asks (their TOTP code, say). */
export interface SigningIn {
  username: string;
  password: string;
  answer: PromptAnswerer;
}

export interface TokenWay {
  /** For messages, and to keep one way's tokens apart from another's: "OAuth at https://...". */
  readonly name: string;
  signIn(person: SigningIn): Promise<TokenOutcome>;
  refresh(refreshToken: string): Promise<TokenOutcome>;
}

/** Each person's newest tokens, by way and username: one per worker. */
export type HeldTokens = Map<string, Tokens>;

/** Renewed this long before the access token expires, so that no request carries one that expires on the way. */
const RENEW_BEFORE_MS = 30_000;

/** The tokens of a token endpoint's answer (RFC 6749 §5.1), with the time they expire. */
export function tokensOf(answer: { access_token: string; refresh_token?: string; expires_in?: number }, now = Date.now()): Tokens {
  return {
    accessToken: answer.access_token,
    ...(answer.refresh_token ? { refreshToken: answer.refresh_token } : {}),
    expiresAt: now + (answer.expires_in ?? 3600) * 1000,
  };
}

export class BearerSession {
  private tokens: Tokens | undefined;

  constructor(
    private readonly way: TokenWay,
    private readonly person: SigningIn,
    private readonly held: HeldTokens,
    private readonly now: () => number = Date.now,
  ) {}

  private get key(): string {
    return `${this.way.name}\n${this.person.username}`;
  }

  /** Signs in: by the refresh token the worker holds for this person, else in full; a refusal of the full sign-in is returned. */
  async open(): Promise<TokenOutcome> {
    const outcome = (await this.renewed()) ?? (await this.way.signIn(this.person));
    if (outcome.ok) this.keep(outcome.value);
    return outcome;
  }

  /** The access token to send now (renewed first when it is about to expire); none before open(). */
  async bearer(): Promise<string | undefined> {
    if (!this.tokens) return undefined;
    if (this.now() < this.tokens.expiresAt - RENEW_BEFORE_MS) return this.tokens.accessToken;
    const outcome = (await this.renewed()) ?? (await this.way.signIn(this.person));
    if (!outcome.ok)
      throw new Error(
        harnessMessage(
          `${this.person.username}'s access token expired, and signing in again (${this.way.name}) was refused: HTTP ${outcome.status}: ${outcome.message}`,
        ),
      );
    this.keep(outcome.value);
    return outcome.value.accessToken;
  }

  /** New tokens by the refresh token held for this person, or undefined when there is none or it was refused. */
  private async renewed(): Promise<TokenOutcome | undefined> {
    const refreshToken = this.held.get(this.key)?.refreshToken;
    if (!refreshToken) return undefined;
    const outcome = await this.way.refresh(refreshToken);
    if (!outcome.ok) {
      this.held.delete(this.key);
      return undefined;
    }
    // A server that does not rotate refresh tokens answers without one: the old one still holds.
    return { ok: true, value: { refreshToken, ...outcome.value } };
  }

  private keep(tokens: Tokens): void {
    this.tokens = tokens;
    this.held.set(this.key, tokens);
  }
}
