/**
 * ServiceNow's Table API for the tables a User may reach: list with encoded queries and paging
 * (X-Total-Count and Link headers), read, create and update. Reads and writes are scoped to the
 * caller's party; another party's sys_id is simply not found.
 */
import { Router, type Request, type Response } from 'express';
import type { SimConfig } from '../config';
import { NotFound } from '../domain/errors';
import type { RecordService, TableDef } from '../services/records';
import { callerOf } from './authenticate';
import { baseUrl, formatRecord, fromDisplayValues } from './format';
import { buildLinkHeader, readListParams, readRecordParams, type RecordParams } from './table-params';

/**
 * `version` 1 is /api/now/v1/table, which answers an empty list with 404; the default URL
 * (/api/now/table) is the latest version, v2, which answers it with 200 and `[]`, as /api/now/v2/table does.
 */
export function tableApi(records: RecordService, config: SimConfig, version: 1 | 2 = 2): Router {
  const router = Router();
  const tableOf = (req: Request, res: Response, op: 'read' | 'write') => records.table(callerOf(res), String(req.params.table), op);

  async function answer(req: Request, res: Response, table: TableDef, sysId: string, params: RecordParams, status = 200) {
    const row = await records.read(callerOf(res), table.name, sysId, params.fields, undefined, params.display !== 'false');
    const { excludeReferenceLink, display } = params;
    res.status(status).json({ result: formatRecord(table, row, { baseUrl: baseUrl(req), excludeReferenceLink, display }) });
  }

  router.get('/:table', async (req, res) => {
    await sendList(records, config, req, res, tableOf(req, res, 'read'), undefined, version);
  });

  router.get('/:table/:sysId', async (req, res) => {
    const table = tableOf(req, res, 'read');
    await answer(req, res, table, String(req.params.sysId), readRecordParams(req.query, table));
  });

  router.post('/:table', async (req, res) => {
    const table = tableOf(req, res, 'write');
    const params = readRecordParams(req.query, table);
    const body: unknown = params.inputDisplay ? fromDisplayValues(table, req.body) : req.body;
    const { sys_id } = await records.create(callerOf(res), table.name, body);
    res.setHeader('Location', `${baseUrl(req)}/api/now/table/${table.name}/${sys_id}`);
    await answer(req, res, table, sys_id, params, 201);
  });

  const update = async (req: Request, res: Response) => {
    const table = tableOf(req, res, 'write');
    const params = readRecordParams(req.query, table);
    const body: unknown = params.inputDisplay ? fromDisplayValues(table, req.body) : req.body;
    const { sys_id } = await records.update(callerOf(res), table.name, String(req.params.sysId), body);
    await answer(req, res, table, sys_id, params);
  };
  router.patch('/:table/:sysId', update);
  router.put('/:table/:sysId', update);

  router.delete('/:table/:sysId', async (req, res) => {
    await records.delete(callerOf(res), String(req.params.table), String(req.params.sysId));
    res.status(204).end();
  });

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
  version: 1 | 2 = 2,
): Promise<void> {
  const params = readListParams(req.query, table, config.http.maxPageSize);
  const page = await records.list(callerOf(res), table.name, { ...params, displayValues: params.display !== 'false' });
  if (version === 1 && page.rows.length === 0) throw new NotFound();
  res.setHeader('X-Total-Count', String(page.total));
  const links = buildLinkHeader(baseUrl(req) + req.originalUrl, params.limit, params.offset, page.total);
  if (links && !params.suppressPagination) res.setHeader('Link', links);
  const options = { baseUrl: baseUrl(req), excludeReferenceLink: params.excludeReferenceLink, display: params.display };
  res.json({ result: page.rows.map((row) => ({ ...formatRecord(table, row, options), ...extra?.(row) })) });
}
