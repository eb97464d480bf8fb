/**
 * The completion service's store under group commit: packs stored together in one statement each get
 * their own outcome, exactly as if stored one after another, and one the database refuses does not
 * take the others down. On PGlite and (with TEST_DATABASE_URL) PostgreSQL. Then the group commit
 * queue itself: first come first served, a lone arrival at once, the others together.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { groupCommit } from '../../service/group-commit';
import { storePacks, type Arrival, type Stored, type VerifiedPack } from '../../service/store';
import type { Db } from '../../simulators/store/db';
import { migrate } from '../../simulators/store/migrate';
import { testDatabases } from '../support';

const MIGRATIONS = join(__dirname, '..', '..', 'service', 'migrations');

/** A pack as verification answers it (the store trusts it): `version` makes a different pack of the same run. */
function pack(party: string, runId: string, opts: { version?: number; manifest?: VerifiedPack; scenarios?: number } = {}): VerifiedPack {
  const version = opts.version ?? 1;
  const scenarios = Array.from({ length: opts.scenarios ?? 3 }, (_, i) => ({
    uri: `features/f${i}.feature`,
    name: `Scenario ${i} v${version}`,
    requirements: ['UEPT-FSM-01'],
    status: 'passed' as const,
    firstStatus: 'passed' as const,
    attempts: 1,
  }));
  const fsm = {
    party,
    run: {
      id: runId,
      suite: 'uept',
      tags: null,
      mode: 'api',
      startedAt: '2026-12-01T10:00:00.000Z',
      finishedAt: '2026-12-01T10:05:00.000Z',
    },
    environment: { kind: 'environment', name: 'UIT', url: 'https://uit.example', tenant: null, tlsFingerprint: null },
    scenarios,
    previousStatement: null,
  };
  return {
    statement: { predicate: { fsm } } as unknown as VerifiedPack['statement'],
    statementSha256: `statement ${party} ${runId} ${version}`,
    manifestSha256: opts.manifest?.manifestSha256 ?? `manifest ${party} ${runId} ${version}`,
    keyId: `key of ${party}`,
    files: [],
  };
}

const at = (p: VerifiedPack): Arrival => ({ pack: p, now: new Date('2026-12-01T11:00:00.000Z') });

async function outcomes(db: Db, packs: VerifiedPack[]): Promise<(Stored | string)[]> {
  return (await storePacks(db, packs.map(at))).map((s) => (s.status === 'fulfilled' ? s.value : `refused: ${String(s.reason)}`));
}

for (const database of testDatabases()) {
  describe(`the completion service's store on ${database.name}`, { skip: database.skip }, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await migrate(db, MIGRATIONS);
    });
    after(async () => {
      await db?.close();
      await database.dispose();
    });

    const results = async (party: string, runId: string) =>
      (
        await db.query<{ name: string }>('SELECT name FROM submitted_result WHERE party = $1 AND run_id = $2 ORDER BY scenario_no', [
          party,
          runId,
        ])
      ).map((r) => r.name);

    it('gives each pack of one batch its own outcome, the earlier arrival winning, as if stored one by one', async () => {
      const answers = await outcomes(db, [
        pack('Alpha', 'r1'),
        pack('Alpha', 'r1'),
        pack('Alpha', 'r1', { version: 2 }),
        pack('Beta', 'r9', { manifest: pack('Alpha', 'r1') }),
        pack('Beta', 'r1'),
      ]);
      assert.deepEqual(answers, ['received', 'already received', 'conflict', 'another party', 'received']);
      assert.deepEqual(await results('Alpha', 'r1'), ['Scenario 0 v1', 'Scenario 1 v1', 'Scenario 2 v1']);
      assert.deepEqual(await results('Beta', 'r9'), []);
      assert.equal((await results('Beta', 'r1')).length, 3);
    });

    it('gives the same outcomes against packs held before the batch', async () => {
      const answers = await outcomes(db, [
        pack('Gamma', 'r1', { manifest: pack('Alpha', 'r1') }),
        pack('Alpha', 'r1', { version: 3 }),
        pack('Gamma', 'r2'),
        pack('Alpha', 'r1'),
        // Skipped (its run is held), its manifest then stored for another run: the first is not the one stored.
        pack('Alpha', 'r1', { version: 4 }),
        pack('Zeta', 'r5', { manifest: pack('Alpha', 'r1', { version: 4 }) }),
      ]);
      assert.deepEqual(answers, ['another party', 'conflict', 'received', 'already received', 'conflict', 'received']);
      const [{ n } = { n: -1 }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM submitted_run');
      assert.equal(n, 4, 'Alpha r1, Beta r1, Gamma r2 and Zeta r5 are held, nothing else');
    });

    it('refuses only the pack the database refuses, and stores the others of its batch', async () => {
      const answers = await outcomes(db, [pack('Delta', 'r1'), pack('Delta', 'bad\u0000run'), pack('Delta', 'r2')]);
      assert.equal(answers[0], 'received');
      assert.match(String(answers[1]), /^refused: /);
      assert.equal(answers[2], 'received');
      assert.equal((await results('Delta', 'r2')).length, 3);
    });

    it('answers "already received" to the same pack stored by two statements at once', async () => {
      const [one, two] = await Promise.all([outcomes(db, [pack('Epsilon', 'r1')]), outcomes(db, [pack('Epsilon', 'r1')])]);
      assert.deepEqual([...(one ?? []), ...(two ?? [])].sort(), ['already received', 'received']);
    });
  });
}

/** A store whose batches finish when the test says, recording what it was handed. */
function heldStore() {
  const batches: number[][] = [];
  const finish: (() => void)[] = [];
  const store = (items: number[]) =>
    new Promise<PromiseSettledResult<string>[]>((resolve) => {
      batches.push(items);
      finish.push(() =>
        resolve(
          items.map((i) => (i < 0 ? { status: 'rejected', reason: new Error(`${i}`) } : { status: 'fulfilled', value: `stored ${i}` })),
        ),
      );
    });
  return { batches, finish, store };
}

describe('group commit', () => {
  it('sends a lone arrival at once, then those that came while it was stored together, first come first served', async () => {
    const { batches, finish, store } = heldStore();
    const submit = groupCommit(store, { inFlight: 1, maxBatch: 3 });
    const answers = [1, 2, 3, 4, 5].map((i) => submit(i));
    assert.deepEqual(batches, [[1]]);
    finish[0]?.();
    assert.equal(await answers[0], 'stored 1');
    assert.deepEqual(batches, [[1], [2, 3, 4]]);
    finish[1]?.();
    assert.deepEqual(await Promise.all(answers.slice(1, 4)), ['stored 2', 'stored 3', 'stored 4']);
    assert.deepEqual(batches, [[1], [2, 3, 4], [5]]);
    finish[2]?.();
    assert.equal(await answers[4], 'stored 5');
  });

  it('keeps as many batches at the store as allowed, and fails only the items the store refused', async () => {
    const { batches, finish, store } = heldStore();
    const submit = groupCommit(store, { inFlight: 2, maxBatch: 10 });
    const answers = [1, 2, -3, 4].map((i) => submit(i));
    assert.deepEqual(batches, [[1], [2]], 'two lone arrivals go at once, each alone');
    finish[0]?.();
    await answers[0];
    assert.deepEqual(batches, [[1], [2], [-3, 4]]);
    for (const f of finish.slice(1)) f();
    const settled = await Promise.allSettled(answers);
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
    );
  });
});
