/**
 * `fsm-harness run`: the main job. Starts the simulators in this process (unless a target URL is
 * given), runs a suite through cucumber, records it in the results store, and publishes the run
 * summary, the Test Completion Report, the Allure report and a sealed evidence pack. Its options
 * are parsed in run-options.ts; what it publishes is written by run-reports.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { harnessMessage } from '../clients/messages';
import { resolveTarget, unreachable, type Target } from '../clients/target';
import { loadCriteria, type CriteriaConfig } from '../reporting/criteria';
import { RunRecorder } from '../reporting/recorder';
import { ResultCollector } from '../reporting/results';
import { markNotStarted, openResults, startRun } from '../reporting/results-store';
import { identityOf, targetHeadline, type TargetIdentity } from '../reporting/target-kind';
import { tlsFingerprintOf } from '../reporting/tls-fingerprint';
import { startSimulators, type Simulators } from '../simulators/start';
import type { Db } from '../simulators/store/db';
import { SIMULATOR_LOG } from '../steps/support/config';
import { exitOnStop } from './lifecycle';
import { progressPrinter } from './progress';
import { answersLeftIn } from './results-answers';
import { parseRunOptions, SUITES, type RunOptions } from './run-options';
import { prepareReports, publishRun, REPORTS_DIR } from './run-reports';
import { loadRequirementCatalogue, printSummary, writeRunSummary } from './summary';

export async function runCommand(argv: string[]): Promise<number> {
  const options = parseRunOptions(argv);
  if (!options) return 0;
  exitOnStop('the run is incomplete; the scenarios recorded so far are kept.');
  const criteria = firstAttemptCriteria(loadCriteria(), options.firstAttempt);
  const catalogue = loadRequirementCatalogue();
  const resolved = resolveTarget(options.target);
  // Checked before the reports of the last run are cleared: a run that cannot start leaves them as they are.
  const noAnswer = await unreachable(resolved);
  if (noAnswer) return recordNotStarted(options, resolved, noAnswer);
  prepareReports(REPORTS_DIR);
  // In parallel, each worker starts its own simulators: scenarios move the one simulated clock, and
  // workers sharing it would move each other's time.
  const perWorker = options.target === 'sim' && options.parallel > 0;
  const { results, simulators } = await openAtOnce(options.target === 'sim' && !perWorker);
  let answersLeft: (() => Promise<void>) | undefined;
  try {
    const startedAt = new Date();
    const target = simulators ? `simulator ${simulators.urls.fsm}` : perWorker ? 'simulators of each worker' : resolved.name;
    const fsmUrl = simulators?.urls.fsm ?? (resolved.kind === 'sim' ? undefined : resolved.fsm);
    const identity = identityOf(resolved, simulators?.urls.fsm, fsmUrl ? await tlsFingerprintOf(fsmUrl) : null);
    const runId = await recordStart(results, options, target, identity, startedAt);
    const recorder = new RunRecorder(results, runId, criteria.defaultSeverity);
    const printProgress = progressPrinter(process.stdout, startedAt.getTime());
    const collector = new ResultCollector((result) => {
      recorder.add(result);
      printProgress(result);
    });
    const success = await runSuite(options, simulators?.urls.fsm ?? (perWorker ? undefined : options.target), collector).catch(
      async (error: unknown) => {
        // Stopped before its first scenario (a worker's BeforeAll could not reach the target): it ran nothing.
        if (collector.started === 0) await markNotStarted(results, runId, (error as Error).message, new Date());
        throw error;
      },
    );
    const scenarios = collector.scenarios();
    await recorder.finish(scenarios);
    const { suite, tags, mode, seed, parallel } = options;
    const info = { suite, tags, target, ...identity, mode, seed, parallel, startedAt };
    printSummary(writeRunSummary(REPORTS_DIR, info, scenarios));
    if (scenarios.length === 0) {
      console.error(
        harnessMessage(
          `No scenario matched the ${options.suite} suite${options.tags ? ` and the tags ${options.tags}` : ''}: nothing was proved.`,
        ),
      );
      return 1;
    }
    // Only a simulator has a journal to give: a real environment is never sent a control call.
    const journalFrom = simulators?.urls.fsm ?? (resolved.kind === 'simulator' ? resolved.fsm : undefined);
    const unmet = await publishRun(results, { runId, criteria, catalogue, pdf: options.pdf, journalFrom, identity });
    // `completion` and `issues` next answer without opening the store again.
    answersLeft = await answersLeftIn(results);
    if (options.ci) return unmet === 0 ? 0 : 1;
    return success ? 0 : 1;
  } finally {
    await simulators?.stop();
    await results.close();
    await answersLeft?.();
  }
}

/** The results store and the simulators open at once (half a second less before the first scenario). */
async function openAtOnce(startSims: boolean): Promise<{ results: Db; simulators: Simulators | undefined }> {
  const [opened, started] = await Promise.allSettled([
    openResults({ databaseUrl: process.env.RESULTS_DATABASE_URL }),
    startSims ? startSimulators({ logLevel: 'warn', logFile: SIMULATOR_LOG }) : Promise.resolve(undefined),
  ]);
  if (opened.status === 'rejected' || started.status === 'rejected') {
    if (opened.status === 'fulfilled') await opened.value.close();
    if (started.status === 'fulfilled') await started.value?.stop();
    throw opened.status === 'rejected' ? opened.reason : (started as PromiseRejectedResult).reason;
  }
  return { results: opened.value, simulators: started.value };
}

