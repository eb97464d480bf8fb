/**
 * The security headers of every server-rendered page (the portal and DCC Identity's sign-in pages):
 * no framing, no sniffing, no referrer, no caching, scripts from nowhere. One rule for both, so a
 * page that shows a password field or an authenticator key is never framed or cached.
 */
import type { RequestHandler } from 'express';

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy':
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' http: https:; frame-ancestors 'none'; base-uri 'none'",
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  next();
};
