/**
 * Notifications in the SSI (SM-07): every event a User must know of, newest first, and their choice of
 * email copies. Each task over the API (via-api.ts) and on the portal's home and profile pages
 * (in-portal.ts), joined here.
 */
import { tasksOf } from '../modes';
import { notificationsInPortal } from './in-portal';
import { notificationsViaApi } from './via-api';

export interface Notification {
  subject: string;
  body: string;
  read: boolean;
}

export const Notifications = tasksOf(notificationsViaApi, notificationsInPortal);
