/**
 * The thread a PGlite runs in (pglite-thread.ts starts it): the database answers here, on a core of
 * its own, while the server's thread answers HTTP. Each message is one call of the Db interface (or a
 * dump of the data directory, for a snapshot); each answer names the call it answers. This module is
 * the thread's whole program, evaluated once in each thread: its state (the open transactions) is
 * that one store's.
 */
import { inspect } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable } from './db';
import { preparedStatements } from './pglite-prepared';
import type { Call, Reply, ThreadOptions } from './pglite-thread';
import { tarball } from './snapshots';

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

const port = parentPort;
if (!port) throw new Error('pglite-worker.ts runs as a worker thread (pglite-thread.ts starts it)');

const options = workerData as ThreadOptions;
const started: Promise<PGlite> = PGlite.create({
  ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  ...(options.start ? { loadDataDir: tarball(options.start) } : {}),
  initDbStartParams: INITDB,
  startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`, ...(options.extraParams ?? [])],
});
const opened = started.then(wrapPglite);
opened.catch(() => undefined); // a failed start is answered to every call, 'ready' first

/**
 * Transactions open in this thread: the statements of each, and `end`, which commits or rolls it back
 * and answers how that went (PGlite's own transaction promise).
 */
const open = new Map<number, { tx: Queryable; end: (commit: boolean) => Promise<void> }>();
let transactions = 0;

function begin(db: Db): Promise<number> {
  const id = (transactions += 1);
  // The transaction stays open, holding PGlite's lock, until the server's thread ends it.
  return new Promise((began, failed) => {
    const ended = db.transaction(
      (tx) =>
        new Promise<void>((commit, rollBack) => {
          const end = (ok: boolean) => {
            if (ok) commit();
            else rollBack(new Error('rolled back'));
            return ended;
          };
          open.set(id, { tx, end });
          began(id);
        }),
    );
    ended.catch(failed); // a transaction that could not begin (once begun, this changes nothing)
  });
}

async function answer(call: Call, db: Db): Promise<unknown> {
  switch (call.op) {
    case 'ready':
      return null;
    case 'query': {
      const target = call.tx === undefined ? db : open.get(call.tx)?.tx;
      if (!target) throw new Error(`transaction ${call.tx} is not open`);
      return target.query(call.sql, call.params, { prepare: call.prepare });
    }
    case 'begin':
      return begin(db);
    case 'end': {
      const transaction = open.get(call.tx);
      if (!transaction) throw new Error(`transaction ${call.tx} is not open`);
      open.delete(call.tx);
      // A failed COMMIT fails the call that asked for it; a rollback asked for is no failure.
      return transaction.end(call.commit).catch((error: unknown) => {
        if (call.commit) throw error;
      });
    }
    case 'exec':
      return db.exec(call.sql);
    case 'dump':
      return (await (await started).dumpDataDir('none')).arrayBuffer();
    case 'close':
      return db.close();
  }
}

/** What a failed call answers: the error's message and its fields (PostgreSQL's code, constraint, detail...), as plain values. */
function failure(error: unknown): Reply['error'] {
  const e = error instanceof Error ? error : new Error(inspect(error));
  const fields = Object.entries(e).filter(([, value]) => value === null || ['string', 'number', 'boolean'].includes(typeof value));
  return { ...Object.fromEntries(fields), name: e.name, message: e.message, stack: e.stack };
}

/** Sends an answer; one that cannot be sent (a value no structured clone can copy) fails its call instead of the thread. */
function reply(message: Reply, transfer: ArrayBuffer[] = []): void {
  try {
    port?.postMessage(message, transfer);
  } catch (error) {
    port?.postMessage({ id: message.id, error: failure(error) } satisfies Reply);
  }
}

port.on('message', (call: Call) => {
  void opened
    .then((db) => answer(call, db))
    .then(
      // A dump's bytes are moved, not copied.
      (result) => reply({ id: call.id, result }, result instanceof ArrayBuffer ? [result] : []),
      (error: unknown) => reply({ id: call.id, error: failure(error) }),
    );
});
