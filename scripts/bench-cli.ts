/**
 * The CLI part of `npm run bench` (and `npm run bench:cli` alone): whole processes as a person starts
 * them, medians of BENCH_CLI_RUNS (5): `--help`, `completion`, `issues`, `report` (later calls, and
 * first calls after the store changed outside the harness: a run or an issue changed leaves the answers
 * to `completion` and `issues`, cli/results-answers.ts) and `sim --json` to its URL line in memory, called directly
 * (node bin/fsm-harness.js), beside `node -e 0` and `npx fsm-harness --help`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_RESULTS_DIR } from '../reporting/results-store';
import type { Goal, Measured } from './bench-common';
import { timeToUrl } from './startup-time';

const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const seconds = (ms: number) => +(ms / 1000).toFixed(2);

/** Seconds a whole process takes, the median of RUNS after one to warm the file cache; `before` runs before each, untimed. */
function timed(command: string, args: string[], before = () => undefined as void): number {
  const once = () => {
    before();
    const started = performance.now();
    const result = spawnSync(command, args, { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    if (result.error) throw result.error;
    return performance.now() - started;
  };
  once();
  return seconds(median(Array.from({ length: RUNS }, once)));
}

export async function cliTimes(): Promise<Measured> {
  const harness = (...args: string[]) => timed(process.execPath, ['bin/fsm-harness.js', ...args]);
  // A first call after the store changed: its kept answers no longer stand (reporting/answer-cache.ts).
  const changed = () => {
    const file = join(DEFAULT_RESULTS_DIR, 'postgresql.auto.conf');
    if (existsSync(file)) utimesSync(file, new Date(), new Date());
  };
  const firstCall = (...args: string[]) => timed(process.execPath, ['bin/fsm-harness.js', ...args], changed);
  const figures = {
    cliNodeBareS: timed(process.execPath, ['-e', '0']),
    cliHelpS: harness('--help'),
    cliCompletionS: harness('completion'),
    cliReportS: harness('report'),
    cliIssuesS: harness('issues'),
    cliCompletionFirstS: firstCall('completion'),
    cliIssuesFirstS: firstCall('issues'),
    cliReportFirstS: firstCall('report'),
    cliNpxHelpS: timed('npx', ['--no-install', 'fsm-harness', '--help']),
    cliSimUrlS: 0,
  };
  await timeToUrl(['--memory']);
  const sims: number[] = [];
  for (let i = 0; i < RUNS; i++) sims.push(await timeToUrl(['--memory']));
  figures.cliSimUrlS = seconds(median(sims));
  const goal = (name: string, value: number, limit: number): Goal => ({ name, value, goal: `< ${limit} s`, met: value < limit });
  const goals = [
    goal('fsm-harness --help', figures.cliHelpS, 0.4),
    goal('fsm-harness completion', figures.cliCompletionS, 1),
    goal('fsm-harness report', figures.cliReportS, 1),
    goal('fsm-harness issues', figures.cliIssuesS, 1),
    goal('fsm-harness sim --json to its URL (memory)', figures.cliSimUrlS, 2),
  ];
  return { figures, goals };
}

if (require.main === module) {
  void cliTimes().then(({ figures, goals }) => {
    for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(33)}${value}`);
    for (const g of goals) console.log(`${g.name.padEnd(51)}${String(g.value).padEnd(8)}${g.goal.padEnd(10)}${g.met ? 'yes' : 'NO'}`);
  });
}
