/**
 * `fsm-harness run`: the main job. Starts the simulators in this process (unless a target URL is
 * given), runs a suite through cucumber, records it in the results store, and publishes the run
 * summary, the Test Completion Report, the Allure report and a sealed evidence pack.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { harnessMessage } from '../clients/messages';
import { SimControlClient } from '../clients/sim-control';
import { resolveTarget } from '../clients/target';
import { newRunSeed } from '../fixtures/faker';
import { loadCriteria, type CriteriaConfig } from '../reporting/criteria';
import { buildEvidencePack, DEFAULT_EVIDENCE_DIR } from '../reporting/evidence';
import { generateAllure, publishTcr } from '../reporting/publish';
import { RunRecorder } from '../reporting/recorder';
import { ResultCollector } from '../reporting/results';
import { openResults, startRun } from '../reporting/results-store';
import { startSimulators } from '../simulators/start';
import { SIMULATOR_LOG } from '../steps/support/config';
import { parse, UsageError } from './args';
import { exitOnStop } from './lifecycle';
import { loadRequirementCatalogue, printSummary, writeRunSummary, type RunInfo } from './summary';

/** Where cucumber.js sends its reports; everything else of a run goes beside them. */
const REPORTS_DIR = 'reports';
const SUITES = { uept: ['features/uept/**/*.feature'], uit: ['features/uit/**/*.feature'], all: ['features/**/*.feature'] } as const;

const USAGE = `Usage: fsm-harness run [options]

  --suite uept|uit|all  which scenarios (default uept)
  --tags EXPR           only scenarios matching a tag expression, e.g. "@SM-01 and not @wip"
  --target sim|URL|FILE sim (default) starts the simulators in this process; a URL tests a
                        simulator started elsewhere (fsm-harness sim); a target file tests a
                        real environment, e.g. UIT (see config/targets/uit-example.json): no
                        control calls are sent, and steps that need them are skipped
  --party NAME          the SEC Party this run is for, in completion reports (default: FSM_PARTY,
                        else "Rehearsal")
  --mode api|ui         drive the platform through its REST API (default) or the portal in Chromium
  --parallel N          worker processes, each with its own simulators (default 0: one process,
                        the fastest on 2 cores; workers are for more cores; README, Performance)
  --seed N              fixture seed, to rebuild the data of an earlier run (default: random, printed)
  --ci                  exit non-zero unless every exit criterion (config/exit-criteria.json) is met
  --first-attempt       with --ci: mandated tests must pass at their first attempt
  --no-pdf              skip the PDF of the Test Completion Report

Results accumulate in .fsm-results/ (or RESULTS_DATABASE_URL) and sealed evidence packs in
.fsm-evidence/: data to keep. Reports go to reports/, outputs only (safe to delete).
Exit code: 0 when every scenario passed (with --ci: every exit criterion met), 1 otherwise, 2 for a usage error.`;

interface RunOptions {
  suite: keyof typeof SUITES;
  tags?: string;
  target: string;
  party: string;
  mode: 'api' | 'ui';
  parallel: number;
  seed: number;
  ci: boolean;
  firstAttempt: boolean;
  pdf: boolean;
}

export async function runCommand(argv: string[]): Promise<number> {
  const options = parseRunOptions(argv);
  if (!options) return 0;
  exitOnStop('the run is incomplete; the scenarios recorded so far are kept.');
  const criteria = firstAttemptCriteria(loadCriteria(), options.firstAttempt);
  const catalogue = loadRequirementCatalogue();
  prepareReports(REPORTS_DIR);
  // In parallel, each worker starts its own simulators: scenarios move the one simulated clock, and
  // workers sharing it would move each other's time.
  const perWorker = options.target === 'sim' && options.parallel > 0;
  // The results store and the simulators open at once (half a second less before the first scenario).
  const [opened, started] = await Promise.allSettled([
    openResults({ databaseUrl: process.env.RESULTS_DATABASE_URL }),
    options.target === 'sim' && !perWorker ? startSimulators({ logLevel: 'warn', logFile: SIMULATOR_LOG }) : Promise.resolve(undefined),
  ]);
  if (opened.status === 'rejected' || started.status === 'rejected') {
    if (opened.status === 'fulfilled') await opened.value.close();
    if (started.status === 'fulfilled') await started.value?.stop();
    throw opened.status === 'rejected' ? opened.reason : (started as PromiseRejectedResult).reason;
  }
  const results = opened.value;
  const simulators = started.value;
  try {
    const startedAt = new Date();
    const runId = `run-${startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${options.seed.toString(36)}`;
    const target = simulators
      ? `simulator ${simulators.urls.fsm}`
      : perWorker
        ? 'simulators of each worker'
        : resolveTarget(options.target).name;
    const info: RunInfo = {
      suite: options.suite,
      tags: options.tags,
      target,
      mode: options.mode,
      seed: options.seed,
      parallel: options.parallel,
      startedAt,
    };
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
    });
    console.log(
      `Run ${runId}: the ${options.suite.toUpperCase()} suite for ${options.party} against the ${target} in ${options.mode} mode (fixture seed ${options.seed}).`,
    );
    const recorder = new RunRecorder(results, runId, criteria.defaultSeverity);
    const collector = new ResultCollector(recorder.add);
    const success = await runSuite(options, simulators?.urls.fsm ?? (perWorker ? undefined : options.target), collector);
    const scenarios = collector.scenarios();
    await recorder.finish(scenarios);
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
    const resolved = resolveTarget(options.target);
    const journalFrom = simulators?.urls.fsm ?? (resolved.kind === 'simulator' ? resolved.fsm : undefined);
    if (journalFrom) await saveJournal(journalFrom);
    const allure = generateAllure(`${REPORTS_DIR}/allure-results`, `${REPORTS_DIR}/allure-report`);
    const published = await publishTcr(results, { runId }, `${REPORTS_DIR}/tcr`, criteria, catalogue, { pdf: options.pdf });
    const pack = await buildEvidencePack(results, DEFAULT_EVIDENCE_DIR, runId, evidenceSources());
    const allureWarning = await allure;
    for (const warning of [...published.warnings, ...(allureWarning ? [allureWarning] : [])]) console.warn(harnessMessage(warning));
    const unmet = published.tcr.exitCriteria.filter((c) => !c.met);
    console.log(`Test Completion Report: ${published.files.join(', ')}`);
    if (!allureWarning) console.log(`Allure report: ${REPORTS_DIR}/allure-report/index.html`);
    console.log(`Exit criteria: ${unmet.length ? `NOT MET: ${unmet.map((c) => `${c.id} (${c.evidence})`).join('; ')}` : 'all met'}.`);
    console.log(
      `Evidence pack: ${pack.dir} (${pack.files} files, manifest sha256 ${pack.sha256.slice(0, 16)}...); check it with fsm-harness verify.`,
    );
    if (options.ci) return unmet.length === 0 ? 0 : 1;
    return success ? 0 : 1;
  } finally {
    await simulators?.stop();
    await results.close();
  }
}

