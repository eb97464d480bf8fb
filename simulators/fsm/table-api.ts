/**
 * ServiceNow's Table API for the tables a User may reach: list with encoded queries and paging
 * (X-Total-Count and Link headers), read, create and update, with display values as asked. Reads and
 * writes are scoped to the caller's party; another party's sys_id is simply not found.
 */
import { Router, type Request, type Response } from 'express';
import type { SimConfig } from '../config';
import { NotFound } from '../domain/errors';
import { answer } from '../http/formats';
import type { RecordService, TableDef } from '../services/records';
import { principalOf } from './authenticate';
import { baseUrl, formatRecord, fromDisplayValues } from './format';
import { buildLinkHeader, readListParams, readRecordParams, type ListParams, type RecordParams } from './table-params';

/**
 * `version` 1 is /api/now/v1/table, which answers an empty list with 404; the default URL
 * (/api/now/table) is the latest version, v2, which answers it with 200 and `[]`, as /api/now/v2/table does.
 */
export function tableApi(records: RecordService, config: SimConfig, version: 1 | 2 = 2): Router {
  const router = Router();
  /** The table and its parameters: wrong parameters are a 400 once the caller is known and allowed. */
  const paramsOf = (req: Request, res: Response, op: 'read' | 'write') =>
    records.parsed(principalOf(res), String(req.params.table), op, (table) => readRecordParams(req.query, table));
  const bodyOf = (req: Request, table: TableDef, params: RecordParams): unknown =>
    params.inputDisplay ? fromDisplayValues(table, req.body) : req.body;

  function send(req: Request, res: Response, table: TableDef, row: Record<string, unknown>, params: RecordParams, status = 200) {
    const { excludeReferenceLink, display } = params;
    answer(res, status, { result: formatRecord(table, row, { baseUrl: baseUrl(req), excludeReferenceLink, display }) });
  }

  router.get('/:table', async (req, res) => {
    const { table, value: params } = await records.parsed(principalOf(res), String(req.params.table), 'read', (t) =>
      readListParams(req.query, t, config.http.maxPageSize),
    );
    await sendList(records, req, res, table, params, undefined, version);
  });

  router.get('/:table/:sysId', async (req, res) => {
    const { table, value: params } = await paramsOf(req, res, 'read');
    send(
      req,
      res,
      table,
      await records.read(principalOf(res), table.name, String(req.params.sysId), params.fields, undefined, displays(params)),
      params,
    );
  });

  router.post('/:table', async (req, res) => {
    const { table, value: params } = await paramsOf(req, res, 'write');
    const row = await records.create(principalOf(res), table.name, bodyOf(req, table, params), params.fields, displays(params));
    res.setHeader('Location', `${baseUrl(req)}/api/now/table/${table.name}/${String(row['@id'])}`);
    send(req, res, table, row, params, 201);
  });

  const update = async (req: Request, res: Response) => {
    const { table, value: params } = await paramsOf(req, res, 'write');
    const { sys_id } = await records.update(principalOf(res), table.name, String(req.params.sysId), bodyOf(req, table, params));
    send(req, res, table, await records.read(principalOf(res), table.name, sys_id, params.fields, undefined, displays(params)), params);
  };
  router.patch('/:table/:sysId', update);
  router.put('/:table/:sysId', update);

  router.delete('/:table/:sysId', async (req, res) => {
    await records.delete(principalOf(res), String(req.params.table), String(req.params.sysId));
    res.status(204).end();
  });

  return router;
}

/** Whether to read references' display values too (sysparm_display_value true or all). */
const displays = (params: RecordParams) => params.display !== 'false';

/** Answers a page of `table` as the Table API does; `extra` adds fields to each row (the Attachment API's links). */
export async function sendList(
  records: RecordService,
  req: Request,
  res: Response,
  table: TableDef,
  params: ListParams,
  extra?: (row: Record<string, unknown>) => Record<string, unknown>,
  version: 1 | 2 = 2,
): Promise<void> {
  const page = await records.list(principalOf(res), table.name, { ...params, displayValues: displays(params) });
  if (version === 1 && page.rows.length === 0) throw new NotFound();
  res.setHeader('X-Total-Count', String(page.total));
  const links = buildLinkHeader(baseUrl(req) + req.originalUrl, params.limit, params.offset, page.total);
  if (links && !params.suppressPagination) res.setHeader('Link', links);
  const options = { baseUrl: baseUrl(req), excludeReferenceLink: params.excludeReferenceLink, display: params.display };
  answer(res, 200, { result: page.rows.map((row) => ({ ...formatRecord(table, row, options), ...extra?.(row) })) });
}
