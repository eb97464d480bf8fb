/**
 * The ability to call the platform's REST API as one person's integration does: the Table API and
 * DCC's own APIs, with the access token this person signed in for (a fresh ability is a fresh
 * session). It signs in by the simulator's login API, or, as on a real platform, for a bearer token
 * (clients/bearer.ts): by OAuth at /oauth_token.do with the party's OAuth app, or through DCC Identity
 * in a browser (entra-way.ts). Then the login API is never called, and a task that needs it (an
 * interactive sign-in, MFA enrolment) is skipped. The tasks are each capability's via-api.ts.
 */
import { BearerSession, type HeldTokens, type SigningIn, type TokenOutcome, type TokenWay } from '../../../clients/bearer';
import type { DccApiPaths } from '../../../clients/dcc-apis';
import { FsmApiClient } from '../../../clients/fsm-api';
import type { ApiResponse, RequestOptions } from '../../../clients/http';
import { harnessMessage } from '../../../clients/messages';
import type { OidcClientRegistration } from '../../../clients/oidc-sign-in';
import { NotOnTarget } from '../../support/not-on-target';

/** Registers the harness as an OpenID Connect client of a DCC Identity tenant (needs the simulator's control API). */
export type ClientRegistrar = (tenant: string, redirectUri: string) => Promise<OidcClientRegistration>;

/**
 * How the API signs in: the simulator's login API, or for a token by a way a real platform offers
 * (absent: a person the target gives none), keeping each person's tokens in `held` (the worker's).
 */
export type ApiSignIn = { kind: 'login' } | { kind: 'token'; way: TokenWay | undefined; held: HeldTokens };

export interface CallTheApiOptions {
  registerClient: ClientRegistrar;
  /** Go with every request: X-Forwarded-For stands in for a source address on the internet route. */
  headers?: Record<string, string>;
  paths?: Readonly<DccApiPaths>;
  signIn?: ApiSignIn;
}

export class CallTheApi extends FsmApiClient {
  readonly registerClient: ClientRegistrar;
  readonly signInWay: ApiSignIn;
  private session: BearerSession | undefined;

  constructor(baseUrl: string, options: CallTheApiOptions) {
    super(baseUrl, options.headers ?? {}, options.paths);
    this.registerClient = options.registerClient;
    this.signInWay = options.signIn ?? { kind: 'login' };
  }

  override async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    if (this.signInWay.kind === 'token' && path.startsWith(`${this.paths.login}/`))
      throw new NotOnTarget(
        harnessMessage(
          `Not available when the API signs in as on a real platform (${this.signInWay.way?.name ?? 'for a token'}): this step needs the simulator's interactive login API (${this.paths.login}), which a real platform does not have. It runs with "signIn": "login" against the simulator.`,
        ),
      );
    if (this.session) this.useToken(await this.session.bearer());
    return super.request<T>(method, path, options);
  }

  /** Signs in for a token by the target's way (OAuth, or DCC Identity); the refusal, if any, for the caller to judge. */
  async signInForToken(person: SigningIn): Promise<TokenOutcome> {
    const { signInWay } = this;
    if (signInWay.kind !== 'token' || !signInWay.way)
      throw new NotOnTarget(harnessMessage('Not available with this sign-in: the target file gives no way for this person to sign in.'));
    const session = new BearerSession(signInWay.way, person, signInWay.held);
    const outcome = await session.open();
    if (outcome.ok) {
      this.session = session;
      this.useToken(outcome.value.accessToken);
    }
    return outcome;
  }
}
