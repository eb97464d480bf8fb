/**
 * The person's profile (`?id=user_profile`): who they are, how they signed in (and through which DCC
 * Identity tenant), their MFA method with a way to change it, and whether notifications are also sent
 * by email; and the forms of the home page's notifications (SM-07). The old /portal and
 * /portal/profile addresses redirect to the Service Portal's pages.
 */
import { Router } from 'express';
import type { Services } from '../services';
import type { Handlers } from './handlers';
import { actionButton, details, form } from './layout';
import { spHome } from './sp-home';
import { spPaths } from './sp-paths';
import type { SpPage } from './sp-router';

const METHOD_NAMES = new Map(Object.entries({ totp: 'Authenticator app', email: 'Code by email', sms: 'Code by text message' }));
const AMR_NAMES = new Map(
  Object.entries({
    pwd: 'password',
    mfa: 'multi-factor authentication',
    otp: 'authenticator app code',
    email: 'emailed code',
    sms: 'text message code',
  }),
);

export function homePages(
  prefix: string,
  services: Services,
  { action }: Handlers,
  tenantOf: (issuer: string) => string | undefined,
): { router: Router; pages: Map<string, SpPage> } {
  const { notifications, profile: profiles } = services;
  const router = Router();
  const sp = spPaths(prefix);
  const { home, pages } = spHome(services);

  router.get('/', (_req, res) => res.redirect(301, sp.home));

  router.post(
    '/notifications/:sysId/read',
    action(async ({ req, caller }) => {
      await notifications.markRead(caller, String(req.params.sysId));
      return { redirect: sp.home, message: 'Marked as read.' };
    }, home),
  );

  const profile = async (ctx: Parameters<SpPage>[0], error?: { message: string; field?: string }) => {
    const { caller, viewer } = ctx;
    const { account } = await profiles.me(caller);
    const tenant = caller.issuer ? tenantOf(caller.issuer) : undefined;
    const signedIn = caller.issuer ? `DCC Identity Provider Service, ${tenant ?? 'unknown'} tenant` : "The platform's own login";
    const facts = details([
      ['Email address', account.username],
      ['Name', account.display_name],
      ['Organisation', viewer.partyName],
      ['Job Type Roles', caller.roles.join(', ')],
      ['Second sign-in method', account.mfa_method ? (METHOD_NAMES.get(account.mfa_method) ?? account.mfa_method) : 'Not set up'],
      ['Signed in through', signedIn],
      ...(caller.issuer ? ([['Identity issuer', caller.issuer]] as [string, string][]) : []),
      ['Signed in with', caller.amr.map((a) => `${AMR_NAMES.get(a) ?? a} (${a})`).join(', ')],
    ]);
    const mfa =
      account.identity_path === 'local'
        ? `<h2>Second sign-in method</h2><p>To change it, prove your current method first.</p>${actionButton(viewer, '/portal/profile/mfa', 'Change my second sign-in method')}`
        : '';
    const copies = `<h2>Notification preferences</h2>${form(
      viewer,
      '/portal/profile/preferences',
      `<fieldset><legend>Also send my notifications by email</legend>
<label class="choice"><input type="radio" name="email_copies" value="true"${account.email_notifications ? ' checked' : ''}> Yes, send email copies</label>
<label class="choice"><input type="radio" name="email_copies" value="false"${account.email_notifications ? '' : ' checked'}> No, only in the portal</label></fieldset>`,
      'Save preferences',
      error,
    )}`;
    return { title: 'Your profile', body: `${facts}${mfa}${copies}` };
  };

  router.get('/profile', (_req, res) => res.redirect(301, sp.page('user_profile')));
  pages.set('user_profile', (ctx) => profile(ctx));
  router.post(
    '/profile/preferences',
    action(
      async ({ req, caller }) => {
        const { email_copies } = await notifications.setPreferences(caller, {
          email_copies: (req.body as Record<string, unknown>).email_copies,
        });
        return {
          redirect: sp.page('user_profile'),
          message: email_copies ? 'Notifications will also be sent by email.' : 'Notifications will only be shown in the portal.',
        };
      },
      (ctx, error) => profile(ctx, error),
    ),
  );

  return { router, pages };
}
