/** A typed client of a simulator's control API (`/__sim`): reset, onboarding, clock and journal. */
import type { ClockState } from '../simulators/domain/clock';
import type { JournalEntry } from '../simulators/http/journal';
import type { TimeSource } from './authenticator';
import { resultOf, send } from './http';

// The wire types are the simulator's own (type-only imports: nothing of the simulator loads here).
export type { ClockState, JournalEntry };

export interface MailMessage {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  receivedAt: string;
}

export interface PartyRequest {
  name: string;
  userRoles: string[];
  userIds?: string[];
  regions: string[];
  gatewayConnected: boolean;
  internetCidrs?: string[];
  internetRegistered?: boolean;
  /** The party's file-signing public key (ECDSA P-256, PEM). */
  signingKey?: string;
  administrator: { email: string; name: string; identityPath?: 'entra' | 'local' };
}

export interface OnboardedParty {
  party: { id: string; name: string; userRoles: string[]; userIds: string[]; regions: string[]; gatewayConnected: boolean };
  administrator: { sysId: string; username: string; oneTimePassword: string; expiresAt: string; roles: string[] };
  /** The party's OAuth app (ServiceNow's application registry), for /oauth_token.do. */
  oauthApp?: OAuthAppCredentials;
}

export interface OAuthAppCredentials {
  name: string;
  client_id: string;
  client_secret: string;
}

export class SimControlClient {
  constructor(private readonly baseUrl: string) {}

  private url(path: string): string {
    return `${this.baseUrl}/__sim${path}`;
  }

  /** Every simulator's URL and the identity provider's issuers by tenant. */
  async urls(): Promise<{ fsm: string; fsmInternet: string; idp: string; idpIssuers: Record<string, string> }> {
    return resultOf(await send('GET', this.url('/urls')), 200, 'Reading the simulator URLs');
  }

  async registerIdpClient(
    idpUrl: string,
    request: {
      tenant: string;
      redirect_uris: string[];
      post_logout_redirect_uris?: string[];
      /** `none`: a public client (a native app), with no secret. */
      token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'none';
    },
  ): Promise<{ client_id: string; client_secret: string; issuer: string }> {
    return resultOf(await send('POST', `${idpUrl}/__sim/clients`, { json: request }), 201, 'Registering a client with DCC Identity');
  }

  /** DCC's service desk works an incident: state, on_hold_reason, close_notes, comments, work_notes. */
  async serviceDesk(incidentSysId: string, change: Record<string, unknown>): Promise<{ number: string; state: string }> {
    return resultOf(
      await send('POST', this.url(`/incidents/${encodeURIComponent(incidentSysId)}`), { json: change }),
      200,
      'The service desk changing an incident',
    );
  }

  async requestDesk(
    itemSysId: string,
    change: { state: 'fulfilled' | 'closed' | 'rejected'; reason?: string },
  ): Promise<{ number: string; state: string }> {
    return resultOf(
      await send('POST', this.url(`/requests/${encodeURIComponent(itemSysId)}`), { json: change }),
      200,
      'The service desk changing a request item',
    );
  }

  async raiseQuarantine(partyId: string, description: string): Promise<{ sys_id: string; number: string }> {
    return resultOf(
      await send('POST', this.url('/quarantine'), { json: { party_id: partyId, description } }),
      201,
      'DCC raising a quarantine incident',
    );
  }

  /** Imports a DSMS export (ACC-04) for a party. */
  async importDsmsExport(
    exportBody: Record<string, unknown>,
  ): Promise<{ batch: string; accountsAdded: number; accountsUpdated: number; ticketsAdded: number }> {
    return resultOf(await send('POST', this.url('/migrations'), { json: exportBody }), 201, 'Importing a DSMS export');
  }

  async decideOrder(orderSysId: string, decision: 'approve' | 'reject', reason?: string): Promise<{ state: string }> {
    return resultOf(
      await send('POST', this.url(`/oms/orders/${encodeURIComponent(orderSysId)}`), { json: { decision, ...(reason ? { reason } : {}) } }),
      200,
      'DCC deciding a tolerance exception',
    );
  }

  async installDevices(partyId: string, variant: string, deviceIds: string[]): Promise<void> {
    resultOf(
      await send('POST', this.url('/oms/devices'), { json: { party_id: partyId, variant, device_ids: deviceIds } }),
      201,
      'Installing hubs for a party',
    );
  }

  /** Makes the carrier fail, delay (by working days) or reject a shipment, at the logistics simulator. */
  async carrierFault(logisticsUrl: string, reference: string, kind: 'delay' | 'fail' | 'reject', days?: number): Promise<void> {
    resultOf(
      await send('POST', `${logisticsUrl}/__sim/faults`, { json: { reference, kind, ...(days ? { days } : {}) } }),
      201,
      'Setting a carrier fault',
    );
  }

  async reset(): Promise<void> {
    resultOf(await send('POST', this.url('/reset'), { json: {} }), 200, 'Resetting the simulator');
  }

  async onboardParty(request: PartyRequest): Promise<OnboardedParty> {
    return resultOf(await send('POST', this.url('/parties'), { json: request }), 201, `Onboarding party ${request.name}`);
  }

  /** An integration (web-service only) account of the party, with its password. */
  async addIntegrationUser(request: { party_id: string; user_name: string; name: string; roles: string[] }) {
    return resultOf<{ sys_id: string; user_name: string; password: string }>(
      await send('POST', this.url('/integration-users'), { json: request }),
      201,
      `Adding integration user ${request.user_name}`,
    );
  }

  /** Another OAuth app of the party (its secret is shown once). */
  async addOAuthApp(request: { party_id: string; name: string; user_id?: string }): Promise<OAuthAppCredentials> {
    return resultOf(await send('POST', this.url('/oauth-apps'), { json: request }), 201, `Registering OAuth app ${request.name}`);
  }

  async clock(): Promise<ClockState> {
    return resultOf(await send('GET', this.url('/clock')), 200, 'Reading the simulated clock');
  }

  async changeClock(change: { set?: string; advance?: string; freeze?: boolean }): Promise<ClockState> {
    return resultOf(await send('POST', this.url('/clock'), { json: change }), 200, 'Changing the simulated clock');
  }

  async setPartyAccess(
    partyId: string,
    access: { gatewayConnected?: boolean; internetRegistered?: boolean; internetCidrs?: string[]; signingKey?: string | null },
  ): Promise<void> {
    resultOf(
      await send('PATCH', this.url(`/parties/${encodeURIComponent(partyId)}`), { json: access }),
      200,
      'Changing the access routes of a party',
    );
  }

  /** Mail delivered to an address, newest first. */
  async mailbox(to: string): Promise<MailMessage[]> {
    return resultOf(await send('GET', this.url(`/mailbox?to=${encodeURIComponent(to)}`)), 200, `Reading the mailbox of ${to}`);
  }

  /** The simulated clock as an authenticator app's time source. */
  timeSource(): TimeSource {
    return {
      now: async () => new Date((await this.clock()).now),
      pass: async (ms) => void (await this.changeClock({ advance: `PT${Math.ceil(ms / 1000)}S` })),
    };
  }

  async journal(options: { since?: number; limit?: number } = {}): Promise<JournalEntry[]> {
    const query = new URLSearchParams(Object.entries(options).map(([k, v]) => [k, String(v)]));
    return resultOf(await send('GET', this.url(`/journal?${query}`)), 200, 'Reading the request journal');
  }
}
