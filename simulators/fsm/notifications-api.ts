/**
 * The SSI inbox (SM-07): a User's notifications, newest first, marked read one by one, and the
 * choice of email copies. Every User may read their own (Functional Component notifications.read).
 */
import { Router } from 'express';
import { z } from 'zod';
import { NotFound } from '../domain/errors';
import type { Core } from '../services/context';
import { listNotifications, markNotificationRead, setEmailCopies } from '../services/notifications';
import { parseInput } from '../services/validate';
import { callerOf } from './authenticate';
import { snDateTime } from './format';

const ListQuery = z.object({ unread: z.enum(['true', 'false']).optional() }).strict();
const Preferences = z.object({ email_copies: z.boolean() }).strict();

export function notificationsApi(core: Core): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const caller = callerOf(res);
    core.roles.require(caller.roles, 'notifications.read');
    const { unread } = parseInput(ListQuery, req.query);
    const rows = await listNotifications(core.db, caller.accountId, unread === 'true');
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
    const caller = callerOf(res);
    core.roles.require(caller.roles, 'notifications.read');
    if (!(await markNotificationRead(core.db, caller.accountId, String(req.params.sysId), core.clock.now()))) throw new NotFound('Notification');
    res.status(204).end();
  });

  router.put('/preferences', async (req, res) => {
    const caller = callerOf(res);
    core.roles.require(caller.roles, 'notifications.read');
    const { email_copies } = parseInput(Preferences, req.body);
    await setEmailCopies(core.db, caller.accountId, email_copies);
    res.json({ result: { email_copies } });
  });

  return router;
}
