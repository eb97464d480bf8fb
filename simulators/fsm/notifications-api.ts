/**
 * The SSI inbox (SM-07): a User's notifications, newest first, marked read one by one, and the
 * choice of email copies. Every User may read their own (Functional Component notifications.read).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { NotificationService } from '../services/notifications';
import { parseInput } from '../services/validate';
import { callerOf } from './authenticate';
import { snDateTime } from './format';

const ListQuery = z.object({ unread: z.enum(['true', 'false']).optional() }).strict();

export function notificationsApi(notifications: NotificationService): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { unread } = parseInput(ListQuery, req.query);
    const rows = await notifications.list(callerOf(res), unread === 'true');
    res.json({
      result: rows.map((n) => ({
        sys_id: n.sys_id,
        subject: n.subject,
        body: n.body,
        record: n.record_sys_id ? { table: n.record_table, sys_id: n.record_sys_id } : null,
        read: n.read_at !== null,
        sys_created_on: snDateTime(n.created_at),
      })),
    });
  });

  router.post('/:sysId/read', async (req, res) => {
    await notifications.markRead(callerOf(res), String(req.params.sysId));
    res.status(204).end();
  });

  router.put('/preferences', async (req, res) => {
    res.json({ result: await notifications.setPreferences(callerOf(res), req.body) });
  });

  return router;
}
