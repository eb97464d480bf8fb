/**
 * Crashes: the harness killed (SIGKILL) at random points while it records scenario results and seals
 * evidence packs. Every result the harness said it had recorded must still be in the results store,
 * every run it sealed must still verify, and a pack it was sealing when it died must be reported by
 * verify as never sealed, not silently accepted. A run cut short shows as incomplete.
 *
 * The harness here is this file run as a child process (FSM_CRASH_CHILD set): it opens a results
 * store on disk (PGlite, as `.fsm-results/` is by default) in a temporary folder, and records runs
 * exactly as `fsm-harness run` does, through the RunRecorder and buildEvidencePack, printing a line
 * after each commit. The parent kills it after a random delay (the injected fault; nothing else
 * waits on time), waits for it to exit, then opens the store itself and checks. Two lanes, each with
 * its own store and evidence folder, run side by side to use both cores.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCriteria } from '../../reporting/criteria';
import { buildEvidencePack, MANIFEST, verifyEvidence } from '../../reporting/evidence';
import { RunRecorder } from '../../reporting/recorder';
import type { ScenarioResult } from '../../reporting/results';
import { listRuns, openResults, startRun } from '../../reporting/results-store';
import type { Trust } from '../../reporting/signing/attest';
import { initKeys, loadKeys, type SigningKey } from '../../reporting/signing/keys';
import type { Queryable } from '../../simulators/store/db';
import { report, scaled } from './scale';

/** A simulator run of the UEPT suite as the recorder starts one; only its id, party and start differ here. */
function runRecord(id: string, party: string, startedAt: Date): Parameters<typeof startRun>[1] {
  return {
    id,
    party,
    target: 'simulator',
    suite: 'uept',
    tags: null,
    mode: 'api',
    seed: 1,
    harnessVersion: '0.1.0',
    nodeVersion: process.version,
    startedAt,
  };
}

interface ChildPlan {
  results: string;
  /** The signing key's folder: the child signs with it, the parent verifies with it. */
  keys: string;
  evidence: string;
  sources: string;
  lane: number;
}

/** The parent's signing key, made once for the suite; each child loads it from its folder. */
let keys: { signer: SigningKey; trust: Trust };

const child = process.env.FSM_CRASH_CHILD;
if (child) void recordUntilKilled(JSON.parse(child) as ChildPlan);
else crashSuite();

// ---------------------------------------------------------------------------------------------
// The child: a harness recording runs as fast as it can, saying what it has committed.

function say(line: string): void {
  // Writes to a pipe are synchronous on Linux: once this returns, the parent will read the line.
  process.stdout.write(`${line}\n`);
}

function scenario(run: string, i: number): ScenarioResult {
  const status = i % 3 === 2 ? 'failed' : 'passed';
  return {
    name: `${run} scenario ${i}`,
    feature: 'Crash feature',
    uri: `features/uept/crash-${i}.feature`,
    tags: ['@UEPT-FSM-01'],
    requirements: ['UEPT-FSM-01'],
    status,
    firstStatus: status,
    attempts: 1,
    durationMs: 5,
    ...(status === 'failed' ? { error: 'AssertionError: expected 201' } : {}),
  };
}

