/**
 * Signing in and the person's credentials in the portal: the sign-in pages, the profile (who they are,
 * how they signed in), changing the MFA method, resetting a forgotten password, and signing in through
 * a DCC Identity tenant from the portal's sign-in page.
 */
import type { InPortal } from '../modes';
import type { Outcome } from '../outcome';
import { refused, type Portal } from '../pages/portal';
import { SignInPages } from '../pages/sign-in';
import type { IdentitySignIn, PromptAnswerer, SignedInAs } from './tasks';
import type { identityViaApi } from './via-api';

const METHODS = new Map<string, 'totp' | 'email'>([
  ['Authenticator app', 'totp'],
  ['Code by email', 'email'],
]);

export const identityInPortal: InPortal<typeof identityViaApi> = {
  async logIn(portal: Portal, username: string, password: string, answer: PromptAnswerer): Promise<Outcome<{ prompts: string[] }>> {
    portal.expectOk(await portal.open('/portal/login'), 'Opening the sign-in page');
    return new SignInPages(portal).signIn(username, password, answer, (url) => portal.leftSignIn(url));
  },

  async logInThroughIdentity(
    portal: Portal,
    tenant: string,
    username: string,
    password: string,
    answer: PromptAnswerer,
  ): Promise<Outcome<IdentitySignIn>> {
    portal.expectOk(await portal.open('/portal/login'), 'Opening the sign-in page');
    const atIdentity = await portal.follow(`Sign in through DCC Identity (${tenant} tenant)`);
    if (atIdentity.status >= 400) return refused(atIdentity);
    const signedIn = await new SignInPages(portal).signIn(username, password, answer, (url) => portal.isPage(url));
    if (!signedIn.ok) return signedIn;
    portal.expectOk(await portal.open(portal.sp('user_profile')), 'Opening your profile');
    return {
      ok: true,
      value: { prompts: signedIn.value.prompts, idClaims: { iss: await portal.definition('Identity issuer'), amr: await amr(portal) } },
    };
  },

  async resetForgottenPassword(
    portal: Portal,
    username: string,
    readCode: () => Promise<string>,
    newPassword: string,
  ): Promise<Outcome<void>> {
    portal.expectOk(await portal.open('/portal/password/forgot'), 'Opening the password reset page');
    await portal.fill({ 'Email address': username });
    const asked = await portal.press('Send me a code');
    if (asked.status >= 400) return refused(asked);
    await portal.fill({ 'Code from the email': await readCode(), 'New password': newPassword });
    return portal.outcome(await portal.press('Change my password'), async () => undefined);
  },

  async changeMfaMethod(portal: Portal, answer: PromptAnswerer): Promise<Outcome<{ prompts: string[] }>> {
    portal.expectOk(await portal.open(portal.sp('user_profile')), 'Opening your profile');
    const first = await portal.press('Change my second sign-in method');
    return new SignInPages(portal).answerPrompts(first, answer, (url) => portal.isPage(url, 'user_profile'));
  },

  async whoAmI(portal: Portal): Promise<Outcome<SignedInAs>> {
    return portal.outcome(await portal.open(portal.sp('user_profile')), async () => ({
      username: await portal.definition('Email address'),
      partyName: await portal.definition('Organisation'),
      roles: (await portal.definition('Job Type Roles')).split(', ').filter(Boolean),
      mfaMethod: METHODS.get(await portal.definition('Second sign-in method')) ?? null,
      amr: await amr(portal),
    }));
  },
};

/** How the session was authenticated, as the profile lists it: "password (pwd), ...". */
async function amr(portal: Portal): Promise<string[]> {
  const shown = await portal.definition('Signed in with');
  return [...shown.matchAll(/\(([a-z]+)\)/g)].map((m) => m[1] ?? '');
}
