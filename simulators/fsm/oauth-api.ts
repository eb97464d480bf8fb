/**
 * ServiceNow's OAuth token endpoint, POST /oauth_token.do: a form-encoded request (RFC 6749
 * section 4.3 and 6), answered with `access_token`, `refresh_token`, `scope: useraccount`,
 * `token_type: Bearer` and `expires_in`. A body that is not a form is refused as ServiceNow refuses
 * it (it reads no parameters from it): 401 `{"error_description":"access_denied","error":"server_error"}`.
 */
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { toDomainError } from '../http/errors';
import { accessDenied, OAuthRefusal, type IntegrationAuth } from '../services/integration-auth';

export function oauthTokenApi(integrationAuth: IntegrationAuth, bodyLimit: number): Router {
  const router = Router();
  router.post('/', express.urlencoded({ extended: false, limit: bodyLimit, parameterLimit: 20 }), async (req, res) => {
    if (!req.is('application/x-www-form-urlencoded')) throw accessDenied();
    res.setHeader('Cache-Control', 'no-store');
    res.json(await integrationAuth.token(req.body));
  });
  router.use(oauthRefusal);
  return router;
}

/**
 * ServiceNow's token revocation, /oauth_revoke_token.do: the token in a form (RFC 7009) or, as
 * ServiceNow's documentation shows it, in the query string; optionally the app's client_id and
 * client_secret. 200 with no body once the token is expired (or was never known).
 */
export function oauthRevokeApi(integrationAuth: IntegrationAuth, bodyLimit: number): Router {
  const router = Router();
  const revoke: RequestHandler = async (req, res) => {
    const form = req.is('application/x-www-form-urlencoded') ? (req.body as Record<string, unknown>) : {};
    await integrationAuth.revoke({ ...req.query, ...form });
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).end();
  };
  router.post('/', express.urlencoded({ extended: false, limit: bodyLimit, parameterLimit: 20 }), revoke);
  router.get('/', revoke);
  router.use(oauthRefusal);
  return router;
}

/** Refusals of the OAuth endpoints in OAuth's shape, `{ error_description, error }`. */
const oauthRefusal: ErrorRequestHandler = (error, _req, res, next) => {
  const known = error instanceof OAuthRefusal ? error : toDomainError(error);
  if (!known) return next(error);
  const oauth = known instanceof OAuthRefusal ? known : new OAuthRefusal('invalid_request', known.message, known.status);
  res.setHeader('Cache-Control', 'no-store');
  res.status(oauth.status).json({ error_description: oauth.message, error: oauth.oauthError });
};
