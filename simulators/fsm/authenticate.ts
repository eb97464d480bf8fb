/**
 * Authentication of the API, as ServiceNow's: HTTP Basic for integration accounts (checked on each
 * request), or a bearer token: an OAuth access token or platform session token, or an access token
 * from the DCC Identity Provider Service (a JWT, verified against its keys). Each resolves to the
 * Caller, who must then be allowed on the route the request came by (IAM-05). A refusal is a 401
 * with ServiceNow's error shape and its `WWW-Authenticate` challenge, saying nothing more.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Route } from '../domain/access';
import { NotAuthenticated } from '../domain/errors';
import { sourceAddress } from '../http/origin';
import type { Caller } from '../services/context';
import type { IntegrationAuth } from '../services/integration-auth';
import type { PendingSession, Principal, SessionService } from '../services/sessions';

/** Resolves an identity provider's access token to the Caller it stands for, or throws NotAuthenticated. */
export type IdpTokenVerifier = (token: string) => Promise<Caller>;

/** What ServiceNow sends with a 401 of its REST API. */
export const CHALLENGE = 'Basic realm="Service-now"';

const SESSION_TOKEN = /^[A-Za-z0-9_-]{20,100}$/;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer (\S{20,8192})$/.exec(header ?? '');
  return match?.[1];
}

export interface Authenticators {
  sessions: SessionService;
  integrationAuth: IntegrationAuth;
}

/**
 * With `deferSessions`, a session token (a platform or OAuth access token) is not read here but handed
 * on (principalOf): the router's use case reads it in the same statement as its data (one round trip),
 * and checks it as here. Basic credentials and DCC Identity's tokens are checked here.
 */
export function authenticateApi(
  { sessions, integrationAuth }: Authenticators,
  route: Route,
  verifyIdpToken?: IdpTokenVerifier,
  { deferSessions = false } = {},
): RequestHandler {
  const callerBy = async (header: string | undefined, token: string | undefined): Promise<Caller> => {
    const basic = await integrationAuth.basic(header);
    if (basic) return basic;
    if (!token) throw new NotAuthenticated('Required to provide Auth information');
    if (SESSION_TOKEN.test(token)) return sessions.resolve(token, 'api');
    if (JWT.test(token) && verifyIdpToken) return verifyIdpToken(token);
    throw new NotAuthenticated();
  };
  return async (req, res, next) => {
    const header = req.get('authorization');
    const token = bearerToken(header);
    if (deferSessions && token && SESSION_TOKEN.test(token)) {
      const pending: PendingSession = { token, kind: 'api', route, sourceAddress: () => sourceAddress(req) };
      res.locals.pending = pending;
      return next();
    }
    const caller = await callerBy(header, token);
    await sessions.assertRoute(caller, route, () => sourceAddress(req));
    res.locals.caller = caller;
    next();
  };
}

/** ServiceNow's challenge on every 401 of the REST API, wherever it was refused: here, or in a use case reading a deferred session. */
export const challenge: ErrorRequestHandler = (error, _req, res, next) => {
  if (error instanceof NotAuthenticated) res.setHeader('WWW-Authenticate', CHALLENGE);
  next(error);
};

/** Who the request acts for: a session not read yet (deferSessions), or the Caller authenticated. */
export function principalOf(res: Response): Principal {
  return (res.locals.pending as PendingSession | undefined) ?? callerOf(res);
}

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new NotAuthenticated();
  return caller;
}
