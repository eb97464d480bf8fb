/**
 * Signing in to the portal with the platform's own identity (IAM-03 local path): the same login
 * pipeline as the API and the identity provider (password, then MFA enrolment or a code), as pages.
 * Also: signing out, changing the MFA method after proving the current one, and resetting a
 * forgotten password with an emailed code.
 */
import { Router, type Request, type Response } from 'express';
import type { Route } from '../domain/access';
import { DomainError } from '../domain/errors';
import { toDomainError } from '../http/errors';
import { escapeHtml as e } from '../http/html';
import { sourceAddress } from '../http/origin';
import { promptForms } from '../http/forms';
import type { SimConfig } from '../config';
import type { Services } from '../services';
import type { LoginResult } from '../services/login';
import { formErrorOf } from './handlers';
import { field, form, link, portalPage, type FormError } from './layout';
import type { PortalSessions } from './session';

export interface IdentityLink {
  label: string;
  href: string;
}

/** Only local paths on this portal (its forms, or its Service Portal pages at /{prefix}?id=...): never an open redirect. */
function nextChecker(prefix: string): (next: unknown) => string {
  const pages = new RegExp(`^/${prefix}(\\?[A-Za-z0-9_=&%.+-]*)?$`);
  return (next) =>
    typeof next === 'string' && (/^\/portal(\/[A-Za-z0-9/_?=&%.-]*)?$/.test(next) || pages.test(next)) ? next : `/${prefix}`;
}

