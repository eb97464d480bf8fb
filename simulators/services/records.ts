/**
 * Records of the tables the Table API serves, as use cases: which Functional Component each table
 * operation needs, the incidents' auto-close sweep before any incident is read, and party scoping
 * (another party's sys_id is simply not found). The Table API, the Attachment API and the portal all
 * read records here, so each of those rules exists once.
 */
import { parseEncodedQuery } from '../domain/encoded-query';
import { Forbidden, InvalidInput, NotFound } from '../domain/errors';
import { queryAs, whoMay, type WhoResult, type WhoStatement } from '../store/as-who';
import { listStatement, recordStatement, selectList, type Page } from '../store/records';
import { fieldOf, tableNamed, type TableDef } from '../store/tables';
import type { Caller, Core } from './context';
import { DELETE_REFUSED } from './incident-deletion';
import type { IncidentService } from './incidents';
import { isPending, type Principal, type SessionService } from './sessions';

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

type Bind = (value: unknown) => string;

export interface Writer {
  create(caller: Caller, body: unknown): Promise<{ sys_id: string }>;
  update(caller: Caller, sysId: string, body: unknown): Promise<{ sys_id: string }>;
  /** Deletes the record where this table's delete ACL allows the caller; a table without one refuses every delete. */
  delete?(caller: Caller, sysId: string): Promise<void>;
  /**
   * The create as one statement run as whoever asks (store/as-who.ts): an INSERT ... RETURNING * that
   * inserts only where `may` holds; undefined when this input needs a check of its own first.
   */
  createAs?(body: unknown, may: (bind: Bind) => string): ((bind: Bind) => string) | undefined;
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
    private readonly sessions: SessionService,
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

  /**
   * What `parse` makes of a request's parameters for the table named. A principal not yet read is not
   * told its parameters are wrong before it is known and allowed: 401 and 403 come first, as ever.
   */
  async parsed<T>(
    principal: Principal,
    name: string,
    op: 'read' | 'write',
    parse: (table: TableDef) => T,
  ): Promise<{ table: TableDef; value: T }> {
    const table = isPending(principal) ? tableNamed(name) : this.table(principal, name, op);
    try {
      if (!table || !ACCESS_BY_TABLE.has(name)) throw new Error('unknown table');
      return { table, value: parse(table) };
    } catch (error) {
      this.table(await this.sessions.callerOf(principal), name, op);
      throw error;
    }
  }

  /** One record of the caller's party, or NotFound. */
  async read(
    principal: Principal,
    tableName: string,
    sysId: string,
    fields?: readonly string[],
    what?: string,
    displayValues = false,
  ): Promise<Record<string, unknown>> {
    const { rows } = await this.as(principal, tableName, 'read', (table) => recordStatement(table, sysId, fields, displayValues));
    const row = rows[0];
    if (!row) throw new NotFound(what);
    return row;
  }

  /** A filtered, sorted page of the caller's party's records, with the total. */
  async list(principal: Principal, tableName: string, request: ListRequest): Promise<Page> {
    const { rows, total } = await this.as(principal, tableName, 'read', (table) =>
      listStatement(table, { ...request, query: parseEncodedQuery(request.query) }),
    );
    return { rows, total };
  }

  /** A new record, and the record as read back (its `fields`). One statement where the writer can say it as one. */
  async create(
    principal: Principal,
    tableName: string,
    body: unknown,
    fields?: readonly string[],
    displayValues = false,
  ): Promise<Record<string, unknown>> {
    const writer = this.writers.get(tableName);
    const component = ACCESS_BY_TABLE.get(tableName)?.write;
    // The internet route's allowlist is checked in code, after the statement: too late for a write.
    const oneStatement = writer?.createAs && component && !(isPending(principal) && principal.route !== 'gateway');
    if (oneStatement) {
      const holders = this.core.roles.holdersOf(component);
      const { table, value: created } = await this.parsed(principal, tableName, 'write', () =>
        writer.createAs?.(body, (bind) => whoMay(holders, bind)),
      );
      if (created) {
        const select = `${selectList(table, fields, displayValues)}, ${fieldOf(table, 'sys_id').sql} AS "@id"`;
        const { rows } = await this.as(principal, tableName, 'write', () => (bind) => ({
          with: `created AS (${created(bind)})`,
          rows: `SELECT ${select} FROM created`,
        }));
        if (rows[0]) return rows[0];
        throw new Error(`${tableName}: a create for a caller allowed to write inserted nothing`);
      }
    }
    const caller = await this.sessions.callerOf(principal);
    const { sys_id } = await this.writerOf(this.table(caller, tableName, 'write')).create(caller, body);
    return { ...(await this.read(caller, tableName, sys_id, fields, undefined, displayValues)), '@id': sys_id };
  }

  /**
   * Runs the statement `build` makes as the principal (one round trip, who is asking read with it),
   * then checks the caller it found may do this: nothing read is answered, and nothing written was
   * (the statement's own `whoMay`), otherwise.
   */
  private async as(
    principal: Principal,
    tableName: string,
    op: 'read' | 'write',
    build: (table: TableDef) => (bind: Bind) => WhoStatement,
  ): Promise<WhoResult> {
    const { table, value: statement } = await this.parsed(principal, tableName, op, (t) => {
      const made = build(t);
      made(() => '$0'); // compiles it now: a field the table does not have is a 400 before any query
      return made;
    });
    if (table.name === 'incident') await this.incidents.sweep();
    const result = await queryAs(this.core.db, this.sessions.whoOf(principal), statement);
    this.table(await this.sessions.callerFrom(principal, result.session), tableName, op);
    return result;
  }

  async update(principal: Principal, tableName: string, sysId: string, body: unknown): Promise<{ sys_id: string }> {
    const caller = await this.sessions.callerOf(principal);
    return this.writerOf(this.table(caller, tableName, 'write')).update(caller, sysId, body);
  }

  /** A record deleted where its table's writer has a delete ACL (incident-deletion.ts); refused otherwise, saying what to do instead. */
  async delete(principal: Principal, tableName: string, sysId: string): Promise<void> {
    const caller = await this.sessions.callerOf(principal);
    const writer = this.writers.get(this.table(caller, tableName, 'write').name);
    if (!writer?.delete) throw new Forbidden(DELETE_REFUSED);
    await writer.delete(caller, sysId);
  }

  private writerOf(table: TableDef): Writer {
    const writer = this.writers.get(table.name);
    if (!writer) throw new Forbidden(`${table.name} is read-only through the Table API.`);
    return writer;
  }
}
