/**
 * Signing in for a bearer token as a person through DCC Identity (Entra), as a native app does: the
 * authorization code flow with PKCE (S256), state and nonce of clients/oidc-sign-in.ts, as a public
 * client, in Chromium on DCC Identity's own sign-in pages (the SignInPages page object, MFA by the
 * person's authenticator app), the code caught at the loopback redirect URI and exchanged at the
 * token endpoint; renewed with the refresh token. One of the ways of clients/bearer.ts.
 */
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { tokensOf, type SigningIn, type TokenOutcome, type TokenWay } from '../../../clients/bearer';
import { listenForRedirect } from '../../../clients/loopback-redirect';
import { discover, startCodeFlow } from '../../../clients/oidc-sign-in';
import { harnessMessage } from '../../../clients/messages';
import type { EntraApp } from '../../../clients/target-parties';
import { Portal, refused } from '../pages/portal';
import { SignInPages } from '../pages/sign-in';

export function entraWay(app: EntraApp, browser: () => Promise<Browser>): TokenWay {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => (discovered ??= discover(app.issuer, app.clientId));
  return {
    name: `DCC Identity at ${app.issuer} (app ${app.clientId})`,
    signIn: async (person) => signInInBrowser(await configuration(), app, await browser(), person),
    refresh: async (refreshToken) => {
      const config = await configuration();
      return granted(() => oidc.refreshTokenGrant(config, refreshToken));
    },
  };
}

async function signInInBrowser(config: oidc.Configuration, app: EntraApp, browser: Browser, person: SigningIn): Promise<TokenOutcome> {
  const redirect = await listenForRedirect(app.redirectUri);
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/London' });
  try {
    const flow = await startCodeFlow(config, redirect.uri, `openid profile offline_access ${app.scope}`);
    const { url } = flow;
    const portal = new Portal(await context.newPage(), url.origin);
    const opened = await portal.open(`${url.pathname}${url.search}`);
    if (opened.status >= 400) return refused(opened);
    const back = new URL(redirect.uri);
    const signedIn = await new SignInPages(portal).signIn(
      person.username,
      person.password,
      person.answer,
      (at) => at.origin === back.origin && at.pathname === back.pathname,
    );
    if (!signedIn.ok) return signedIn;
    const caught = redirect.caught();
    if (!caught) throw new Error(harnessMessage(`The browser reached ${redirect.uri}, but the harness listening there saw no request.`));
    return await granted(() => flow.exchange(caught));
  } finally {
    await context.close();
    await redirect.close();
  }
}

/** The tokens of a grant, or DCC Identity's refusal in its own words (OAuth's error and description). */
async function granted(grant: () => Promise<oidc.TokenEndpointResponse>): Promise<TokenOutcome> {
  try {
    return { ok: true, value: tokensOf(await grant()) };
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError)
      return { ok: false, status: error.status, message: `${error.error}: ${error.error_description ?? ''}` };
    if (error instanceof oidc.AuthorizationResponseError)
      return { ok: false, status: 400, message: `${error.error}: ${error.error_description ?? ''}` };
    throw error;
  }
}
