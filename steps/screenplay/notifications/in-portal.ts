/** Notifications in the portal: the list on the home page; email copies on the profile. */
import type { InPortal } from '../modes';
import type { Outcome } from '../outcome';
import type { Portal } from '../pages/portal';
import type { Notification } from './tasks';
import type { notificationsViaApi } from './via-api';

export const notificationsInPortal: InPortal<typeof notificationsViaApi> = {
  async list(portal: Portal): Promise<Notification[]> {
    portal.expectOk(await portal.open(portal.sp('index')), 'Opening the home page');
    const rows = await portal.tableRows('Your notifications, newest first');
    return rows.map((r) => ({
      subject: (r.Subject ?? '').replace(/ \(unread\)$/, ''),
      body: r.Message ?? '',
      read: !(r.Subject ?? '').endsWith(' (unread)'),
    }));
  },

  async markRead(portal: Portal, text: string): Promise<Outcome<void>> {
    portal.expectOk(await portal.open(portal.sp('index')), 'Opening the home page');
    const unread = portal.page
      .getByRole('table', { name: portal.label('Your notifications, newest first') })
      .getByRole('row')
      .filter({ hasText: text })
      .filter({ hasText: '(unread)' });
    if ((await unread.count()) === 0) throw await portal.notOnPage(`unread notification that says "${text}"`);
    return portal.outcome(await portal.press(/^Mark ".*" as read$/, unread.first()), async () => undefined);
  },

  async setEmailCopies(portal: Portal, enabled: boolean): Promise<Outcome<void>> {
    portal.expectOk(await portal.open(portal.sp('user_profile')), 'Opening your profile');
    await portal.page.getByRole('radio', { name: portal.label(enabled ? 'Yes, send email copies' : 'No, only in the portal') }).check();
    return portal.outcome(await portal.press('Save preferences'), async () => undefined);
  },
};
