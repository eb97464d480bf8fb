/**
 * What an action on the platform came to: its value, or the platform's refusal. A refusal is an
 * Outcome, not an exception, so that a scenario can assert on it; a read never gives one: it throws
 * (resultOf, or the portal's page checks), so that an error is never taken for an empty answer.
 */
import { platformSaid, type ApiResponse } from '../../clients/http';

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

export type Refusal = Extract<Outcome<unknown>, { ok: false }>;

/** The platform's refusal of an API call, in its own words. */
export function refusalOf(response: ApiResponse): Refusal {
  return { ok: false, status: response.status, message: platformSaid(response) };
}

/** What `read` makes of the answer when it has the expected status, else the refusal. */
export function outcomeOf<B, T>(response: ApiResponse<B>, expected: number, read: (body: B) => T): Outcome<T> {
  return response.status === expected ? { ok: true, value: read(response.body) } : refusalOf(response);
}