async function recordUntilKilled(plan: ChildPlan): Promise<void> {
  const db = await openResults({ dataDir: plan.results });
  const signer = loadKeys(plan.keys);
  if (!signer) throw new Error(`no signing key in ${plan.keys}`);
  say('open');
  const severity = loadCriteria().defaultSeverity;
  for (;;) {
    const run = `run-${plan.lane}-${randomUUID().slice(0, 8)}`;
    await startRun(db, runRecord(run, 'Crash Co', new Date()));
    say(`started ${run}`);
    // The recorder writes through this: a line after each scenario's INSERT has committed.
    const observed: Queryable = {
      async query<T>(sql: string, params?: readonly unknown[]) {
        const rows = await db.query<T>(sql, params);
        if (sql.includes('INSERT INTO scenario_result') && params?.[6] !== 'unknown') say(`recorded ${run} ${String(params?.[3])}`);
        return rows;
      },
    };
    const recorder = new RunRecorder(observed, run, severity);
    const all = Array.from({ length: 3 + (run.charCodeAt(6) % 4) }, (_, i) => scenario(run, i));
    // The last scenario never ran (as after an interrupted cucumber): finish records it as unknown.
    for (const result of all.slice(0, -1)) recorder.add(result);
    await recorder.finish(all);
    say(`finished ${run}`);
    const sources = join(plan.sources, run);
    mkdirSync(join(sources, 'tcr'), { recursive: true });
    writeFileSync(join(sources, 'run-summary.json'), JSON.stringify({ run, scenarios: all.length }));
    writeFileSync(join(sources, 'tcr', 'tcr.json'), JSON.stringify({ run, filler: 'x'.repeat(20_000) }));
    const pack = await buildEvidencePack(
      db,
      plan.evidence,
      run,
      [
        { from: join(sources, 'run-summary.json'), to: 'run-summary.json' },
        { from: join(sources, 'tcr'), to: 'tcr' },
      ],
      signer,
    );
    say(`sealed ${run} ${pack.sha256}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The parent: kills, then checks.

interface RunSeen {
  recorded: string[];
  finished: boolean;
  sealed?: string;
}

interface Lane {
  plan: ChildPlan;
  /** What children said they had committed, by run, across every kill. */
  runs: Map<string, RunSeen>;
  /** Pack folders verify reported as never sealed; it must keep reporting them. */
  unsealed: Set<string>;
}

interface Tally {
  kills: number;
  killedStarting: number;
  resultsRecorded: number;
  runsIncomplete: number;
  tornPacksReported: number;
}

/**
 * Starts a child harness and kills it `delayMs` after it opened the store (after spawning, when
 * `from` is 'spawn'; after it first sealed a pack, when 'seal'); answers the lines it wrote.
 */
function runAndKill(plan: ChildPlan, delayMs: number, from: 'spawn' | 'open' | 'seal'): Promise<string[]> {
  const proc = spawn(process.execPath, ['--require', 'ts-node/register/transpile-only', __filename], {
    // Not a test process: without node:test's context, it reports nothing of its own on stdout.
    env: { ...process.env, NODE_TEST_CONTEXT: undefined, FSM_CRASH_CHILD: JSON.stringify(plan) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let timer: NodeJS.Timeout | undefined;
  const kill = () => (timer = setTimeout(() => proc.kill('SIGKILL'), delayMs));
  if (from === 'spawn') kill();
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (!timer && (from === 'open' ? out.startsWith('open\n') : from === 'seal' && /^sealed /m.test(out))) kill();
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`the child harness stopped by itself (code ${code}): ${err || out.slice(-2000)}`));
      // A line is written whole or not at all (under PIPE_BUF); drop anything after the last newline.
      resolve(
        out
          .slice(0, out.lastIndexOf('\n') + 1)
          .split('\n')
          .filter(Boolean),
      );
    });
  });
}

function remember(lane: Lane, lines: string[]): string | undefined {
  let current: string | undefined;
  for (const line of lines) {
    const [what = '', run = '', ...rest] = line.split(' ');
    if (what === 'open') continue;
    if (what === 'started') lane.runs.set(run, { recorded: [], finished: false });
    const seen = lane.runs.get(run);
    assert.ok(seen, `the child spoke of a run it never started: ${line}`);
    if (what === 'recorded') seen.recorded.push(rest.join(' '));
    if (what === 'finished') seen.finished = true;
    if (what === 'sealed') seen.sealed = rest[0];
    current = what === 'sealed' ? undefined : run;
  }
  return current;
}

/** Opens the store the child was killed over, and checks everything it said it had done. */
async function checkAfterKill(lane: Lane, inFlight: string | undefined, tally: Tally): Promise<void> {
  const db = await openResults({ dataDir: lane.plan.results });
  try {
    const stored = new Set((await db.query<{ name: string }>('SELECT name FROM scenario_result')).map((r) => r.name));
    const runs = new Map((await listRuns(db)).map((r) => [r.id, r]));
    const seals = new Map(
      (await db.query<{ run_id: string; sha256: string }>('SELECT run_id, sha256 FROM evidence_manifest')).map((r) => [r.run_id, r.sha256]),
    );
    for (const [id, seen] of lane.runs) {
      assert.ok(runs.has(id), `run ${id} was started before the kill but is not in the results store`);
      for (const name of seen.recorded) assert.ok(stored.has(name), `"${name}" was recorded before the kill but is lost`);
      if (seen.finished) assert.ok(runs.get(id)?.finishedAt, `run ${id} finished before the kill but shows as unfinished`);
      if (seen.sealed)
        assert.equal(seals.get(id), seen.sealed, `run ${id} was sealed before the kill but its hash is not the one recorded`);
    }
    // A run killed before it finished stays unfinished: the TCR shows it as incomplete (reports.test.ts).
    if (inFlight && runs.get(inFlight)?.finishedAt === null) tally.runsIncomplete += 1;
    await checkEvidence(db, lane, inFlight, seals, tally);
  } finally {
    await db.close();
  }
}

async function checkEvidence(
  db: Queryable,
  lane: Lane,
  inFlight: string | undefined,
  seals: Map<string, string>,
  tally: Tally,
): Promise<void> {
  const verification = await verifyEvidence(db, lane.plan.evidence, keys.trust);
  assert.equal(verification.runs, seals.size);
  const unexplained: string[] = [];
  for (const problem of verification.problems) {
    const folder = /\/(run-\d-[0-9a-f]{8}) was never sealed: .* Its run was interrupted while sealing/.exec(problem)?.[1];
    if (!folder || !(folder === inFlight || lane.unsealed.has(folder))) unexplained.push(problem);
    else if (!lane.unsealed.has(folder)) {
      lane.unsealed.add(folder);
      tally.tornPacksReported += 1;
    }
  }
  assert.deepEqual(unexplained, [], 'verify found more than the one pack being sealed when the harness was killed');
  // Killed between writing a pack and recording its hash: the folder is there, unsealed, and verify must say so.
  if (inFlight && !seals.has(inFlight) && existsSync(join(lane.plan.evidence, inFlight)))
    assert.ok(
      lane.unsealed.has(inFlight),
      `the pack of ${inFlight} was never sealed, yet verify accepts it: ${JSON.stringify(verification)}`,
    );
  const reported = verification.problems.join('\n');
  for (const folder of lane.unsealed)
    assert.ok(reported.includes(`${folder} was never sealed`), `verify stopped reporting the unsealed pack ${folder}`);
}

/** A lane kills its child `kills` times in a row, checking after each kill. */
async function runLane(lane: Lane, kills: number, tally: Tally): Promise<void> {
  for (let i = 0; i < kills; i++) {
    // One kill in five lands while the child starts (loading, opening and recovering the store);
    // the rest while it records and seals, which each run does in a few milliseconds.
    // The lane's last kill comes after a seal if none came before: on a slow machine every random
    // kill can land before the first seal, and sealing would go untested.
    const sealedYet = [...lane.runs.values()].some((r) => r.sealed);
    const early = Math.random() < 0.2;
    const from = i === kills - 1 && !sealedYet ? 'seal' : early ? 'spawn' : 'open';
    const lines = await runAndKill(lane.plan, Math.floor(Math.random() * (from === 'spawn' ? 2500 : 400)), from);
    tally.kills += 1;
    if (!lines.includes('open')) tally.killedStarting += 1;
    tally.resultsRecorded += lines.filter((l) => l.startsWith('recorded ')).length;
    await checkAfterKill(lane, remember(lane, lines), tally);
  }
}

function crashSuite(): void {
  describe('Crashes', () => {
    let root: string;
    let template: string;
    before(async () => {
      root = mkdtempSync(join(tmpdir(), 'fsm-crashes-'));
      // One empty, migrated store copied for each lane: creating a store on disk costs seconds.
      template = join(root, 'template');
      await (await openResults({ dataDir: template })).close();
      const signer = initKeys(join(root, 'keys'));
      keys = { signer, trust: () => [signer.publicKey] };
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it('keeps every recorded result and a verifiable evidence chain across random kills of the harness', async () => {
      const started = Date.now();
      const total = scaled(10, 50);
      const tally: Tally = { kills: 0, killedStarting: 0, resultsRecorded: 0, runsIncomplete: 0, tornPacksReported: 0 };
      const lanes: Lane[] = [0, 1].map((n) => {
        const dir = join(root, `lane-${n}`);
        cpSync(template, join(dir, 'results'), { recursive: true });
        return {
          plan: {
            results: join(dir, 'results'),
            keys: keys.signer.dir,
            evidence: join(dir, 'evidence'),
            sources: join(dir, 'sources'),
            lane: n,
          },
          runs: new Map(),
          unsealed: new Set(),
        };
      });
      await Promise.all(lanes.map((lane, n) => runLane(lane, n === 0 ? Math.ceil(total / 2) : Math.floor(total / 2), tally)));
      const sealed = lanes.reduce((sum, lane) => sum + [...lane.runs.values()].filter((r) => r.sealed).length, 0);
      assert.ok(tally.kills >= total, `only ${tally.kills} kills`);
      assert.ok(sealed > 0, 'no run was ever sealed between kills: the kills come too early to test sealing');
      report('crashes', {
        kills: tally.kills,
        killedWhileStarting: tally.killedStarting,
        resultsRecordedBeforeKills: tally.resultsRecorded,
        runsSealed: sealed,
        runsIncomplete: tally.runsIncomplete,
        tornPacksReported: tally.tornPacksReported,
        seconds: Math.round((Date.now() - started) / 1000),
      });
    });

    it('names a torn last manifest, a torn last evidence file and a pack whose sealing was cut short', async () => {
      const dir = join(root, 'torn');
      // A copy of the empty store, not a new one: creating one (in memory too) costs seconds.
      cpSync(template, join(root, 'torn-results'), { recursive: true });
      const db = await openResults({ dataDir: join(root, 'torn-results') });
      try {
        writeFileSync(join(root, 'summary.json'), JSON.stringify({ ok: true, filler: 'y'.repeat(4000) }));
        const runs: string[] = [];
        for (let i = 0; i < 3; i++) {
          const run = `run-torn-${i}`;
          await startRun(db, runRecord(run, 'Torn Co', new Date(Date.UTC(2026, 11, 1, 9, i))));
          await buildEvidencePack(
            db,
            dir,
            run,
            [{ from: join(root, 'summary.json'), to: 'run-summary.json' }],
            keys.signer,
            new Date(Date.UTC(2026, 11, 1, 10, i)),
          );
          runs.push(run);
        }
        assert.deepEqual(await verifyEvidence(db, dir, keys.trust), { ok: true, runs: 3, files: 3, problems: [] });
        const last = join(dir, runs[2] ?? '');

        // The last evidence file torn (half its bytes, as a crash while copying would leave it).
        const file = join(last, 'run-summary.json');
        const whole = readFileSync(file);
        truncateSync(file, Math.floor(whole.length / 2));
        assert.deepEqual((await verifyEvidence(db, dir, keys.trust)).problems, [`${last}/run-summary.json was altered.`]);
        writeFileSync(file, whole);

        // The last manifest torn.
        const manifest = readFileSync(join(last, MANIFEST));
        truncateSync(join(last, MANIFEST), Math.floor(manifest.length / 2));
        const torn = await verifyEvidence(db, dir, keys.trust);
        assert.equal(torn.ok, false);
        assert.deepEqual(torn.problems, [`${last}/${MANIFEST} was altered: its hash is not the one recorded for run ${runs[2]}.`]);
        assert.equal((await verifyEvidence(db, dir, keys.trust, runs[1])).ok, true, 'the runs before it still verify');
        writeFileSync(join(last, MANIFEST), manifest);

        // Killed between writing the manifest and recording its hash, mid-write: torn and unrecorded.
        const cut = 'run-torn-cut';
        await startRun(db, runRecord(cut, 'Torn Co', new Date(Date.UTC(2026, 11, 1, 9, 5))));
        const dying: Queryable = {
          query: async <T>(sql: string, params?: readonly unknown[]) => {
            if (sql.startsWith('INSERT INTO evidence_manifest')) throw new Error('killed');
            return db.query<T>(sql, params);
          },
        };
        await assert.rejects(
          buildEvidencePack(dying, dir, cut, [{ from: join(root, 'summary.json'), to: 'run-summary.json' }], keys.signer),
          /killed/,
        );
        truncateSync(join(dir, cut, MANIFEST), 100);
        const cutShort = await verifyEvidence(db, dir, keys.trust);
        assert.equal(cutShort.ok, false);
        assert.deepEqual(cutShort.problems, [
          `${dir}/${cut} was never sealed: the results store holds no hash for it (its ${MANIFEST} is torn). Its run was interrupted while sealing, or it was added afterwards; it is not evidence.`,
        ]);
        assert.equal(cutShort.runs, 3);
      } finally {
        await db.close();
      }
    });
  });
}
