/**
 * How long a Test Completion Report takes to build from many scenario results: 1,000 and 10,000
 * results (100 runs over 10 parties), measured in one process, with their ratio (10x results should
 * cost about 10x, not 100x). Usage: npm run bench:tcr. Also the tcr part of `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { loadRequirementCatalogue } from '../cli/summary';
import { loadCriteria } from '../reporting/criteria';
import { openResults } from '../reporting/results-store';
import { buildTcr } from '../reporting/tcr';
import { renderTcrHtml } from '../reporting/tcr-html';
import { renderTcrJunit } from '../reporting/tcr-junit';
import type { Db } from '../simulators/store/db';
import type { Measured } from './bench-common';

const REQUIREMENTS = Object.keys(loadRequirementCatalogue());

async function seed(db: Db, results: number): Promise<void> {
  const runs = 100;
  const perRun = results / runs;
  for (let r = 0; r < runs; r++) {
    const id = `run-${String(r).padStart(3, '0')}`;
    await db.query(
      `INSERT INTO test_run (id, party, target, suite, mode, seed, harness_version, node_version, started_at, finished_at)
      VALUES ($1, $2, 'simulator', 'all', 'api', 1, '0.1.0', 'v20', $3, $3)`,
      [id, `Party ${r % 10}`, new Date(Date.UTC(2026, 11, 1) + r * 60_000)],
    );
    // One statement per run: generate_series makes the rows inside the database.
    await db.query(
      `INSERT INTO scenario_result (run_id, uri, feature, name, tags, requirements, status, attempts, first_status, duration_ms, recorded_at)
       SELECT $1, 'features/bench/f' || (i % 50) || '.feature', 'Feature ' || (i % 50), 'Scenario ' || i,
         ARRAY['@' || ($3::text[])[1 + i % array_length($3::text[], 1)]], ARRAY[($3::text[])[1 + i % array_length($3::text[], 1)]],
         CASE WHEN i % 17 = 0 THEN 'failed' ELSE 'passed' END, 1, 'passed', 100, now()
       FROM generate_series(1, $2::int) AS i`,
      [id, perRun, REQUIREMENTS],
    );
  }
}

export async function timeReport(results: number): Promise<number> {
  const db = await openResults({ memory: true });
  try {
    await seed(db, results);
    const started = performance.now();
    const tcr = await buildTcr(db, {}, loadCriteria(), loadRequirementCatalogue());
    renderTcrHtml(tcr);
    renderTcrJunit(tcr);
    return performance.now() - started;
  } finally {
    await db.close();
  }
}

/** The tcr part of `npm run bench`: a TCR from 10,000 results, against its goal. */
export async function tcrTiming(): Promise<Measured> {
  const tcr10kMs = Math.round(await timeReport(10_000));
  return { figures: { tcr10kMs }, goals: [{ name: 'TCR from 10,000 results', value: tcr10kMs, goal: '< 5000 ms', met: tcr10kMs < 5000 }] };
}

async function main(): Promise<void> {
  await timeReport(1_000); // warm-up: module loading and the JIT
  const small = await timeReport(1_000);
  const large = await timeReport(10_000);
  console.log(`TCR from 1,000 scenario results:  ${small.toFixed(0)} ms`);
  console.log(`TCR from 10,000 scenario results: ${large.toFixed(0)} ms`);
  console.log(`ratio 10,000 / 1,000: ${(large / small).toFixed(1)}`);
}

if (require.main === module) void main();
