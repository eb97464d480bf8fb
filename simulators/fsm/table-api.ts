/**
 * ServiceNow's Table API for the tables a User may reach: list with encoded queries and paging
 * (X-Total-Count and Link headers), read, create and update. Reads and writes are scoped to the
 * caller's party; another party's sys_id is simply not found.
 */
import { Router, type Request, type Response } from 'express';
import type { SimConfig } from '../config';
import type { RecordService, TableDef } from '../services/records';
import { principalOf } from './authenticate';
import { baseUrl, formatRecord } from './format';
import { buildLinkHeader, readListParams, readRecordParams, type ListParams, type RecordParams } from './table-params';

export function tableApi(records: RecordService, config: SimConfig): Router {
  const router = Router();
  /** The table and its parameters: wrong parameters are a 400 once the caller is known and allowed. */
  const paramsOf = (req: Request, res: Response, op: 'read' | 'write') =>
    records.parsed(principalOf(res), String(req.params.table), op, (table) => readRecordParams(req.query, table));

  function send(req: Request, res: Response, table: TableDef, row: Record<string, unknown>, params: RecordParams, status = 200) {
    const options = { baseUrl: baseUrl(req), excludeReferenceLink: params.excludeReferenceLink };
    res.status(status).json({ result: formatRecord(table, row, options) });
  }

  router.get('/:table', async (req, res) => {
    const { table, value: params } = await records.parsed(principalOf(res), String(req.params.table), 'read', (t) =>
      readListParams(req.query, t, config.http.maxPageSize),
    );
    await sendList(records, req, res, table, params);
  });

  router.get('/:table/:sysId', async (req, res) => {
    const { table, value: params } = await paramsOf(req, res, 'read');
    send(req, res, table, await records.read(principalOf(res), table.name, String(req.params.sysId), params.fields), params);
  });

  router.post('/:table', async (req, res) => {
    const { table, value: params } = await paramsOf(req, res, 'write');
    const row = await records.create(principalOf(res), table.name, req.body, params.fields);
    res.setHeader('Location', `${baseUrl(req)}/api/now/table/${table.name}/${String(row['@id'])}`);
    send(req, res, table, row, params, 201);
  });

  const update = async (req: Request, res: Response) => {
    const { table, value: params } = await paramsOf(req, res, 'write');
    const { sys_id } = await records.update(principalOf(res), table.name, String(req.params.sysId), req.body);
    send(req, res, table, await records.read(principalOf(res), table.name, sys_id, params.fields), params);
  };
  router.patch('/:table/:sysId', update);
  router.put('/:table/:sysId', update);

  router.delete('/:table/:sysId', (req, res) => records.delete(principalOf(res), String(req.params.table)));

  return router;
}

/** A page of one party's records with X-Total-Count and Link, as the Table and Attachment APIs answer lists. */
export async function sendList(
  records: RecordService,
  req: Request,
  res: Response,
  table: TableDef,
  params: ListParams,
  extra?: (row: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  const page = await records.list(principalOf(res), table.name, params);
  res.setHeader('X-Total-Count', String(page.total));
  const links = buildLinkHeader(baseUrl(req) + req.originalUrl, params.limit, params.offset, page.total);
  if (links) res.setHeader('Link', links);
  const options = { baseUrl: baseUrl(req), excludeReferenceLink: params.excludeReferenceLink };
  res.json({ result: page.rows.map((row) => ({ ...formatRecord(table, row, options), ...extra?.(row) })) });
}
