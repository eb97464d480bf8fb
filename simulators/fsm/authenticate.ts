/**
 * Bearer-token authentication of the API: a platform session token, or an access token from the DCC
 * Identity Provider Service (a JWT, verified against its keys). Either resolves to the Caller, who
 * must then be allowed on the route the request came by (IAM-05).
 */
import type { Request, RequestHandler, Response } from 'express';
import { assertRouteAllowed, type Route } from '../domain/access';
import { NotAuthenticated } from '../domain/errors';
import { sourceAddress } from '../http/origin';
import type { Caller, Core } from '../services/context';
import { resolveSession } from '../services/sessions';
import { findParty } from '../store/parties';

/** Resolves an identity provider's access token to the Caller it stands for, or throws NotAuthenticated. */
export type IdpTokenVerifier = (token: string) => Promise<Caller>;

const SESSION_TOKEN = /^[A-Za-z0-9_-]{20,100}$/;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer (\S{20,8192})$/.exec(header ?? '');
  return match?.[1];
}

export function authenticateApi(core: Core, route: Route, verifyIdpToken?: IdpTokenVerifier): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (!token) throw new NotAuthenticated('Send Authorization: Bearer <access_token> from POST /api/x_dcc/auth/login.');
    let caller: Caller;
    if (SESSION_TOKEN.test(token)) caller = await resolveSession(core, token, 'api');
    else if (JWT.test(token) && verifyIdpToken) caller = await verifyIdpToken(token);
    else throw new NotAuthenticated();
    await assertCallerRoute(core, caller, route, req);
    res.locals.caller = caller;
    next();
  };
}

export async function assertCallerRoute(core: Core, caller: Caller, route: Route, req: Request): Promise<void> {
  if (route === 'gateway') return;
  const party = await findParty(core.db, caller.partyId);
  if (!party) throw new NotAuthenticated();
  assertRouteAllowed(party, route, sourceAddress(req));
}

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new NotAuthenticated();
  return caller;
}