/** A run whose target did not answer: recorded as not started (never the latest for a report), and said so; exit code 1. */
async function recordNotStarted(options: RunOptions, resolved: Target, reason: string): Promise<number> {
  const results = await openResults({ databaseUrl: process.env.RESULTS_DATABASE_URL });
  try {
    const startedAt = new Date();
    const runId = await recordStart(results, options, resolved.name, identityOf(resolved), startedAt);
    await markNotStarted(results, runId, reason, startedAt);
    console.error(reason);
    console.error(
      harnessMessage(
        `Run ${runId} not started: nothing answered at ${options.target}. It is recorded as not started; the reports of the last run are kept.`,
      ),
    );
    return 1;
  } finally {
    await results.close();
  }
}

/** Records the run as started, and says what it runs and what kind of target that is; answers the run's id. */
async function recordStart(results: Db, options: RunOptions, target: string, identity: TargetIdentity, startedAt: Date): Promise<string> {
  const runId = `run-${startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${options.seed.toString(36)}`;
  await startRun(results, {
    id: runId,
    party: options.party,
    target,
    suite: options.suite,
    tags: options.tags ?? null,
    mode: options.mode,
    seed: options.seed,
    harnessVersion: harnessVersion(),
    nodeVersion: process.version,
    startedAt,
    ...identity,
  });
  console.log(
    `Run ${runId}: the ${options.suite.toUpperCase()} suite for ${options.party} against the ${target} in ${options.mode} mode (fixture seed ${options.seed}).\n${targetHeadline([identity])}`,
  );
  return runId;
}

async function runSuite(options: RunOptions, fsmUrl: string | undefined, collector: ResultCollector): Promise<boolean> {
  // Workers read the target and seed from the environment (steps/support/config.ts).
  if (fsmUrl) process.env.FSM_TARGET = fsmUrl;
  else delete process.env.FSM_TARGET;
  process.env.FSM_FIXTURE_SEED = String(options.seed);
  const { runConfiguration } = await loadConfiguration({
    profiles: [options.mode === 'ui' ? 'ui' : 'default'],
    provided: {
      paths: [...SUITES[options.suite]],
      parallel: options.parallel,
      ...(options.tags ? { tags: options.tags } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
    },
  });
  // Piped, the run prints a line per scenario (cli/progress.ts): cucumber's dots would only add a line of noise at the end.
  if (!process.stdout.isTTY) runConfiguration.formats.stdout = 'summary';
  const { success } = await runCucumber(runConfiguration, undefined, collector.onEnvelope);
  return success;
}

function firstAttemptCriteria(config: CriteriaConfig, firstAttempt: boolean): CriteriaConfig {
  if (!firstAttempt) return config;
  return { ...config, criteria: config.criteria.map((c) => (c.rule === 'mandated-passed' ? { ...c, firstAttempt: true } : c)) };
}

function harnessVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}
