/**
 * The portal's home (SSI notifications, SM-07) and the person's profile: who they are, how they
 * signed in (and through which DCC Identity tenant), their MFA method with a way to change it, and
 * whether notifications are also sent by email.
 */
import { Router } from 'express';
import { errorSummary } from '../http/forms';
import { escapeHtml as e } from '../http/html';
import type { Services } from '../services';
import type { Handlers } from './handlers';
import { actionButton, details, form, table } from './layout';

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
  { notifications, profile: profiles, users }: Services,
  { page, action }: Handlers,
  tenantOf: (issuer: string) => string | undefined,
): Router {
  const router = Router();

  const home = async ({ caller, viewer }: Parameters<Parameters<typeof page>[0]>[0], error?: { message: string }) => {
    const rows = await notifications.list(caller);
    const list = table(
      'Your notifications, newest first',
      ['Received', 'Subject', 'Message', ''],
      rows.map((n) => [
        e(n.created_at.toISOString().slice(0, 16).replace('T', ' ')),
        n.read_at ? e(n.subject) : `<strong>${e(n.subject)}</strong> (unread)`,
        e(n.body),
        n.read_at ? '' : actionButton(viewer, `/portal/notifications/${encodeURIComponent(n.sys_id)}/read`, `Mark "${n.subject}" as read`),
      ]),
      'You have no notifications.',
    );
    const steps = await users.setupSteps(caller);
    const next = steps.length
      ? `<section aria-labelledby="setup-next"><h2 id="setup-next">What to set up next</h2><ul>${steps.map((s) => `<li>${e(s)}</li>`).join('')}</ul></section>`
      : '';
    return { title: 'Home', body: `${errorSummary(error)}${next}<h2>Notifications</h2>${list}` };
  };

  router.get(
    '/',
    page((ctx) => home(ctx)),
  );

  router.post(
    '/notifications/:sysId/read',
    action(async ({ req, caller }) => {
      await notifications.markRead(caller, String(req.params.sysId));
      return { redirect: '/portal', message: 'Marked as read.' };
    }, home),
  );

  const profile = async (ctx: Parameters<Parameters<typeof page>[0]>[0], error?: { message: string; field?: string }) => {
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

  router.get(
    '/profile',
    page((ctx) => profile(ctx)),
  );
  router.post(
    '/profile/preferences',
    action(
      async ({ req, caller }) => {
        const { email_copies } = await notifications.setPreferences(caller, {
          email_copies: (req.body as Record<string, unknown>).email_copies,
        });
        return {
          redirect: '/portal/profile',
          message: email_copies ? 'Notifications will also be sent by email.' : 'Notifications will only be shown in the portal.',
        };
      },
      (ctx, error) => profile(ctx, error),
    ),
  );

  return router;
}
