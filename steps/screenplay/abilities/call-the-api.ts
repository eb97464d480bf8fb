/**
 * The ability to call the platform's REST API as one person's integration does: the login API, the
 * Table API and DCC's own APIs, with the access token this person signed in for (a fresh ability is
 * a fresh session). The tasks that use it are each capability's via-api.ts.
 */
import { FsmApiClient } from '../../../clients/fsm-api';
import type { OidcClientRegistration } from '../../../clients/oidc-sign-in';

/** Registers the harness as an OpenID Connect client of a DCC Identity tenant (needs the simulator's control API). */
export type ClientRegistrar = (tenant: string, redirectUri: string) => Promise<OidcClientRegistration>;

export class CallTheApi extends FsmApiClient {
  /** `headers` go with every request: X-Forwarded-For stands in for a source address on the internet route. */
  constructor(
    baseUrl: string,
    readonly registerClient: ClientRegistrar,
    headers: Record<string, string> = {},
  ) {
    super(baseUrl, headers);
  }
}
