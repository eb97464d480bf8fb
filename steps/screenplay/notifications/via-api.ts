/** Notifications over DCC's notifications API (`/api/x_dcc/notifications`). */
import { resultOf } from '../../../clients/http';
import type { CallTheApi } from '../abilities/call-the-api';
import { outcomeOf, type Outcome } from '../outcome';
import type { Notification } from './tasks';

export const notificationsViaApi = {
  /** The actor's notifications, newest first. */
  async list(api: CallTheApi): Promise<Notification[]> {
    const notifications = resultOf<Notification[]>(await api.notifications(), 200, 'Reading notifications');
    return notifications.map(({ subject, body }) => ({ subject, body }));
  },

  async setEmailCopies(api: CallTheApi, enabled: boolean): Promise<Outcome<void>> {
    return outcomeOf(await api.setEmailCopies(enabled), 200, () => undefined);
  },
};
