/**
 * The database behind every simulator: embedded PGlite by default (in memory, or a data directory,
 * in a thread of its own: pglite.ts), PostgreSQL when a connection string is given. Both speak the
 * same SQL; nothing above this file knows which one it has.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { Unavailable } from '../domain/errors';
import { harnessMessage } from '../../clients/messages';
import { openPglite } from './pglite';

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
    exec: async (sql) => void (await run(pool, sql)),
    close: () => pool.end(),
  };
}
