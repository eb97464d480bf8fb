/**
 * Records of the tables the Table API serves, as use cases: which Functional Component each table
 * operation needs, the incidents' auto-close sweep before any incident is read, and party scoping
 * (another party's sys_id is simply not found). The Table API, the Attachment API and the portal all
 * read records here, so each of those rules exists once.
 */
import { parseEncodedQuery } from '../domain/encoded-query';
import { Forbidden, InvalidInput, NotFound } from '../domain/errors';
import { getRecord, listRecords, type Page } from '../store/records';
import { tableNamed, type TableDef } from '../store/tables';
import type { Caller, Core } from './context';
import type { IncidentService } from './incidents';

export type { Page } from '../store/records';
export { displayAlias, fieldNamed, fieldOf, SYS_ATTACHMENT, type FieldDef, type TableDef } from '../store/tables';

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

export interface Writer {
  create(caller: Caller, body: unknown): Promise<{ sys_id: string }>;
  update(caller: Caller, sysId: string, body: unknown): Promise<{ sys_id: string }>;
  /** Absent: the table's records are never deleted. */
  delete?(caller: Caller, sysId: string): Promise<void>;
}

export interface ListRequest {
  /** An encoded query, as sysparm_query gives it. */
  query: string;
  limit: number;
  offset: number;
  fields?: readonly string[];
  /** Also read references' display values. */
  displayValues?: boolean;
}

export class RecordService {
  constructor(
    private readonly core: Core,
    private readonly incidents: IncidentService,
    private readonly writers: ReadonlyMap<string, Writer>,
  ) {}

  /** The table named by a request, once the caller is known to hold the component the operation needs. */
  table(caller: Caller, name: string, op: 'read' | 'write'): TableDef {
    const table = tableNamed(name);
    const access = ACCESS_BY_TABLE.get(name);
    if (!table || !access) {
      // As ServiceNow does: an unknown table is a bad request, and the reachable ones are no secret.
      throw new InvalidInput(`Invalid table ${name.slice(0, 80)}`, `Tables this API serves: ${[...ACCESS_BY_TABLE.keys()].join(', ')}.`);
    }
    const component = op === 'read' ? access.read : access.write;
    if (!component) throw new Forbidden(`${name} is read-only through the Table API.`);
    this.core.roles.require(caller.roles, component);
    return table;
  }

  /** One record of the caller's party, or NotFound. */
  async read(
    caller: Caller,
    tableName: string,
    sysId: string,
    fields?: readonly string[],
    what?: string,
    displayValues = false,
  ): Promise<Record<string, unknown>> {
    const table = this.table(caller, tableName, 'read');
    if (table.name === 'incident') await this.incidents.sweep();
    const row = await getRecord(this.core.db, table, caller.partyId, sysId, fields, displayValues);
    if (!row) throw new NotFound(what);
    return row;
  }

  /** A filtered, sorted page of the caller's party's records, with the total. */
  async list(caller: Caller, tableName: string, request: ListRequest): Promise<Page> {
    const table = this.table(caller, tableName, 'read');
    if (table.name === 'incident') await this.incidents.sweep();
    return listRecords(this.core.db, table, caller.partyId, { ...request, query: parseEncodedQuery(request.query) });
  }

  async create(caller: Caller, tableName: string, body: unknown): Promise<{ sys_id: string }> {
    return this.writerOf(this.table(caller, tableName, 'write')).create(caller, body);
  }

  async update(caller: Caller, tableName: string, sysId: string, body: unknown): Promise<{ sys_id: string }> {
    return this.writerOf(this.table(caller, tableName, 'write')).update(caller, sysId, body);
  }

  /** Deletes a record where its table allows it (a New incident); elsewhere the answer says what to do instead. */
  async delete(caller: Caller, tableName: string, sysId: string): Promise<void> {
    const writer = this.writerOf(this.table(caller, tableName, 'write'));
    if (!writer.delete) throw new Forbidden(`Records of ${tableName} cannot be deleted.`);
    await writer.delete(caller, sysId);
  }

  private writerOf(table: TableDef): Writer {
    const writer = this.writers.get(table.name);
    if (!writer) throw new Forbidden(`${table.name} is read-only through the Table API.`);
    return writer;
  }
}
