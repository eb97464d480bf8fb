/**
 * The database behind every simulator: embedded PGlite by default (in memory, or a data directory),
 * PostgreSQL when a connection string is given. Both speak the same SQL; nothing above this file
 * knows which one it has.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { Unavailable } from '../domain/errors';
import { harnessMessage } from '../../clients/messages';
import { preparedStatements } from './pglite-prepared';
import { snapshot } from './snapshots';

export interface QueryOptions {
  /**
   * A statement run on every request: parsed and planned once per connection (a named prepared
   * statement; on PGlite through its wire protocol, pglite-prepared.ts).
   */
  prepare?: boolean;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: all of it commits, or none of it. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres://... for PostgreSQL; otherwise PGlite. */
  databaseUrl?: string;
  /** PGlite data directory; in memory when absent. */
  dataDir?: string;
  /** PostgreSQL schema to work in, created if missing, so that several simulators can share a server. */
  schema?: string;
  /**
   * What a new PGlite database starts as: a snapshot of a database `prepare` has run on (migrated),
   * made once and kept under `name`. The name must change whenever what `prepare` does changes.
   */
  template?: { name: string; prepare(db: Db): Promise<void> };
}

export async function openDb(options: DbOptions = {}): Promise<Db> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.schema) : openPglite(options.dataDir, options.template);
}

async function openPglite(dataDir?: string, template?: DbOptions['template']): Promise<Db> {
  const fresh = !dataDir || !existsSync(join(dataDir, 'PG_VERSION'));
  const start = fresh ? ((template && (await preparedCluster(template))) ?? (await initialisedCluster())) : undefined;
  return wrapPglite(await createPglite({ ...(dataDir ? { dataDir } : {}), ...(start ? { loadDataDir: start } : {}) }));
}

/**
 * PostgreSQL's buffer cache in PGlite: 16 MB, not PostgreSQL's 128 MB. PGlite zeroes the whole of it
 * at every start (a memset in WebAssembly, 0.4-0.5 s of CPU for 128 MB, most of a one-shot command's
 * open); the pages it would keep are in memory already (an in-memory database) or in the system's
 * file cache (a data directory).
 */
const SHARED_BUFFERS = '16MB';

/**
 * A new cluster's write-ahead log comes in 1 MB segments, not 16 MB: a snapshot carries one segment
 * whole, and every in-memory start copies it (and a data directory's start writes it).
 */
const INITDB = ['--wal-segsize=1'];

/**
 * A cluster being made into a snapshot removes the log segments it no longer needs at a checkpoint
 * instead of keeping them for reuse, so that its snapshot carries one.
 */
const FOR_SNAPSHOT = ['-c', 'wal_recycle=off', '-c', 'min_wal_size=2MB'];

function createPglite(options: { dataDir?: string; loadDataDir?: Blob }, extraParams: string[] = []): Promise<PGlite> {
  // Loaded when a database opens (about 0.1 s): a command answering from kept answers never does.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  return PGlite.create({
    ...options,
    initDbStartParams: INITDB,
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`, ...extraParams],
  });
}

function wrapPglite(lite: PGlite): Db {
  const run = async <T>(q: Pick<PGlite, 'query'>, sql: string, params?: readonly unknown[]) =>
    (await q.query<T>(sql, params ? [...params] : undefined)).rows;
  const prepared = preparedStatements(lite);
  return {
    kind: 'pglite',
    query: (sql, params, options) => (options?.prepare ? prepared(sql, params, false) : run(lite, sql, params)),
    transaction: (work) =>
      lite.transaction((tx) =>
        work({ query: (sql, params, options) => (options?.prepare ? prepared(sql, params, true) : run(tx, sql, params)) }),
      ),
    exec: async (sql) => void (await lite.exec(sql)),
    close: () => lite.close(),
  };
}

/**
 * The snapshot a new cluster starts from, named for what it is: 1 MB log segments (INITDB), and one
 * database. An embedded store never runs CREATE DATABASE, the only use of template0 and template1:
 * they are dropped, which takes 15 MB of the 41 every start would copy.
 */
const INITIALISED = 'initialised-walseg1-onedb';

/**
 * A new PGlite database starts by running initdb, about 4 s of CPU; loading a snapshot of a cluster
 * just initialised takes about 0.3 s. Any problem with the snapshot falls back to initdb.
 */
function initialisedCluster(): Promise<Blob | undefined> {
  return snapshot(INITIALISED, async () => {
    const lite = await createPglite({}, FOR_SNAPSHOT);
    try {
      await lite.exec(`UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')`);
      // One statement each: DROP DATABASE cannot run in the transaction a list of statements makes.
      for (const statement of ['DROP DATABASE template0', 'DROP DATABASE template1', 'CHECKPOINT']) await lite.exec(statement);
      return await lite.dumpDataDir('none');
    } finally {
      await lite.close();
    }
  });
}