export function authPages(
  config: SimConfig,
  { login, passwordReset }: Services,
  sessions: PortalSessions,
  route: Route,
  identityLinks: () => IdentityLink[],
): Router {
  const router = Router();
  const safeNext = nextChecker(config.portal.prefix);

  function loginForm(req: Request, res: Response, error?: FormError, username = '', status?: string): string {
    const csrf = sessions.formCsrf(req, res);
    const next = safeNext(req.query.next ?? (req.body as Record<string, unknown> | undefined)?.next);
    const others = identityLinks()
      .map((l) => `<li>${link(l.href, l.label)}</li>`)
      .join('');
    const body = `${form(
      { csrf },
      '/portal/login',
      `<input type="hidden" name="next" value="${e(next)}">${field({ name: 'username', label: 'Email address', type: 'email', value: username, autocomplete: 'username' }, error)}${field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' }, error)}`,
      'Sign in',
      error,
    )}
<p>${link('/portal/password/forgot', 'Forgotten your password?')}</p>
${others ? `<h2>Signing in through DCC Identity?</h2><ul>${others}</ul>` : ''}`;
    return portalPage(undefined, 'Sign in to the FSM platform', body, status);
  }

  async function answer(req: Request, res: Response, result: LoginResult, error?: FormError): Promise<void> {
    if (result.status === 'prompt') {
      const csrf = sessions.formCsrf(req, res);
      const hidden = { csrf, login_token: result.loginToken, next: safeNext((req.body as Record<string, unknown>).next) };
      const marks = { name: result.prompt.name, method: result.prompt.data?.method ?? '' };
      res
        .status(error ? 400 : 200)
        .type('html')
        .send(portalPage(undefined, result.prompt.title, promptForms(result.prompt, '/portal/login', hidden, error), undefined, marks));
      return;
    }
    if (result.purpose === 'change_mfa') {
      sessions.flash(res, 'Your second sign-in method has been changed.');
      res.redirect(303, `/${config.portal.prefix}?id=user_profile`);
      return;
    }
    await sessions.signIn(res, result.accountId, result.amr);
    res.redirect(303, safeNext((req.body as Record<string, unknown>).next));
  }

  router.get('/login', (req, res) => {
    res.type('html').send(loginForm(req, res, undefined, '', sessions.takeFlash(req, res)));
  });

  router.post('/login', async (req, res) => {
    sessions.checkCsrf(req);
    const { login_token: loginToken, username, password, csrf: _csrf, next: _next, ...answers } = req.body as Record<string, string>;
    try {
      const result = loginToken
        ? await login.continue(String(loginToken), answers)
        : await login.start(String(username ?? '').slice(0, 254), String(password ?? '').slice(0, 256), {
            path: 'local',
            route,
            ip: sourceAddress(req),
          });
      await answer(req, res, result);
    } catch (error) {
      const known = toDomainError(error);
      if (!known?.expose) throw error;
      // Before the password is proven, or once the login has ended, start again from the sign-in form.
      if (!loginToken || known.status === 401) {
        res
          .status(known.status)
          .type('html')
          .send(
            loginForm(
              req,
              res,
              { message: known.status === 401 ? known.detail || known.message : formErrorOf(known).message },
              String(username ?? ''),
            ),
          );
        return;
      }
      const current = await login.current(String(loginToken)).catch(() => undefined);
      if (!current) throw new DomainError('not_authenticated', 401, 'User Not Authenticated', 'Your sign-in has expired. Start again.');
      await answer(req, res, current, formErrorOf(known));
    }
  });

  router.post('/logout', async (req, res) => {
    sessions.checkCsrf(req);
    await sessions.signOut(req, res);
    sessions.flash(res, 'You have signed out.');
    res.redirect(303, '/portal/login');
  });

  router.post('/profile/mfa', async (req, res) => {
    sessions.checkCsrf(req);
    const { caller } = await sessions.caller(req);
    await answer(req, res, await login.startMfaChange(caller));
  });

  const forgotForm = (req: Request, res: Response, error?: FormError, username = '') =>
    portalPage(
      undefined,
      'Reset your password',
      `<p>We will send a code to the email address on your account.</p>${form({ csrf: sessions.formCsrf(req, res) }, '/portal/password/forgot', field({ name: 'username', label: 'Email address', type: 'email', value: username, autocomplete: 'username' }, error), 'Send me a code', error)}`,
    );
  const resetForm = (req: Request, res: Response, username: string, error?: FormError, status?: string) =>
    portalPage(
      undefined,
      'Choose a new password',
      form(
        { csrf: sessions.formCsrf(req, res) },
        '/portal/password/reset',
        `${field({ name: 'username', label: 'Email address', type: 'email', value: username, autocomplete: 'username' }, error)}${field({ name: 'code', label: 'Code from the email', attrs: 'inputmode="numeric" autocomplete="one-time-code"' }, error)}${field({ name: 'new_password', label: 'New password', type: 'password', autocomplete: 'new-password', hint: `At least ${config.passwords.minLength} characters with upper- and lower-case letters, a digit and a symbol.` }, error)}`,
        'Change my password',
        error,
      ),
      status,
    );

  router.get('/password/forgot', (req, res) => void res.type('html').send(forgotForm(req, res)));
  router.post('/password/forgot', async (req, res) => {
    sessions.checkCsrf(req);
    const username = String((req.body as Record<string, unknown>).username ?? '');
    try {
      passwordReset.request({ username });
    } catch (error) {
      const known = toDomainError(error);
      if (!known?.expose) throw error;
      res
        .status(known.status)
        .type('html')
        .send(forgotForm(req, res, { ...formErrorOf(known), field: 'username' }, username));
      return;
    }
    res.type('html').send(resetForm(req, res, username, undefined, 'If the account exists, we have sent a code to its email address.'));
  });
  router.post('/password/reset', async (req, res) => {
    sessions.checkCsrf(req);
    const { username = '', code = '', new_password = '' } = req.body as Record<string, string>;
    try {
      await passwordReset.reset({ username: String(username), code: String(code), new_password: String(new_password) });
    } catch (error) {
      const known = toDomainError(error);
      if (!known?.expose) throw error;
      res
        .status(known.status)
        .type('html')
        .send(
          resetForm(req, res, String(username), {
            ...formErrorOf(known),
            field: known.field ?? (known.status === 401 ? 'code' : 'new_password'),
          }),
        );
      return;
    }
    sessions.flash(res, 'Your password has been changed. Sign in with it.');
    res.redirect(303, '/portal/login');
  });

  return router;
}
