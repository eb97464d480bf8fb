/** The embedded PGlite in a thread of its own (store/pglite-thread.ts): what crosses, what waits, what ends. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDb, type Db } from '../../simulators/store/db';

describe('PGlite in its own thread', () => {
  let db: Db;
  before(async () => {
    db = await openDb({});
    await db.exec(`CREATE TABLE kept (id text PRIMARY KEY, at timestamptz, tags text[], doc jsonb, bytes bytea, n bigint)`);
  });
  after(() => db.close());

  it('answers values as they were written: dates, arrays, JSON, bytes and 64-bit integers', async () => {
    const at = new Date('2026-12-06T12:34:56.789Z');
    const bytes = Uint8Array.from([0, 1, 254, 255]);
    await db.query('INSERT INTO kept VALUES ($1, $2, $3, $4, $5, $6)', [
      'a',
      at,
      ['x', 'y'],
      JSON.stringify({ k: [1, 'two'] }),
      bytes,
      2 ** 40,
    ]);
    for (const prepare of [false, true]) {
      const [row] = await db.query('SELECT at, tags, doc, bytes, n FROM kept WHERE id = $1', ['a'], { prepare });
      assert.deepEqual(row, { at, tags: ['x', 'y'], doc: { k: [1, 'two'] }, bytes, n: 2 ** 40 });
      assert.ok(row?.at instanceof Date);
    }
  });

  it("fails a statement with PostgreSQL's error and its fields, and goes on answering", async () => {
    await db.query(`INSERT INTO kept (id) VALUES ('dup')`);
    await assert.rejects(db.query(`INSERT INTO kept (id) VALUES ('dup')`), (error: Error & { code?: string; constraint?: string }) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /duplicate key value violates unique constraint "kept_pkey"/);
      assert.equal(error.code, '23505');
      assert.equal(error.constraint, 'kept_pkey');
      return true;
    });
    assert.deepEqual(await db.query(`SELECT count(*)::int AS n FROM kept WHERE id = 'dup'`), [{ n: 1 }]);
  });

  it('refuses a value that cannot be sent to the thread, and goes on answering', async () => {
    await assert.rejects(db.query('SELECT $1::text AS v', [() => 'a function']), { name: 'DataCloneError' });
    assert.deepEqual(await db.query('SELECT $1::text AS v', ['text']), [{ v: 'text' }]);
  });

  it('commits a transaction whole, rolls a failed one back whole, and answers the failure', async () => {
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO kept (id) VALUES ('t1')`);
      await tx.query(`INSERT INTO kept (id) VALUES ('t2')`, [], { prepare: true });
    });
    const failed = new Error('the work failed');
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO kept (id) VALUES ('t3')`);
        throw failed;
      }),
      (error) => error === failed,
    );
    const ids = await db.query<{ id: string }>(`SELECT id FROM kept WHERE id LIKE 't%' ORDER BY id`);
    assert.deepEqual(
      ids.map((r) => r.id),
      ['t1', 't2'],
    );
  });

  it('runs a statement outside a transaction after it ends, not inside it', async () => {
    let inside!: () => void;
    const held = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const open = db.transaction(async (tx) => {
      await tx.query(`INSERT INTO kept (id) VALUES ('held')`);
      inside();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await held;
    const outside = db.query<{ n: number }>(`SELECT count(*)::int AS n FROM kept WHERE id = 'held'`);
    release();
    await open;
    assert.deepEqual(await outside, [{ n: 1 }]);
  });

  it("leaves the server's thread free while a statement runs", async () => {
    let turns = 0;
    const timer = setInterval(() => (turns += 1), 1);
    try {
      // A statement of some hundreds of milliseconds: in the server's thread, no timer would fire until it ended.
      await db.query('SELECT count(*) FROM generate_series(1, 1500000) g WHERE g % 7 = 3');
    } finally {
      clearInterval(timer);
    }
    assert.ok(turns >= 5, `the event loop turned ${turns} times during the statement`);
  });

  it('opens one store after another in one process, each in a thread of its own', async () => {
    // From the sources: a thread that loaded ts-node's native compiler crashed the process when the next one did.
    for (let i = 0; i < 3; i++) {
      const another = await openDb({});
      assert.deepEqual(await another.query('SELECT $1::int AS i', [i]), [{ i }]);
      await another.close();
    }
  });

  it('fails to open a data directory that is not a database, saying so, with no thread left waiting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fsm-not-a-database-'));
    try {
      writeFileSync(join(dir, 'PG_VERSION'), 'not a version\n');
      await assert.rejects(openDb({ dataDir: dir }), /PGlite failed to initialize/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses calls once closed, saying so', async () => {
    const other = await openDb({});
    await other.close();
    await assert.rejects(other.query('SELECT 1'), /The database is closed/);
  });

  it('does not keep a process alive that never closes its store', () => {
    const script = `require(${JSON.stringify(join(__dirname, '../../simulators/store/db.ts'))}).openDb({})
      .then((db) => db.query('SELECT 41 + 1 AS n')).then((rows) => console.log(JSON.stringify(rows)))`;
    const child = spawnSync(process.execPath, ['--require', 'ts-node/register/transpile-only', '-e', script], {
      cwd: join(__dirname, '../..'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(child.signal, null, 'the process had to be killed: the thread kept it alive');
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), '[{"n":42}]');
  });
});
