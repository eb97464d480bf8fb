/**
 * The person's own pages: home (notifications), profile (who they are, how they signed in, the MFA
 * method and email copies), changing the MFA method, resetting a forgotten password, and signing in
 * through a DCC Identity tenant from the portal's sign-in page.
 */
import type { Identity, IdentitySignIn, Outcome, PromptAnswerer } from '../abilities/use-fsm';
import type { Portal } from './portal';
import { SignInPages } from './sign-in';

const METHODS = new Map<string, 'totp' | 'email'>([['Authenticator app', 'totp'], ['Code by email', 'email']]);

export class ProfilePages {
  constructor(private readonly portal: Portal) {}

  async whoAmI(): Promise<Outcome<Identity>> {
    const { portal } = this;
    return portal.outcome(await portal.open('/portal/profile'), async () => ({
      username: await portal.definition('Email address'),
      partyName: await portal.definition('Organisation'),
      roles: (await portal.definition('Job Type Roles')).split(', ').filter(Boolean),
      mfaMethod: METHODS.get(await portal.definition('Second sign-in method')) ?? null,
      amr: await this.amr(),
    }));
  }

  async notifications(): Promise<{ subject: string; body: string }[]> {
    const { portal } = this;
    portal.expectOk(await portal.open('/portal'), 'Opening the home page');
    const rows = await portal.tableRows('Your notifications, newest first');
    return rows.map((r) => ({ subject: (r.Subject ?? '').replace(/ \(unread\)$/, ''), body: r.Message ?? '' }));
  }

  async setEmailCopies(enabled: boolean): Promise<Outcome<void>> {
    const { portal } = this;
    portal.expectOk(await portal.open('/portal/profile'), 'Opening your profile');
    await portal.page.getByRole('radio', { name: enabled ? 'Yes, send email copies' : 'No, only in the portal' }).check();
    return portal.outcome(await portal.press('Save preferences'), async () => undefined);
  }

  async changeMfaMethod(answer: PromptAnswerer): Promise<Outcome<{ prompts: string[] }>> {
    const { portal } = this;
    portal.expectOk(await portal.open('/portal/profile'), 'Opening your profile');
    const first = await portal.press('Change my second sign-in method');
    return new SignInPages(portal).answerPrompts(first, answer, (url) => url.pathname === '/portal/profile');
  }

  async resetForgottenPassword(username: string, readCode: () => Promise<string>, newPassword: string): Promise<Outcome<void>> {
    const { portal } = this;
    portal.expectOk(await portal.open('/portal/password/forgot'), 'Opening the password reset page');
    await portal.fill({ 'Email address': username });
    const asked = await portal.press('Send me a code');
    if (asked.status >= 400) return { ok: false, status: asked.status, message: asked.message };
    await portal.fill({ 'Code from the email': await readCode(), 'New password': newPassword });
    return portal.outcome(await portal.press('Change my password'), async () => undefined);
  }

  async signInThroughIdentity(tenant: string, username: string, password: string, answer: PromptAnswerer): Promise<Outcome<IdentitySignIn>> {
    const { portal } = this;
    portal.expectOk(await portal.open('/portal/login'), 'Opening the sign-in page');
    const atIdentity = await portal.follow(`Sign in through DCC Identity (${tenant} tenant)`);
    if (atIdentity.status >= 400) return { ok: false, status: atIdentity.status, message: atIdentity.message };
    const home = new URL(portal.baseUrl);
    const signedIn = await new SignInPages(portal).signIn(username, password, answer, (url) => url.origin === home.origin && url.pathname === '/portal');
    if (!signedIn.ok) return signedIn;
    portal.expectOk(await portal.open('/portal/profile'), 'Opening your profile');
    return { ok: true, value: { prompts: signedIn.value.prompts, idClaims: { iss: await portal.definition('Identity issuer'), amr: await this.amr() } } };
  }

  /** How the session was authenticated, as the profile lists it: "password (pwd), ...". */
  private async amr(): Promise<string[]> {
    const shown = await this.portal.definition('Signed in with');
    return [...shown.matchAll(/\(([a-z]+)\)/g)].map((m) => m[1] ?? '');
  }
}
