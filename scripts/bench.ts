/**
 * `npm run bench`: the harness's performance figures, measured side by side in one run on loopback
 * and printed as ratios (a machine's speed cancels out of a ratio). Writes reports/bench/bench.json.
 * PostgreSQL figures need BENCH_DATABASE_URL (or TEST_DATABASE_URL); without it they are skipped.
 * Each part is a module of its own (bench-throughput, bench-list, bench-concurrency, bench-tcr,
 * bench-service, bench-suite); this one runs the parts asked for, in that order, and prints what they measured.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Figures, Goal, Measured } from './bench-common';
import { cliTimes } from './bench-cli';
import { concurrency } from './bench-concurrency';
import { listLatency } from './bench-list';
import { serviceLoad } from './bench-service';
import { suites } from './bench-suite';
import { tcrTiming } from './bench-tcr';
import { throughput } from './bench-throughput';

const postgres = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

/** BENCH_ONLY=throughput,list,concurrency,tcr,service,suite,cli measures only those parts (all by default). */
const only = new Set((process.env.BENCH_ONLY ?? 'throughput,list,concurrency,tcr,service,suite,cli').split(',').map((s) => s.trim()));
/** Other Node binaries (BENCH_OTHER_NODES=/path/to/node24,...): the throughput part again on each, in this run. */
const otherNodes = (process.env.BENCH_OTHER_NODES ?? '').split(',').filter(Boolean);

/** The throughput part run by another Node binary, its figures named with that Node's major version. */
function throughputOn(node: string): Measured {
  const dir = mkdtempSync(join(tmpdir(), 'fsm-bench-'));
  try {
    const out = join(dir, 'figures.json');
    const env = { ...process.env, BENCH_ONLY: 'throughput', BENCH_OTHER_NODES: '', BENCH_FIGURES_OUT: out };
    const run = spawnSync(node, ['--require', 'ts-node/register/transpile-only', 'scripts/bench.ts'], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (run.status !== 0) throw new Error(`${node}: the throughput part exited with ${run.status}`);
    const { machine, figures, goals } = JSON.parse(readFileSync(out, 'utf8')) as {
      machine: { node: string };
      figures: Figures;
      goals: Goal[];
    };
    const major = machine.node.split('.')[0] ?? machine.node;
    return {
      figures: Object.fromEntries(Object.entries(figures).map(([name, value]) => [`${name}_${major}`, value])),
      goals: goals.map((g) => ({ ...g, name: `${g.name} ${major}` })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const figures: Figures = { node: process.version };
  const goals: Goal[] = [];
  const add = (measured: Measured) => {
    Object.assign(figures, measured.figures);
    goals.push(...measured.goals);
  };
  if (only.has('throughput')) {
    add(await throughput('pglite'));
    if (postgres) add(await throughput('postgres', postgres));
    for (const node of otherNodes) add(throughputOn(node));
  }
  if (only.has('list')) {
    add(await listLatency('pglite'));
    if (postgres) add(await listLatency('postgres', postgres));
  }
  if (only.has('concurrency')) add(await concurrency(postgres ? 'postgres' : 'pglite', postgres));
  if (only.has('tcr')) add(await tcrTiming());
  if (only.has('service')) add(await serviceLoad(postgres));
  if (only.has('suite')) add(suites());
  if (only.has('cli')) add(await cliTimes());
  figures.benchSeconds = Math.round((performance.now() - started) / 1000);
  const out = process.env.BENCH_FIGURES_OUT ?? 'reports/bench/bench.json';
  if (!process.env.BENCH_FIGURES_OUT) mkdirSync('reports/bench', { recursive: true });
  writeFileSync(out, `${JSON.stringify({ machine: { node: process.version, cpus: cpus().length }, figures, goals }, null, 2)}\n`);
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
