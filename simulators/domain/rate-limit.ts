/**
 * ServiceNow's inbound REST API rate limiting, as its documentation describes it: a rule allows each
 * user a number of requests an hour; every answer the rule matches says the limit, when the hour's
 * count resets (a UNIX time) and the rule's sys_id; beyond the limit the answer is 429 with
 * Retry-After, the seconds until then. The hour is the clock's hour, so a test moves the clock.
 */
import { DomainError } from './errors';

const HOUR_MS = 3_600_000;

/** The sys_id the simulator's one rule answers as X-RateLimit-Rule (it has no sys_rate_limit_rules table). */
export const RATE_LIMIT_RULE = '5f1a9e0c2b7d4c3e8a6b0d9f1e2c3a4b';

/** The hour a request falls in: counts are per user and per hour. */
export function rateWindow(now: Date): { start: Date; end: Date } {
  const start = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  return { start: new Date(start), end: new Date(start + HOUR_MS) };
}

export interface RateState {
  limit: number;
  remaining: number;
  /** UNIX time (seconds) at which the hour's count resets. */
  reset: number;
  /** Seconds from now until then, at least 1. */
  retryAfter: number;
  exceeded: boolean;
}

/** What a request that is the `count`th of its user's hour may be told, and whether it is refused. */
export function rateState(limit: number, count: number, now: Date): RateState {
  const { end } = rateWindow(now);
  return {
    limit,
    remaining: Math.max(0, limit - count),
    reset: Math.floor(end.getTime() / 1000),
    retryAfter: Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000)),
    exceeded: count > limit,
  };
}

/** 429, in ServiceNow's error shape. */
export class TooManyRequests extends DomainError {
  constructor(state: RateState) {
    super(
      'rate_limited',
      429,
      'Rate limit exceeded',
      `This user may make ${state.limit} REST API requests an hour. Try again in ${state.retryAfter} seconds (Retry-After).`,
    );
  }
}
