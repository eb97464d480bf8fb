/** Bearer-token authentication of the API: resolves the session into the Caller, or answers 401. */
import type { RequestHandler, Response } from 'express';
import { NotAuthenticated } from '../domain/errors';
import type { Caller, Core } from '../services/context';
import { resolveSession } from '../services/sessions';

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header ?? '');
  return match?.[1];
}

export function authenticateApi(core: Core): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (!token) throw new NotAuthenticated('Send Authorization: Bearer <access_token> from POST /api/x_dcc/auth/login.');
    res.locals.caller = await resolveSession(core, token, 'api');
    next();
  };
}

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new NotAuthenticated();
  return caller;
}
