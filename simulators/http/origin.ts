/**
 * A simulator's origin, and the one forwarded header it trusts. Every absolute URL a simulator gives
 * out (Table API links and Location, DCC Identity's issuer, discovery document and redirects, the
 * portal's redirect URIs) is built from the origin of the listener that answered, the URL printed at
 * start, never from the request: each server's requests go through `servedAt` before any app sees them,
 * which answers them as that origin whatever Host, X-Forwarded-Host, X-Forwarded-Proto, Forwarded or
 * absolute-form request target they carried. X-Forwarded-For is the one forwarded header kept: it gives
 * `req.ip` (the internet route's allowlist), trusted only from a loopback peer (TRUSTED_PROXIES).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { Request } from 'express';
import { InvalidInput } from '../domain/errors';
import { harnessMessage } from '../../clients/messages';

/** Express's `trust proxy`: X-Forwarded-For is read from loopback peers only, so `req.ip` is its rightmost address that is not loopback. */
export const TRUSTED_PROXIES = 'loopback';

/** Headers that would name another origin or scheme; removed so that no app or library can reflect them. */
const UNTRUSTED = ['x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-forwarded-prefix', 'forwarded'];

const ORIGIN = Symbol('fsm-harness origin');
type Served = IncomingMessage & { [ORIGIN]?: string };

/**
 * The request listener of a server at `url`: each request is answered as that origin. Its Host becomes
 * the origin's host, the forwarded headers that could name another are dropped, and an absolute-form
 * target (`GET http://elsewhere/path`) becomes its path, as RFC 9112 §3.2.2 lets an origin server do.
 */
export function servedAt(url: string, listener: RequestListener): RequestListener {
  const { origin, host, protocol } = new URL(url);
  if (protocol !== 'http:' && protocol !== 'https:')
    throw new Error(harnessMessage(`A simulator's origin must be http or https, not ${url}`));
  return (req: Served, res: ServerResponse) => {
    req[ORIGIN] = origin;
    req.headers.host = host;
    for (const name of UNTRUSTED) delete req.headers[name];
    if (req.url && !req.url.startsWith('/') && req.url !== '*') req.url = originForm(req.url);
    listener(req, res);
  };
}

/** The origin of the listener that received `req`, for absolute URLs in its answer. */
export function originOf(req: IncomingMessage): string {
  const origin = (req as Served)[ORIGIN];
  if (origin === undefined)
    throw new Error(harnessMessage('The request did not come through servedAt(): start the app with simulators/start.ts.'));
  return origin;
}

/**
 * Where the request came from (`req.ip`: see TRUSTED_PROXIES). A forwarded address that is not an IP
 * address is the proxy's mistake, refused without being echoed.
 */
export function sourceAddress(req: Request): string {
  const ip = req.ip ?? '';
  if (isIP(ip) === 0)
    throw new InvalidInput(
      'X-Forwarded-For names a source that is not an IP address',
      'A proxy appends the address its client connected from, such as 203.0.113.9.',
    );
  return ip;
}

function originForm(target: string): string {
  // Node's parser lets through only targets that parse as URLs; one without a path (`x://host`) is the root.
  const url = URL.canParse(target) ? new URL(target) : undefined;
  return url?.pathname.startsWith('/') ? `${url.pathname}${url.search}` : '/';
}
