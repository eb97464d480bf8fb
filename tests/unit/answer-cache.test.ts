/**
 * Kept answers about the PGlite results store (reporting/answer-cache.ts): given again only for the very
 * files they were worked out from. Any change to the store, however made, must make the answer be
 * worked out again: a stale answer about an edited store is the defect this guards against.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { answersLeftIn } from '../../cli/results-answers';
import { answerCache, answersLeft } from '../../reporting/answer-cache';
import { openResults, startRun } from '../../reporting/results-store';

/** A run as the recorder starts one; only its id matters here. */
const runOf = (id: string) => ({
  id,
  party: 'p',
  target: 't',
  suite: 'uept',
  tags: null,
  mode: 'api',
  seed: 1,
  harnessVersion: '0',
  nodeVersion: '20',
  startedAt: new Date(),
});

describe('kept answers about the results store', () => {
  let dir: string;
  let store: string;
  /** The answer to `question`, counting the times the store had to be opened to work it out. */
  let opened = 0;
  const ask = async (question: string) => {
    const cache = answerCache<number>(store, question);
    if (cache.kept) return cache.kept.answer;
    opened++;
    const db = await openResults({ dataDir: store });
    await db.exec('SET default_transaction_read_only = on');
    const [{ n } = { n: -1 }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM test_run');
    await db.close();
    await cache.keep(n);
    return n;
  };
  const addRun = async (id: string) => {
    const db = await openResults({ dataDir: store });
    await startRun(db, runOf(id));
    await db.close();
  };
  /** The answer after `change`: worked out again (the store opened once more), and right. */
  const recomputedAfter = async (change: () => void | Promise<void>, expected: number) => {
    const before = opened;
    await change();
    assert.equal(await ask('runs'), expected);
    assert.equal(opened, before + 1, 'the store was not opened again: a kept answer was given for a changed store');
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fsm-answers-'));
    store = join(dir, 'results');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives an answer again without opening an unchanged store, and keeps the answers to other questions', async () => {
    assert.equal(await ask('runs'), 0);
    assert.equal(await ask('runs'), 0);
    assert.equal(opened, 1);
    assert.equal(await ask('runs, again'), 0); // a read-only use of the store keeps the answer to "runs"
    assert.equal(await ask('runs'), 0);
    assert.equal(opened, 2);
  });

  it('works the answer out again after a write through the database', async () => {
    await ask('runs');
    await recomputedAfter(() => addRun('run-1'), 1);
    assert.equal(await ask('runs'), 1);
  });

  it('works the answer out again after any file of the store is changed, added or removed, whatever its times', async () => {
    await ask('runs');
    const conf = join(store, 'postgresql.auto.conf');
    const { atime, mtime } = statSync(conf);
    const text = readFileSync(conf, 'utf8');
    // The same size and modification time: only the change time (and the content) tells.
    await recomputedAfter(() => {
      writeFileSync(conf, text.replace(/.$/s, text.endsWith('\n') ? ' ' : '\n'));
      writeFileSync(conf, text);
      utimesSync(conf, atime, mtime);
    }, 1);
    await recomputedAfter(() => appendFileSync(conf, '\n'), 1);
    await recomputedAfter(() => writeFileSync(join(store, 'base', 'extra'), ''), 1);
    await recomputedAfter(() => rmSync(join(store, 'base', 'extra')), 1);
  });

  it('gives the answers a use that changed the store left for it, drops those kept before, and drops these at the next change', async () => {
    await ask('runs');
    await ask('runs, again');
    const db = await openResults({ dataDir: store });
    const left = answersLeft(store);
    await startRun(db, runOf('run-left'));
    const [{ n } = { n: -1 }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM test_run');
    await db.close();
    await left.closed([['runs', n]]);
    const before = opened;
    assert.equal(await ask('runs'), n);
    assert.equal(opened, before, 'the answer left by the change was not given');
    assert.equal(await ask('runs, again'), n);
    assert.equal(opened, before + 1, 'an answer kept before the change was given for the changed store');
    await recomputedAfter(() => addRun('run-after'), n + 1);
  });

  it('fails no command that changed the store when the answers it would leave cannot be worked out', async () => {
    const cwd = process.cwd();
    const broken = join(dir, 'broken');
    mkdirSync(join(broken, 'config'), { recursive: true });
    writeFileSync(join(broken, 'config', 'exit-criteria.json'), '{ not JSON');
    const db = await openResults({ memory: true });
    try {
      process.chdir(broken);
      const leave = await answersLeftIn(db);
      await db.close();
      await leave();
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses a write from a use of the store opened read-only, as kept answers require', async () => {
    const db = await openResults({ dataDir: store });
    try {
      await db.exec('SET default_transaction_read_only = on');
      await assert.rejects(startRun(db, runOf('run-2')), /read-only transaction/);
    } finally {
      await db.close();
    }
  });
});
