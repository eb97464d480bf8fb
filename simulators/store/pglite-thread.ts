/**
 * An embedded PGlite in a thread of its own (pglite-worker.ts), behind the same Db interface. PGlite
 * runs PostgreSQL synchronously in WebAssembly: in the server's thread, every statement stopped HTTP,
 * and HTTP's work between statements evicted the database's memory from the core's caches (a read's
 * statement took 1.7 times as long as in a loop of reads). In its own thread it runs beside HTTP, on
 * the other core, as PostgreSQL does. Each call is a message, answered by one naming it; rows come
 * back by structured clone (dates, arrays, bytes and JSON as they were).
 *
 * The thread does not keep the process alive while nothing is asked of it: a command that ends
 * without closing its store still ends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Worker } from 'node:worker_threads';
import { harnessMessage } from '../../clients/messages';
import type { Db, Queryable } from './db';

export interface ThreadOptions {
  /** PGlite data directory; in memory when absent. */
  dataDir?: string;
  /** A snapshot (tarball) to start from, moved to the thread, not copied. */
  start?: ArrayBuffer;
  /** PostgreSQL settings (`-c name=value`) beyond the usual ones. */
  extraParams?: string[];
}

/** A PGlite in its thread: a Db, whose data directory can also be dumped (a tarball, for a snapshot). */
export interface PgliteThread extends Db {
  dump(): Promise<ArrayBuffer>;
}

type Op =
  | { op: 'ready' }
  | { op: 'query'; sql: string; params?: readonly unknown[]; prepare?: boolean; tx?: number }
  | { op: 'begin' }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'exec'; sql: string }
  | { op: 'dump' }
  | { op: 'close' };
export type Call = Op & { id: number };
export interface Reply {
  id: number;
  result?: unknown;
  /** A failed call's error: its message, stack and fields (PostgreSQL's code, constraint, detail...). */
  error?: Record<string, unknown> & { message: string; name: string; stack?: string };
}

/** The thread's modules: in the sources, what it runs must be compiled here, where ts-node is (its imports of values). */
const THREAD_SOURCES = ['pglite-worker.ts', 'pglite-prepared.ts', 'snapshots.ts'];

/**
 * The worker's module: compiled JavaScript beside this file in dist/; in the sources, TypeScript
 * compiled by this thread's ts-node and handed over. A thread has no require hooks of its own, and
 * ts-node there would load @swc/core, a native module that crashes the process when a second thread
 * loads it after the first ended. The thread takes none of this process's options (`execArgv`): a
 * preloaded module named relative to the working directory would not be found from another one, and
 * V8's flags are the process's, shared by every thread already.
 */
function startWorker(options: ThreadOptions): Worker {
  const settings = { transferList: options.start ? [options.start] : [], execArgv: [] };
  if (__filename.endsWith('.js')) return new Worker(join(__dirname, 'pglite-worker.js'), { ...settings, workerData: options });
  const tsNode = (process as unknown as { [key: symbol]: { compile(code: string, file: string): string } | undefined })[
    Symbol.for('ts-node.register.instance')
  ];
  if (!tsNode)
    throw new Error(
      harnessMessage('Run the sources through ts-node (node -r ts-node/register/transpile-only), or build them: npm run build.'),
    );
  const compiled = THREAD_SOURCES.map((name) => join(__dirname, name)).map((file) => [
    file,
    tsNode.compile(readFileSync(file, 'utf8'), file),
  ]);
  const code = `const { workerData } = require('node:worker_threads');
    const compiled = new Map(workerData.compiled);
    require.extensions['.ts'] = (module, file) => {
      if (!compiled.has(file)) throw new Error(file + ' is not among the sources compiled for the database thread (THREAD_SOURCES in pglite-thread.ts)');
      module._compile(compiled.get(file), file);
    };
    require(${JSON.stringify(compiled[0]?.[0])});`;
  return new Worker(code, { ...settings, eval: true, workerData: { ...options, compiled } });
}

function remoteError(error: NonNullable<Reply['error']>): Error {
  const { message, stack, ...fields } = error;
  return Object.assign(new Error(message), fields, stack ? { stack } : {});
}

/** The calls of a thread: each a message, answered by one naming it; all of them failed once the thread has ended. */
function caller(worker: Worker) {
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let calls = 0;
  let ended: Error | undefined;
  worker.unref();
  const settle = (id: number) => {
    const found = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) worker.unref();
    return found;
  };
  const end = (error: unknown) => {
    ended ??= error instanceof Error ? error : new Error(`The database's thread failed: ${inspect(error)}`);
    for (const id of [...waiting.keys()]) settle(id)?.reject(ended);
  };
  worker.on('message', ({ id, result, error }: Reply) => {
    const found = settle(id);
    if (error) found?.reject(remoteError(error));
    else found?.resolve(result);
  });
  worker.on('error', end);
  worker.on('exit', (code) => end(new Error(`The database's thread ended (exit code ${code})`)));

  const call = <T>(op: Op): Promise<T> => {
    if (ended) return Promise.reject(ended);
    const id = (calls += 1);
    // While an answer is awaited the thread keeps the process alive, as a socket to PostgreSQL would.
    if (waiting.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        worker.postMessage({ ...op, id } satisfies Call);
      } catch (error) {
        // A value structured clone cannot copy (a function...): this call fails, nothing waits for it.
        settle(id);
        reject(error);
      }
    });
  };
  return { call, end, ended: () => ended !== undefined };
}

export async function pgliteThread(options: ThreadOptions): Promise<PgliteThread> {
  const worker = startWorker(options);
  const { call, end, ended } = caller(worker);
  const queryIn =
    (tx?: number): Queryable['query'] =>
    (sql, params, options) =>
      call({ op: 'query', sql, params, prepare: options?.prepare, tx });
  try {
    await call({ op: 'ready' });
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return {
    kind: 'pglite',
    query: queryIn(),
    async transaction(work) {
      const tx = await call<number>({ op: 'begin' });
      let result;
      try {
        result = await work({ query: queryIn(tx) });
      } catch (error) {
        // What failed is what the caller hears, not a rollback that could not be asked for (the thread gone).
        await call({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw error;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
    exec: (sql) => call({ op: 'exec', sql }),
    dump: () => call({ op: 'dump' }),
    async close() {
      if (!ended()) await call({ op: 'close' });
      end(new Error('The database is closed'));
      await worker.terminate();
    },
  };
}
