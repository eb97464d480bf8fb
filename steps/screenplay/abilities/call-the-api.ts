/**
 * The ability to call the platform's REST API as one person's integration does: the Table API and
 * DCC's own APIs, with the access token this person signed in for (a fresh ability is a fresh
 * session). It signs in by the simulator's login API, or, as on a real platform, by OAuth at
 * /oauth_token.do with the party's OAuth app: then the login API is never called, and a task that
 * needs it (an interactive sign-in, MFA enrolment) is skipped. The tasks are each capability's via-api.ts.
 */
import type { DccApiPaths } from '../../../clients/dcc-apis';
import { FsmApiClient } from '../../../clients/fsm-api';
import type { ApiResponse, RequestOptions } from '../../../clients/http';
import { harnessMessage } from '../../../clients/messages';
import type { OidcClientRegistration } from '../../../clients/oidc-sign-in';
import { passwordGrant, type OAuthApp } from '../../../clients/servicenow-oauth';
import { NotOnTarget } from '../../support/not-on-target';

/** Registers the harness as an OpenID Connect client of a DCC Identity tenant (needs the simulator's control API). */
export type ClientRegistrar = (tenant: string, redirectUri: string) => Promise<OidcClientRegistration>;

/** How the API signs in: the simulator's login API, or OAuth with the party's app (absent: a person the target gives none). */
export type ApiSignIn = { kind: 'login' } | { kind: 'oauth'; app: OAuthApp | undefined };

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

  constructor(baseUrl: string, options: CallTheApiOptions) {
    super(baseUrl, options.headers ?? {}, options.paths);
    this.registerClient = options.registerClient;
    this.signInWay = options.signIn ?? { kind: 'login' };
  }

  override async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    if (this.signInWay.kind === 'oauth' && path.startsWith(`${this.paths.login}/`))
      throw new NotOnTarget(
        harnessMessage(
          `Not available with OAuth sign-in: this step needs the simulator's interactive login API (${this.paths.login}), which a real platform does not have. It runs with "signIn": "login" against the simulator.`,
        ),
      );
    return super.request<T>(method, path, options);
  }

  /** Signs in by OAuth's password grant with the party's app and an integration account; the platform's answer. */
  async signInByOAuth(username: string, password: string): Promise<ApiResponse<unknown>> {
    const { signInWay } = this;
    if (signInWay.kind !== 'oauth' || !signInWay.app)
      throw new NotOnTarget(harnessMessage('Not available with this sign-in: the target file gives no OAuth app for this person.'));
    const response = await passwordGrant(this.baseUrl, signInWay.app, username, password);
    if (response.status === 200) this.useToken(response.body.access_token);
    return response;
  }
}
