/**
 * Issue 19: a statement run on every request (`prepare: true`) is parsed and planned once per
 * connection, on PGlite (its wire protocol, store/pglite-prepared.ts) as on PostgreSQL, and answers
 * exactly what an unprepared statement answers, inside and outside transactions.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PREPARED_TEXTS, type Db } from '../../simulators/store/db';
import { testDatabases } from '../support';

const prepare = { prepare: true };

for (const database of testDatabases()) {
  describe(`prepared statements on ${database.name}`, { skip: database.skip }, () => {
    let db: Db;
    const table = `prepared_${randomBytes(4).toString('hex')}`;

    before(async () => {
      db = await database.open();
      await db.exec(`CREATE TABLE ${table} (id text PRIMARY KEY, at timestamptz, tags text[], doc jsonb, n int)`);
    });
    after(async () => {
      await db.close();
      await database.dispose();
    });

    it('keeps a statement by name on the connection that ran it', async () => {
      const marker = `kept_${randomBytes(4).toString('hex')}`;
      const kept = await db.transaction(async (tx) => {
        await tx.query(`SELECT $1::int + 1 AS ${marker}`, [1], prepare);
        return tx.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE $1', [`%${marker}%`]);
      });
      assert.equal(kept[0]?.n, 1);
    });

    it('answers what the unprepared statement answers, values and types alike, every time', async () => {
      const at = new Date('2026-12-01T10:00:00.123Z');
      const values = ['a', at, ['x', 'y'], JSON.stringify({ k: [1, 'two'] }), null];
      await db.query(`INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5)`, values, prepare);
      const sql = `SELECT id, at, tags, doc, n, $2::text[] AS bound, $3::timestamptz AS since, 'p' AS "__proto__" FROM ${table} WHERE id = $1`;
      const params = ['a', ['p', 'q'], at];
      const plain = await db.query(sql, params);
      for (let i = 0; i < 8; i++) assert.deepEqual(await db.query(sql, params, prepare), plain, `call ${i + 1}`);
      const [row] = await db.query<Record<string, unknown>>(sql, params, prepare);
      assert.ok(
        row && Object.hasOwn(row, '__proto__') && Object.getPrototypeOf(row) === Object.prototype,
        'a column named __proto__ is a field',
      );
      const { ['__proto__']: _proto, ...fields } = row;
      assert.deepEqual(fields, { id: 'a', at, tags: ['x', 'y'], doc: { k: [1, 'two'] }, n: null, bound: ['p', 'q'], since: at });
      assert.deepEqual(await db.query(sql, ['none', [], at], prepare), []);
    });

    it('writes in a transaction only if it commits, and refuses as PostgreSQL refuses', async () => {
      const insert = `INSERT INTO ${table} (id) VALUES ($1) RETURNING id`;
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query(insert, ['rolled-back'], prepare);
          await tx.query(insert, ['rolled-back'], prepare);
        }),
        (error: { code?: string }) => error.code === '23505',
      );
      await db.transaction((tx) => tx.query(insert, ['committed'], prepare));
      await assert.rejects(db.query(insert, ['committed'], prepare), (error: { code?: string }) => error.code === '23505');
      const ids = await db.query<{ id: string }>(`SELECT id FROM ${table} WHERE id IN ('rolled-back', 'committed')`);
      assert.deepEqual(
        ids.map((r) => r.id),
        ['committed'],
      );
    });

    it('never runs a statement inside another request’s transaction', async () => {
      let insideTransaction: () => void = () => undefined;
      const started = new Promise<void>((resolve) => (insideTransaction = resolve));
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      const rolledBack = db.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${table} (id) VALUES ('undone')`);
        insideTransaction();
        await released;
        throw new Error('rolled back on purpose');
      });
      await started;
      const beside = db.query(`INSERT INTO ${table} (id) VALUES ($1)`, ['beside'], prepare);
      release();
      await assert.rejects(rolledBack, /on purpose/);
      await beside;
      const ids = await db.query<{ id: string }>(`SELECT id FROM ${table} WHERE id IN ('undone', 'beside')`);
      assert.deepEqual(
        ids.map((r) => r.id),
        ['beside'],
      );
    });

    it('keeps a bounded number of statements, however many texts it is given', async () => {
      const bound = database.name === 'pglite' ? 100 : PREPARED_TEXTS;
      // One connection (a transaction's) sees every text: what it keeps is what a long-lived connection would.
      const kept = await db.transaction(async (tx) => {
        for (let i = 0; i < bound + 50; i++) assert.deepEqual(await tx.query(`SELECT ${i} AS i`, [], prepare), [{ i }]);
        return tx.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements');
      });
      assert.ok(kept[0] && kept[0].n <= bound, `${kept[0]?.n} statements kept`);
      assert.deepEqual(await db.query('SELECT 1 AS i', [], prepare), [{ i: 1 }]);
    });

    it('prepares a statement again when its table changes shape', async () => {
      const sql = `SELECT * FROM ${table} WHERE id = $1`;
      assert.equal(Object.keys((await db.query(sql, ['a'], prepare))[0] ?? {}).length, 5);
      await db.exec(`ALTER TABLE ${table} ADD COLUMN extra text`);
      // PostgreSQL refuses the kept plan once ("cached plan must not change result type"); the next call is prepared again.
      const again = await db.query(sql, ['a'], prepare).catch(() => db.query(sql, ['a'], prepare));
      assert.equal(Object.keys(again[0] ?? {}).length, 6);
    });
  });
}
