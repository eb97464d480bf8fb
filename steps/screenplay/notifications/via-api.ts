/** Notifications over DCC's notifications API (its path: clients/dcc-apis.ts). */
import { ProductError, resultOf } from '../../../clients/http';
import type { CallTheApi } from '../abilities/call-the-api';
import { outcomeOf, type Outcome } from '../outcome';
import type { Notification } from './tasks';

export const notificationsViaApi = {
  /** The actor's notifications, newest first. */
  async list(api: CallTheApi): Promise<Notification[]> {
    const notifications = resultOf<Notification[]>(await api.notifications(), 200, 'Reading notifications');
    return notifications.map(({ subject, body, read }) => ({ subject, body, read }));
  },

  /** Marks the newest unread notification whose subject says `text` as read. */
  async markRead(api: CallTheApi, text: string): Promise<Outcome<void>> {
    const unread = resultOf<{ sys_id: string; subject: string }[]>(await api.notifications(true), 200, 'Reading unread notifications');
    const notification = unread.find((n) => n.subject.includes(text));
    if (!notification)
      throw new ProductError(`No unread notification says "${text}"; unread: ${unread.map((n) => n.subject).join('; ') || 'none'}`);
    return outcomeOf(await api.markNotificationRead(notification.sys_id), 204, () => undefined);
  },

  async setEmailCopies(api: CallTheApi, enabled: boolean): Promise<Outcome<void>> {
    return outcomeOf(await api.setEmailCopies(enabled), 200, () => undefined);
  },
};
