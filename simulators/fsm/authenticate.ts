/**
 * Authentication of the API, as ServiceNow's: HTTP Basic for integration accounts (checked on each
 * request), or a bearer token: an OAuth access token or platform session token, or an access token
 * from the DCC Identity Provider Service (a JWT, verified against its keys). Each resolves to the
 * Caller, who must then be allowed on the route the request came by (IAM-05). A refusal is a 401
 * with ServiceNow's error shape and its `WWW-Authenticate` challenge, saying nothing more.
 */
import type { RequestHandler, Response } from 'express';
import type { Route } from '../domain/access';
import { NotAuthenticated } from '../domain/errors';
import { sourceAddress } from '../http/origin';
import type { Caller } from '../services/context';
import type { IntegrationAuth } from '../services/integration-auth';
import type { SessionService } from '../services/sessions';

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

export function authenticateApi(
  { sessions, integrationAuth }: Authenticators,
  route: Route,
  verifyIdpToken?: IdpTokenVerifier,
): RequestHandler {
  const callerBy = async (header: string | undefined): Promise<Caller> => {
    const basic = await integrationAuth.basic(header);
    if (basic) return basic;
    const token = bearerToken(header);
    if (!token) throw new NotAuthenticated('Required to provide Auth information');
    if (SESSION_TOKEN.test(token)) return sessions.resolve(token, 'api');
    if (JWT.test(token) && verifyIdpToken) return verifyIdpToken(token);
    throw new NotAuthenticated();
  };
  return async (req, res, next) => {
    try {
      const caller = await callerBy(req.get('authorization'));
      await sessions.assertRoute(caller, route, () => sourceAddress(req));
      res.locals.caller = caller;
    } catch (error) {
      if (error instanceof NotAuthenticated) res.setHeader('WWW-Authenticate', CHALLENGE);
      throw error;
    }
    next();
  };
}

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new NotAuthenticated();
  return caller;
}
