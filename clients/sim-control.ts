/** A typed client of a simulator's control API (`/__sim`): reset, onboarding, clock and journal. */
import type { ClockState } from '../simulators/domain/clock';
import type { JournalEntry } from '../simulators/http/journal';
import { resultOf, send } from './http';

// The wire types are the simulator's own (type-only imports: nothing of the simulator loads here).
export type { ClockState, JournalEntry };

export interface PartyRequest {
  name: string;
  userRoles: string[];
  userIds?: string[];
  regions: string[];
  gatewayConnected: boolean;
  internetCidrs?: string[];
  administrator: { email: string; name: string };
}

export interface OnboardedParty {
  party: { id: string; name: string; userRoles: string[]; regions: string[]; gatewayConnected: boolean };
  administrator: { sysId: string; username: string; oneTimePassword: string; expiresAt: string; roles: string[] };
}

export class SimControlClient {
  constructor(private readonly baseUrl: string) {}

  private url(path: string): string {
    return `${this.baseUrl}/__sim${path}`;
  }

  async reset(): Promise<void> {
    resultOf(await send('POST', this.url('/reset'), { json: {} }), 200, 'Resetting the simulator');
  }

  async onboardParty(request: PartyRequest): Promise<OnboardedParty> {
    return resultOf(await send('POST', this.url('/parties'), { json: request }), 201, `Onboarding party ${request.name}`);
  }

  async clock(): Promise<ClockState> {
    return resultOf(await send('GET', this.url('/clock')), 200, 'Reading the simulated clock');
  }

  async changeClock(change: { set?: string; advance?: string; freeze?: boolean }): Promise<ClockState> {
    return resultOf(await send('POST', this.url('/clock'), { json: change }), 200, 'Changing the simulated clock');
  }

  async journal(options: { since?: number; limit?: number } = {}): Promise<JournalEntry[]> {
    const query = new URLSearchParams(Object.entries(options).map(([k, v]) => [k, String(v)]));
    return resultOf(await send('GET', this.url(`/journal?${query}`)), 200, 'Reading the request journal');
  }
}
