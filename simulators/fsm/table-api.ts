/**
 * ServiceNow's Table API for the tables a User may reach: list with encoded queries and paging
 * (X-Total-Count and Link headers), read, create and update. Reads and writes are scoped to the
 * caller's party; another party's sys_id is simply not found.
 */
import { Router, type Request, type Response } from 'express';
import type { SimConfig } from '../config';
import type { RecordService, TableDef } from '../services/records';
import { callerOf } from './authenticate';
import { baseUrl, formatRecord } from './format';
import { buildLinkHeader, readListParams, readRecordParams, type RecordParams } from './table-params';

export function tableApi(records: RecordService, config: SimConfig): Router {
  const router = Router();
  const tableOf = (req: Request, res: Response, op: 'read' | 'write') => records.table(callerOf(res), String(req.params.table), op);

  async function answer(req: Request, res: Response, table: TableDef, sysId: string, params: RecordParams, status = 200) {
    const row = await records.read(callerOf(res), table.name, sysId, params.fields);
    res
      .status(status)
      .json({ result: formatRecord(table, row, { baseUrl: baseUrl(req), excludeReferenceLink: params.excludeReferenceLink }) });
  }

  router.get('/:table', async (req, res) => {
    await sendList(records, config, req, res, tableOf(req, res, 'read'));
  });

  router.get('/:table/:sysId', async (req, res) => {
    const table = tableOf(req, res, 'read');
    await answer(req, res, table, String(req.params.sysId), readRecordParams(req.query, table));
  });

  router.post('/:table', async (req, res) => {
    const table = tableOf(req, res, 'write');
    const params = readRecordParams(req.query, table);
    const { sys_id } = await records.create(callerOf(res), table.name, req.body);
    res.setHeader('Location', `${baseUrl(req)}/api/now/table/${table.name}/${sys_id}`);
    await answer(req, res, table, sys_id, params, 201);
  });

  const update = async (req: Request, res: Response) => {
    const table = tableOf(req, res, 'write');
    const params = readRecordParams(req.query, table);
    const { sys_id } = await records.update(callerOf(res), table.name, String(req.params.sysId), req.body);
    await answer(req, res, table, sys_id, params);
  };
  router.patch('/:table/:sysId', update);
  router.put('/:table/:sysId', update);

  router.delete('/:table/:sysId', (req, res) => records.delete(callerOf(res), String(req.params.table)));

  return router;
}

/** A page of one party's records with X-Total-Count and Link, as the Table and Attachment APIs answer lists. */
export async function sendList(
  records: RecordService,
  config: SimConfig,
  req: Request,
  res: Response,
  table: TableDef,
  extra?: (row: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  const params = readListParams(req.query, table, config.http.maxPageSize);
  const page = await records.list(callerOf(res), table.name, params);
  res.setHeader('X-Total-Count', String(page.total));
  const links = buildLinkHeader(baseUrl(req) + req.originalUrl, params.limit, params.offset, page.total);
  if (links) res.setHeader('Link', links);
  const options = { baseUrl: baseUrl(req), excludeReferenceLink: params.excludeReferenceLink };
  res.json({ result: page.rows.map((row) => ({ ...formatRecord(table, row, options), ...extra?.(row) })) });
}
