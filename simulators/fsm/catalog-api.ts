/**
 * ServiceNow's Service Catalog API for the items a User may order (`/api/sn_sc/servicecatalog`), and
 * the submission of an item's file to its workflow (`POST /api/x_dcc/requests/{ritm}/submit`).
 */
import { Router } from 'express';
import type { CatalogItem } from '../domain/catalog';
import type { ContactService } from '../services/contacts';
import type { RequestService } from '../services/requests';
import { answer } from '../http/formats';
import { callerOf } from './authenticate';
import { snDateTime } from './format';

const present = (item: CatalogItem) => ({
  sys_id: item.sys_id,
  name: item.name,
  short_description: item.short_description,
  takes_file: Boolean(item.file),
  variables: item.variables,
});

export function catalogApi(requests: RequestService): Router {
  const router = Router();

  router.get('/items', (_req, res) => {
    answer(res, 200, { result: requests.catalog(callerOf(res)).map(present) });
  });

  router.get('/items/:sysId', (req, res) => {
    answer(res, 200, { result: present(requests.catalogItemFor(callerOf(res), String(req.params.sysId))) });
  });

  router.post('/items/:sysId/order_now', async (req, res) => {
    const { request, item } = await requests.order(callerOf(res), String(req.params.sysId), req.body);
    answer(res, 200, {
      result: {
        sys_id: request.sys_id,
        number: request.number,
        request_number: request.number,
        request_id: request.sys_id,
        table: 'sc_request',
        items: [{ sys_id: item.sys_id, number: item.number, state: item.state }],
      },
    });
  });

  return router;
}

export function requestsApi(requests: RequestService): Router {
  const router = Router();
  router.post('/:sysId/submit', async (req, res) => {
    const item = await requests.files.submit(callerOf(res), String(req.params.sysId));
    res.json({
      result: {
        sys_id: item.sys_id,
        number: item.number,
        state: item.state,
        rejection_reason: item.rejection_reason ?? '',
        row_problems: item.row_problems,
      },
    });
  });
  return router;
}

/** The party's Nominated Contacts as DCC holds them (SM-08); changed through the catalogue. */
export function contactsApi(contacts: ContactService): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const rows = await contacts.list(callerOf(res));
    res.json({ result: rows.map((r) => ({ ...r, updated_on: snDateTime(r.updated_on) })) });
  });
  return router;
}