function parseRunOptions(argv: string[]): RunOptions | undefined {
  const args = parse(
    argv,
    {
      suite: { type: 'string', default: 'uept' },
      tags: { type: 'string' },
      target: { type: 'string', default: 'sim' },
      party: { type: 'string', default: process.env.FSM_PARTY || 'Rehearsal' },
      mode: { type: 'string', default: 'api' },
      parallel: { type: 'string', default: '0' },
      seed: { type: 'string' },
      ci: { type: 'boolean', default: false },
      'first-attempt': { type: 'boolean', default: false },
      'no-pdf': { type: 'boolean', default: false },
    },
    USAGE,
  );
  if (args.help) {
    console.log(USAGE);
    return undefined;
  }
  const suite = String(args.suite);
  if (!Object.hasOwn(SUITES, suite)) throw new UsageError(harnessMessage(`--suite must be uept, uit or all; got "${suite}"`));
  const mode = String(args.mode);
  if (mode !== 'api' && mode !== 'ui') throw new UsageError(harnessMessage(`--mode must be api or ui; got "${mode}"`));
  const target = String(args.target);
  try {
    resolveTarget(target);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const party = String(args.party).trim();
  if (!party || party.length > 100) throw new UsageError(harnessMessage('--party must name the party in 1 to 100 characters'));
  return {
    suite: suite as keyof typeof SUITES,
    tags: args.tags as string | undefined,
    target,
    party,
    mode,
    parallel: wholeNumber(args.parallel, '--parallel', 16),
    seed: args.seed === undefined ? newRunSeed() : wholeNumber(args.seed, '--seed', 2 ** 31),
    ci: Boolean(args.ci),
    firstAttempt: Boolean(args['first-attempt']),
    pdf: !args['no-pdf'],
  };
}

async function runSuite(options: RunOptions, fsmUrl: string | undefined, collector: ResultCollector): Promise<boolean> {
  // Workers read the target and seed from the environment (steps/support/config.ts).
  if (fsmUrl) process.env.FSM_TARGET = fsmUrl;
  else delete process.env.FSM_TARGET;
  process.env.FSM_FIXTURE_SEED = String(options.seed);
  const { runConfiguration } = await loadConfiguration({
    profiles: [options.mode === 'ui' ? 'ui' : 'default'],
    provided: { paths: [...SUITES[options.suite]], parallel: options.parallel, ...(options.tags ? { tags: options.tags } : {}) },
  });
  const { success } = await runCucumber(runConfiguration, undefined, collector.onEnvelope);
  return success;
}

function firstAttemptCriteria(config: CriteriaConfig, firstAttempt: boolean): CriteriaConfig {
  if (!firstAttempt) return config;
  return { ...config, criteria: config.criteria.map((c) => (c.rule === 'mandated-passed' ? { ...c, firstAttempt: true } : c)) };
}

/** The platform's record of the requests it served, when it is a simulator with a control API. */
async function saveJournal(fsmUrl: string): Promise<void> {
  const journal = await new SimControlClient(fsmUrl).journal({ limit: 100_000 }).catch(() => undefined);
  if (journal) writeFileSync(`${REPORTS_DIR}/journal.json`, `${JSON.stringify(journal, null, 2)}\n`);
}

function evidenceSources(): { from: string; to: string }[] {
  return [
    { from: 'features', to: 'features' },
    ...['cucumber-messages.ndjson', 'cucumber-junit.xml', 'run-summary.json', 'journal.json', 'simulators.log'].map((f) => ({
      from: `${REPORTS_DIR}/${f}`,
      to: f,
    })),
    { from: `${REPORTS_DIR}/tcr`, to: 'tcr' },
    { from: `${REPORTS_DIR}/allure-results`, to: 'allure-results' },
  ];
}

function harnessVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Reports of an earlier run must not mix into this one's; evidence packs stay. */
function prepareReports(dir: string): void {
  for (const name of [
    'allure-results',
    'allure-report',
    'cucumber-messages.ndjson',
    'cucumber-junit.xml',
    'run-summary.json',
    'journal.json',
    'simulators.log',
    'tcr',
  ]) {
    rmSync(`${dir}/${name}`, { recursive: true, force: true });
  }
  mkdirSync(`${dir}/allure-results`, { recursive: true });
}

function wholeNumber(value: unknown, flag: string, max: number): number {
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) > max)
    throw new UsageError(harnessMessage(`${flag} must be a whole number from 0 to ${max}; got "${text}"`));
  return Number(text);
}