/**
 * A cluster the template has prepared (migrations take about 1 s at every start otherwise), made in
 * memory from the initialised one. The caller still runs its migrations: they find nothing to do.
 */
function preparedCluster(template: NonNullable<DbOptions['template']>): Promise<Blob | undefined> {
  return snapshot(`${template.name}-on-${INITIALISED}`, async () => {
    const initialised = await initialisedCluster();
    const lite = await createPglite(initialised ? { loadDataDir: initialised } : {}, FOR_SNAPSHOT);
    try {
      await template.prepare(wrapPglite(lite));
      await lite.exec('CHECKPOINT');
      return await lite.dumpDataDir('none');
    } finally {
      await lite.close();
    }
  });
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** SQLSTATE classes and socket errors that mean the server went away, not that the statement was wrong. */
const LOST_SQLSTATE = /^(08...|57P0[123]|53300)$/;
const LOST_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const LOST_MESSAGE = /^Connection terminated|connection error and is not queryable|Client was closed and is not queryable/;

/**
 * A lost connection (PostgreSQL restarted, a connection killed) becomes a clear 503 the person can
 * retry: the server rolls back a transaction cut short (only a COMMIT whose answer was lost may have
 * gone through, and a retry is then refused as a duplicate). Anything else passes through.
 */
function connectionLost(error: unknown): unknown {
  const e = error as { code?: unknown; message?: unknown };
  const lost =
    (typeof e?.code === 'string' && (LOST_SQLSTATE.test(e.code) || LOST_SOCKET.has(e.code))) ||
    (typeof e?.message === 'string' && LOST_MESSAGE.test(e.message));
  return lost ? new Unavailable('The database cannot be reached just now', 'Try again in a moment.') : error;
}

/** Drops `schema` and all in it (what `openDb`'s `schema` made): for tests and benchmarks that share one PostgreSQL. */
export async function dropSchema(connectionString: string, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(harnessMessage(`"${schema}" is not a valid schema name`));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require('pg') as typeof import('pg');
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Statement texts named (prepared once per connection) on PostgreSQL; others run unnamed. */
export const PREPARED_TEXTS = 200;

async function openPostgres(connectionString: string, schema?: string): Promise<Db> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(harnessMessage(`"${schema}" is not a valid schema name`));
  // Loaded only here: node-postgres loads undici as it loads (about 0.1 s), which PGlite's commands never use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require('pg') as typeof import('pg');
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  // A dropped connection must not crash the process: the next query gets a fresh one.
  pool.on('error', () => undefined);
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  // node-postgres keeps a named statement for the life of its connection, and a list's filters make
  // many texts: only the first PREPARED_TEXTS texts are named, so what a connection keeps is bounded.
  // Each text's name, found by the text itself (no hash of it computed again for every request).
  const named = new Map<string, string>();
  const nameOf = (sql: string) => {
    const known = named.get(sql);
    if (known !== undefined || named.size >= PREPARED_TEXTS) return known;
    const name = `fsm_${createHash('sha1').update(sql).digest('hex')}`;
    named.set(sql, name);
    return name;
  };
  const run = async <T>(q: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[], options?: QueryOptions) => {
    const values = params ? [...params] : undefined;
    try {
      const name = options?.prepare ? nameOf(sql) : undefined;
      return (await q.query({ text: sql, values, name })).rows as T[];
    } catch (error) {
      throw connectionLost(error);
    }
  };
  return {
    kind: 'postgres',
    query: (sql, params, options) => run(pool, sql, params, options),
    async transaction(work) {
      const client = await pool.connect().catch((error: unknown) => {
        throw connectionLost(error);
      });
      // The pool listens for errors only on idle clients: one killed while this transaction waits
      // (hashing a password...) must fail the transaction's next query, not crash the process.
      // (pg-pool drops a client that is no longer queryable when it is released.)
      const ignore = () => undefined;
      client.on('error', ignore);
      try {
        await run(client, 'BEGIN');
        const result = await work({ query: (sql, params, options) => run(client, sql, params, options) });
        await run(client, 'COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.removeListener('error', ignore);
        client.release();
      }
    },
    exec: async (sql) => void (await pool.query(sql)),
    close: () => pool.end(),
  };
}
