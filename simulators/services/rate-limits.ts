/**
 * Inbound REST API rate limiting (issue 17), off unless `rateLimit.perUserPerHour` is configured:
 * each request of an authenticated user counts in the database (store/rate-limits.ts), and the answer
 * says how many are left; beyond the limit, 429 (domain/rate-limit.ts).
 */
import { rateState, rateWindow, type RateState } from '../domain/rate-limit';
import { countRequest, type Counted } from '../store/rate-limits';
import type { Core } from './context';
import { isPending, type Principal } from './sessions';

export class RateLimits {
  constructor(private readonly core: Core) {}

  /** Whether requests are limited at all: when not, nothing is counted (and nothing costs). */
  get enabled(): boolean {
    return this.core.config.rateLimit.perUserPerHour !== null;
  }

  /** Counts this request for its user; undefined when no user is known (the request is refused as unauthenticated anyway). */
  async count(principal: Principal): Promise<RateState | undefined> {
    const limit = this.core.config.rateLimit.perUserPerHour;
    if (limit === null) return undefined;
    const now = this.core.clock.now();
    if (isPending(principal) && principal.token.length > 100) return undefined;
    const who: Counted = isPending(principal) ? { token: principal.token } : { accountId: principal.accountId };
    const count = await countRequest(this.core.db, who, rateWindow(now).start);
    return count === undefined ? undefined : rateState(limit, count, now);
  }
}
