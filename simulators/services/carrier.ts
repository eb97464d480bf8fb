/** The FSM platform's HTTP client of the CH logistics simulator (or a real carrier integration). */
import { Unavailable } from '../domain/errors';
import type { ShipmentEvent } from '../domain/shipments';

export interface Carrier {
  register(shipment: { reference: string; kind: 'delivery' | 'return'; quantity: number; due_on: string }): Promise<void>;
  amend(reference: string, dueOn: string): Promise<void>;
  events(reference: string): Promise<ShipmentEvent[]>;
}

export class HttpCarrier implements Carrier {
  constructor(private readonly baseUrl: () => string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl()}/carrier${path}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(5_000),
      });
    } catch {
      throw unavailable();
    }
    if (!response.ok) throw unavailable();
    return ((await response.json()) as { result: T }).result;
  }

  async register(shipment: { reference: string; kind: 'delivery' | 'return'; quantity: number; due_on: string }): Promise<void> {
    await this.call('POST', '/shipments', shipment);
  }

  async amend(reference: string, dueOn: string): Promise<void> {
    await this.call('PATCH', `/shipments/${encodeURIComponent(reference)}`, { due_on: dueOn });
  }

  async events(reference: string): Promise<ShipmentEvent[]> {
    return (await this.call<{ events: ShipmentEvent[] }>('GET', `/shipments/${encodeURIComponent(reference)}`)).events;
  }
}

function unavailable(): Unavailable {
  return new Unavailable('The carrier cannot be reached just now', 'Tracking will show again when it answers; nothing you did was lost.');
}
