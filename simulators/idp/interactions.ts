/**
 * The sign-in interaction of one tenant: oidc-provider hands the browser here; the login pipeline
 * (password, then MFA enrolment or a code) runs as pages; the result goes back to oidc-provider with
 * the account and how it signed in (amr). Consent is implicit: DCC's own applications.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import { DomainError } from '../domain/errors';
import { sourceAddress } from '../http/origin';
import type { LoginResult, LoginService } from '../services/login';
import { loginPage, promptPage, selectAccountPage, type FormError } from './pages';
import type { Tenant } from './entra';

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

export function interactionRouter(
  provider: Provider,
  tenant: Tenant,
  login: LoginService,
  csrfKey: string,
  usernameOf: (accountId: string) => Promise<string | undefined>,
): Router {
  const router = Router();
  const title = `Sign in to DCC Identity (${tenant.name})`;
  const csrfOf = (uid: string) => createHmac('sha256', csrfKey).update(uid).digest('base64url');

  router.get('/:uid', async (req, res) => {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'consent') return consent(provider, details, req, res);
    const signedIn = details.session?.accountId && (await usernameOf(details.session.accountId));
    if (details.prompt.name === 'select_account' && signedIn)
      return void res.type('html').send(selectAccountPage(title, req.originalUrl, csrfOf(details.uid), signedIn));
    // login_hint fills in the email address, as Entra does.
    const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
    res.type('html').send(loginPage(title, req.originalUrl, csrfOf(details.uid), undefined, hint));
  });

  router.post('/:uid', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const details = await provider.interactionDetails(req, res);
    const body = req.body as Record<string, string>;
    const csrf = csrfOf(details.uid);
    if (typeof body.csrf !== 'string' || body.csrf.length !== csrf.length || !timingSafeEqual(Buffer.from(body.csrf), Buffer.from(csrf))) {
      res
        .status(403)
        .type('html')
        .send(loginPage(title, req.originalUrl, csrf, { message: 'This form has expired. Sign in again.' }));
      return;
    }
    const { csrf: _ignored, login_token: loginToken, username, password, account, ...answers } = body;
    if (account === 'current' && details.prompt.name === 'select_account' && details.session?.accountId)
      return provider.interactionFinished(req, res, { select_account: {} }, { mergeWithLastSubmission: true });
    if (account === 'other') return void res.type('html').send(loginPage(title, req.originalUrl, csrf));
    try {
      const result = loginToken
        ? await login.continue(loginToken, answers)
        : await login.start(username ?? '', password ?? '', { path: 'entra', route: 'gateway', ip: sourceAddress(req) });
      await answer(result, req, res, csrf);
    } catch (error) {
      if (!(error instanceof DomainError) || !error.expose) throw error;
      const formError: FormError = { message: error.detail ? `${error.message}. ${error.detail}` : error.message, field: error.field };
      if (!loginToken || error.status === 401) {
        res
          .status(error.status)
          .type('html')
          .send(
            loginPage(
              title,
              req.originalUrl,
              csrf,
              { message: error.status === 401 ? error.detail || error.message : formError.message },
              username,
            ),
          );
        return;
      }
      await answer(await login.current(loginToken).catch(() => undefined), req, res, csrf, formError);
    }
  });

  async function answer(result: LoginResult | undefined, req: Request, res: Response, csrf: string, error?: FormError): Promise<void> {
    if (!result) {
      res
        .status(401)
        .type('html')
        .send(loginPage(title, req.originalUrl, csrf, { message: 'Your sign-in has expired. Start again.' }));
      return;
    }
    if (result.status === 'prompt') {
      res
        .status(error ? 400 : 200)
        .type('html')
        .send(promptPage(result.prompt, req.originalUrl, { csrf, login_token: result.loginToken }, error));
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      // Signing in answers prompt=select_account too: the person chose the account they signed in as.
      { login: { accountId: result.accountId, amr: result.amr, acr: 'urn:dcc:mfa' }, select_account: {} },
      { mergeWithLastSubmission: false },
    );
  }

  return router;
}

/** DCC's own applications need no consent screen: grant what was asked. */
async function consent(provider: Provider, details: Details, req: Request, res: Response): Promise<void> {
  const { prompt, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session?.accountId, clientId: String(params.client_id) });
  if (!grant) throw new Error('grant vanished during consent');
  const missing = prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
    grant.addResourceScope(indicator, scopes.join(' '));
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}
