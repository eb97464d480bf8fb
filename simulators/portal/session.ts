/**
 * The portal's side of sessions: a cookie carrying a platform session token (kind `portal`), a CSRF
 * token bound to it (or, before sign-in, to a random pre-session cookie) and one-shot status
 * messages. A sign-in always issues a new token, so a token planted before sign-in (session
 * fixation) is worth nothing.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Route } from '../domain/access';
import { DomainError, NotAuthenticated } from '../domain/errors';
import { sourceAddress } from '../http/origin';
import type { RoleCatalogue } from '../domain/roles';
import type { Caller } from '../services/context';
import type { SessionService } from '../services/sessions';
import type { Viewer } from './layout';
import { spPaths } from './sp-paths';

const SESSION_COOKIE = 'fsm_portal';
const PRE_COOKIE = 'fsm_pre';
const FLASH_COOKIE = 'fsm_flash';
// Path=/ because the pages live at /{prefix} and the forms at /portal; the API reads bearer tokens, never this cookie.
const COOKIE_ATTRS = 'Path=/; HttpOnly; SameSite=Lax';

/** The request's cookies by name: a Map, as the names are the browser's (or an attacker's) to choose. */
export function cookies(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out.set(part.slice(0, at).trim(), decoded(part.slice(at + 1).trim()));
  }
  return out;
}

/** A cookie value as set (percent-encoded); one that does not decode is kept as sent, as the `cookie` package does, and matches nothing. */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function setCookie(res: Response, name: string, value: string, maxAgeSeconds?: number): void {
  const age = maxAgeSeconds === undefined ? '' : `; Max-Age=${maxAgeSeconds}`;
  res.append('Set-Cookie', `${name}=${encodeURIComponent(value)}; ${COOKIE_ATTRS}${age}`);
}

export class PortalSessions {
  private readonly key = randomBytes(32);

  constructor(
    private readonly sessions: SessionService,
    private readonly roles: RoleCatalogue,
    private readonly route: Route,
    /** The Service Portal's URL suffix (config.portal.prefix), for the pages' links. */
    private readonly prefix: string,
  ) {}

  csrfOf(seed: string): string {
    return createHmac('sha256', this.key).update(seed).digest('base64url');
  }

  /** The CSRF token for a form: bound to the session when there is one, else to a pre-session cookie. */
  formCsrf(req: Request, res: Response): string {
    const session = cookies(req).get(SESSION_COOKIE);
    if (session) return this.csrfOf(session);
    let seed = cookies(req).get(PRE_COOKIE);
    if (!seed || !/^[A-Za-z0-9_-]{20,64}$/.test(seed)) {
      seed = randomBytes(24).toString('base64url');
      setCookie(res, PRE_COOKIE, seed);
    }
    return this.csrfOf(seed);
  }

  /** Refuses a form whose token does not match the session (or pre-session) it came from. */
  checkCsrf(req: Request): void {
    const jar = cookies(req);
    const seed = jar.get(SESSION_COOKIE) ?? jar.get(PRE_COOKIE);
    const sent = (req.body as Record<string, unknown> | undefined)?.csrf;
    const expected = seed ? this.csrfOf(seed) : '';
    if (
      !seed ||
      typeof sent !== 'string' ||
      sent.length !== expected.length ||
      !timingSafeEqual(Buffer.from(sent), Buffer.from(expected))
    ) {
      throw new DomainError('csrf', 403, 'This form has expired', 'Go back, reload the page and try again.');
    }
  }

  async signIn(res: Response, accountId: string, amr: string[], issuer: string | null = null): Promise<void> {
    const token = await this.sessions.create(accountId, 'portal', amr, issuer);
    setCookie(res, SESSION_COOKIE, token);
  }

  async signOut(req: Request, res: Response): Promise<void> {
    const token = cookies(req).get(SESSION_COOKIE);
    if (token) await this.sessions.end(token);
    setCookie(res, SESSION_COOKIE, '', 0);
  }

  /** The person behind the session cookie, or NotAuthenticated (which the portal answers with the sign-in page). */
  async caller(req: Request): Promise<{ caller: Caller; viewer: Viewer }> {
    const token = cookies(req).get(SESSION_COOKIE);
    if (!token) throw new NotAuthenticated('Sign in to continue.');
    const caller = await this.sessions.resolve(token, 'portal');
    await this.sessions.assertRoute(caller, this.route, () => sourceAddress(req));
    const viewer = {
      name: caller.username,
      partyName: await this.sessions.partyName(caller),
      components: this.roles.componentsOf(caller.roles),
      csrf: this.csrfOf(token),
      sp: spPaths(this.prefix),
    };
    return { caller, viewer };
  }

  flash(res: Response, message: string): void {
    setCookie(res, FLASH_COOKIE, message.slice(0, 300), 60);
  }

  takeFlash(req: Request, res: Response): string | undefined {
    const message = cookies(req).get(FLASH_COOKIE);
    if (message !== undefined) setCookie(res, FLASH_COOKIE, '', 0);
    return message || undefined;
  }
}
