/**
 * `npm run bench`: the harness's performance figures, measured side by side in one run on loopback
 * and printed as ratios (a machine's speed cancels out of a ratio). Writes reports/bench/bench.json.
 * PostgreSQL figures need BENCH_DATABASE_URL (or TEST_DATABASE_URL); without it they are skipped.
 * Each part is a module of its own (bench-throughput, bench-list, bench-concurrency, bench-tcr,
 * bench-service, bench-suite); this one runs the parts asked for, in that order, and prints what they measured.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Figures, Goal, Measured } from './bench-common';
import { concurrency } from './bench-concurrency';
import { listLatency } from './bench-list';
import { serviceLoad } from './bench-service';
import { suites } from './bench-suite';
import { tcrTiming } from './bench-tcr';
import { throughput } from './bench-throughput';

const postgres = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

/** BENCH_ONLY=throughput,list,concurrency,tcr,service,suite measures only those parts (all by default). */
const only = new Set((process.env.BENCH_ONLY ?? 'throughput,list,concurrency,tcr,service,suite').split(',').map((s) => s.trim()));

async function main(): Promise<void> {
  const started = performance.now();
  const figures: Figures = {};
  const goals: Goal[] = [];
  const add = (measured: Measured) => {
    Object.assign(figures, measured.figures);
    goals.push(...measured.goals);
  };
  if (only.has('throughput')) {
    add(await throughput('pglite'));
    if (postgres) add(await throughput('postgres', postgres));
  }
  if (only.has('list')) {
    add(await listLatency('pglite'));
    if (postgres) add(await listLatency('postgres', postgres));
  }
  if (only.has('concurrency')) add(await concurrency(postgres ? 'postgres' : 'pglite', postgres));
  if (only.has('tcr')) add(await tcrTiming());
  if (only.has('service')) add(await serviceLoad(postgres));
  if (only.has('suite')) add(suites());
  figures.benchSeconds = Math.round((performance.now() - started) / 1000);
  mkdirSync('reports/bench', { recursive: true });
  writeFileSync(
    'reports/bench/bench.json',
    `${JSON.stringify({ machine: { node: process.version, cpus: cpus().length }, figures, goals }, null, 2)}\n`,
  );
  print(figures, goals);
}

function print(figures: Figures, goals: Goal[]): void {
  console.log('\nfigure'.padEnd(34) + 'value');
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(33)}${value}`);
  console.log('\ngoal'.padEnd(52) + 'value'.padEnd(14) + 'target'.padEnd(22) + 'met');
  for (const g of goals)
    console.log(`${g.name.padEnd(51)}${String(g.value).padEnd(14)}${g.goal.padEnd(22)}${g.met === null ? '-' : g.met ? 'yes' : 'NO'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
