/**
 * ServiceNow's Table API for the tables a User may reach: list with encoded queries and paging
 * (X-Total-Count and Link headers), read, create and update. Reads and writes are scoped to the
 * caller's party; another party's sys_id is simply not found.
 */
import { Router, type Request, type Response } from 'express';
import { Forbidden, InvalidInput, NotFound } from '../domain/errors';
import { parseEncodedQuery } from '../domain/encoded-query';
import type { Caller, Core } from '../services/context';
import type { IncidentService } from '../services/incidents';
import { getRecord, listRecords } from '../store/records';
import { tableNamed, type TableDef } from '../store/tables';
import { callerOf } from './authenticate';
import { createUser, updateUser } from '../services/users';
import { baseUrl, formatRecord } from './format';
import { buildLinkHeader, readListParams, readRecordParams, type RecordParams } from './table-params';

interface Writer {
  create(caller: Caller, body: unknown): Promise<{ sys_id: string }>;
  update(caller: Caller, sysId: string, body: unknown): Promise<{ sys_id: string }>;
}

export interface TableAccess {
  read: string;
  write?: string;
}

/** Which Functional Component each table operation needs; a table without `write` is read-only. */
export const ACCESS = {
  incident: { read: 'incidents.read', write: 'incidents.write' },
  sys_user: { read: 'accounts.read', write: 'accounts.admin' },
  sys_journal_field: { read: 'incidents.read' },
  sys_attachment: { read: 'incidents.read' },
  sc_request: { read: 'requests.read' },
  sc_req_item: { read: 'requests.read' },
  kb_knowledge: { read: 'knowledge.read' },
} satisfies Record<string, TableAccess>;
/** ACCESS by the table name a request gives: a name Object.prototype has (`constructor`) is no table. */
const ACCESS_BY_TABLE: ReadonlyMap<string, TableAccess> = new Map(Object.entries(ACCESS));

export function tableApi(core: Core, incidents: IncidentService): Router {
  const router = Router();
  const writers = new Map<string, Writer>([
    ['incident', { create: (c, b) => incidents.raise(c, b), update: (c, id, b) => incidents.update(c, id, b) }],
    ['sys_user', { create: (c, b) => createUser(core, c, b), update: (c, id, b) => updateUser(core, c, id, b) }],
  ]);

  /** The table named in the path, once the caller is known to hold the component the operation needs. */
  function tableFor(req: Request, res: Response, op: 'read' | 'write'): TableDef {
    const name = String(req.params.table);
    const table = tableNamed(name);
    const access = ACCESS_BY_TABLE.get(name);
    if (!table || !access) {
      // As ServiceNow does: an unknown table is a bad request, and the reachable ones are no secret.
      throw new InvalidInput(`Invalid table ${name.slice(0, 80)}`, `Tables this API serves: ${[...ACCESS_BY_TABLE.keys()].join(', ')}.`);
    }
    const component = op === 'read' ? access.read : access.write;
    if (!component) throw new Forbidden(`${name} is read-only through the Table API.`);
    core.roles.require(callerOf(res).roles, component);
    return table;
  }

  function writerFor(table: TableDef): Writer {
    const writer = writers.get(table.name);
    if (!writer) throw new Forbidden(`${table.name} is read-only through the Table API.`);
    return writer;
  }

  async function answer(req: Request, res: Response, table: TableDef, sysId: string, params: RecordParams, status = 200) {
    const row = await getRecord(core.db, table, callerOf(res).partyId, sysId, params.fields);
    if (!row) throw new NotFound();
    res.status(status).json({ result: formatRecord(table, row, { baseUrl: baseUrl(req), excludeReferenceLink: params.excludeReferenceLink }) });
  }

  router.get('/:table', async (req, res) => {
    const table = tableFor(req, res, 'read');
    if (table.name === 'incident') await incidents.sweep();
    await sendList(core, req, res, table);
  });

  router.get('/:table/:sysId', async (req, res) => {
    const table = tableFor(req, res, 'read');
    if (table.name === 'incident') await incidents.sweep();
    await answer(req, res, table, String(req.params.sysId), readRecordParams(req.query, table));
  });

  router.post('/:table', async (req, res) => {
    const table = tableFor(req, res, 'write');
    const params = readRecordParams(req.query, table);
    const { sys_id } = await writerFor(table).create(callerOf(res), req.body);
    res.setHeader('Location', `${baseUrl(req)}/api/now/table/${table.name}/${sys_id}`);
    await answer(req, res, table, sys_id, params, 201);
  });

  const update = async (req: Request, res: Response) => {
    const table = tableFor(req, res, 'write');
    const params = readRecordParams(req.query, table);
    const { sys_id } = await writerFor(table).update(callerOf(res), String(req.params.sysId), req.body);
    await answer(req, res, table, sys_id, params);
  };
  router.patch('/:table/:sysId', update);
  router.put('/:table/:sysId', update);

  router.delete('/:table/:sysId', (req, res) => {
    tableFor(req, res, 'write');
    throw new Forbidden('Records cannot be deleted. To withdraw an incident, set its state to 8 (Canceled).');
  });

  return router;
}

/** A page of one party's records with X-Total-Count and Link, as the Table and Attachment APIs answer lists. */
export async function sendList(core: Core, req: Request, res: Response, table: TableDef, extra?: (row: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const params = readListParams(req.query, table, core.config.http.maxPageSize);
  const page = await listRecords(core.db, table, callerOf(res).partyId, { ...params, query: parseEncodedQuery(params.query) });
  res.setHeader('X-Total-Count', String(page.total));
  const links = buildLinkHeader(baseUrl(req) + req.originalUrl, params.limit, params.offset, page.total);
  if (links) res.setHeader('Link', links);
  const options = { baseUrl: baseUrl(req), excludeReferenceLink: params.excludeReferenceLink };
  res.json({ result: page.rows.map((row) => ({ ...formatRecord(table, row, options), ...extra?.(row) })) });
}
