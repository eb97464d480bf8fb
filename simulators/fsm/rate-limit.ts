/**
 * ServiceNow's rate limit headers on the REST API's answers (X-RateLimit-Limit, -Remaining, -Reset,
 * -Rule), and 429 with Retry-After beyond the limit. Mounted after authentication, and only when a
 * limit is configured: otherwise a request costs nothing more.
 */
import type { RequestHandler } from 'express';
import { RATE_LIMIT_RULE, TooManyRequests } from '../domain/rate-limit';
import type { RateLimits } from '../services/rate-limits';
import { principalOf } from './authenticate';

export function rateLimited(limits: RateLimits): RequestHandler {
  return async (_req, res, next) => {
    const state = await limits.count(principalOf(res));
    if (!state) return next();
    res.setHeader('X-RateLimit-Limit', String(state.limit));
    res.setHeader('X-RateLimit-Remaining', String(state.remaining));
    res.setHeader('X-RateLimit-Reset', String(state.reset));
    res.setHeader('X-RateLimit-Rule', RATE_LIMIT_RULE);
    if (!state.exceeded) return next();
    res.setHeader('Retry-After', String(state.retryAfter));
    throw new TooManyRequests(state);
  };
}
