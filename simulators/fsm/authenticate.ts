/**
 * Bearer-token authentication of the API: a platform session token, or an access token from the DCC
 * Identity Provider Service (a JWT, verified against its keys). Either resolves to the Caller, who
 * must then be allowed on the route the request came by (IAM-05).
 */
import type { RequestHandler, Response } from 'express';
import type { Route } from '../domain/access';
import { NotAuthenticated } from '../domain/errors';
import { sourceAddress } from '../http/origin';
import type { Caller } from '../services/context';
import type { PendingSession, Principal, SessionService } from '../services/sessions';

/** Resolves an identity provider's access token to the Caller it stands for, or throws NotAuthenticated. */
export type IdpTokenVerifier = (token: string) => Promise<Caller>;

const SESSION_TOKEN = /^[A-Za-z0-9_-]{20,100}$/;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer (\S{20,8192})$/.exec(header ?? '');
  return match?.[1];
}

/**
 * With `deferSessions`, a session token is not read here but handed on (principalOf): the router's
 * use case reads it in the same statement as its data (one round trip), and checks it as here.
 */
export function authenticateApi(
  sessions: SessionService,
  route: Route,
  verifyIdpToken?: IdpTokenVerifier,
  { deferSessions = false } = {},
): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (!token) throw new NotAuthenticated('Send Authorization: Bearer <access_token> from POST /api/x_dcc/auth/login.');
    if (deferSessions && SESSION_TOKEN.test(token)) {
      const pending: PendingSession = { token, kind: 'api', route, sourceAddress: () => sourceAddress(req) };
      res.locals.pending = pending;
      return next();
    }
    let caller: Caller;
    if (SESSION_TOKEN.test(token)) caller = await sessions.resolve(token, 'api');
    else if (JWT.test(token) && verifyIdpToken) caller = await verifyIdpToken(token);
    else throw new NotAuthenticated();
    await sessions.assertRoute(caller, route, () => sourceAddress(req));
    res.locals.caller = caller;
    next();
  };
}

/** Who the request acts for: a session not read yet (deferSessions), or the Caller authenticated. */
export function principalOf(res: Response): Principal {
  return (res.locals.pending as PendingSession | undefined) ?? callerOf(res);
}

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new NotAuthenticated();
  return caller;
}
