/**
 * The suite part of `npm run bench`: the main job (`fsm-harness run --suite uept`) in API mode in one
 * process and with one and two workers, and in UI mode, compared scenario by scenario.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { percentile, type Measured } from './bench-common';

interface SuiteRun {
  /** The whole main job, timed from outside: start-up, the suite, the reports and the evidence pack. */
  jobS: number;
  /** The suite itself, from the run summary: its scenarios (and, with workers, their simulators starting). */
  suiteS: number;
  /** Each scenario's own duration (ms) from the run summary, by feature and name. */
  scenarioMs: Map<string, number>;
}

/** The main job (`fsm-harness run --suite uept`) with N workers (0: in this process, the default). */
function suiteRun(parallel: number, mode: 'api' | 'ui' = 'api'): SuiteRun {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    ['bin/fsm-harness.js', 'run', '--suite', 'uept', '--mode', mode, '--parallel', String(parallel), '--no-pdf'],
    { encoding: 'utf8', env: { ...process.env, FSM_TARGET: '' } },
  );
  const jobS = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`the UEPT suite failed in ${mode} mode with --parallel ${parallel}:\n${run.stdout.slice(-2000)}`);
  const summary = JSON.parse(readFileSync('reports/run-summary.json', 'utf8')) as {
    run: { durationMs: number };
    scenarios: { feature: string; name: string; durationMs: number }[];
  };
  return {
    jobS,
    suiteS: summary.run.durationMs / 1000,
    scenarioMs: new Map(summary.scenarios.map((s) => [`${s.feature} / ${s.name}`, s.durationMs])),
  };
}

export function suites(): Measured {
  const p0 = suiteRun(0);
  const p1 = suiteRun(1);
  const p2 = suiteRun(2);
  const ui = suiteRun(0, 'ui');
  const byScenario = [...ui.scenarioMs]
    .map(([name, ms]) => ({ name, ratio: ms / (p0.scenarioMs.get(name) ?? NaN) }))
    .filter((r) => Number.isFinite(r.ratio));
  const ratios = byScenario.map((r) => r.ratio);
  const worst = byScenario.reduce((a, b) => (b.ratio > a.ratio ? b : a), { name: '', ratio: 0 });
  const fastest = [p0, p1, p2].reduce((a, b) => (b.suiteS < a.suiteS ? b : a));
  const figures = {
    ueptSuiteS_inProcess: +p0.suiteS.toFixed(1),
    ueptSuiteS_parallel1: +p1.suiteS.toFixed(1),
    ueptSuiteS_parallel2: +p2.suiteS.toFixed(1),
    ueptJobS_inProcess: +p0.jobS.toFixed(1),
    ueptJobS_parallel1: +p1.jobS.toFixed(1),
    ueptJobS_parallel2: +p2.jobS.toFixed(1),
    parallel2VsParallel1: +(p2.suiteS / p1.suiteS).toFixed(3),
    parallel2VsInProcess: +(p2.suiteS / p0.suiteS).toFixed(3),
    ueptUiSuiteS_inProcess: +ui.suiteS.toFixed(1),
    uiVsApiMedian: +percentile(ratios, 50).toFixed(2),
    uiVsApi: +percentile(ratios, 100).toFixed(2),
    uiVsApiWorstScenario: `${worst.name} (${ui.scenarioMs.get(worst.name)} ms in UI mode, ${p0.scenarioMs.get(worst.name)} ms in API mode)`,
  };
  const parallelism = fastest === p0 ? 'in one process' : fastest === p1 ? '--parallel 1' : '--parallel 2';
  const goals = [
    { name: 'parallel2VsParallel1 (suite)', value: figures.parallel2VsParallel1, goal: '<= 0.7', met: p2.suiteS / p1.suiteS <= 0.7 },
    {
      name: `UEPT suite, API mode, fastest (${parallelism})`,
      value: `${fastest.suiteS.toFixed(1)} s`,
      goal: '< 10 s',
      met: fastest.suiteS < 10,
    },
    { name: 'uiVsApi (worst scenario)', value: figures.uiVsApi, goal: '<= 10', met: figures.uiVsApi <= 10 },
  ];
  return { figures, goals };
}
