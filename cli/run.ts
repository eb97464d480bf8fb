/**
 * `fsm-harness run`: the main job. Starts the simulators in this process (unless a target URL is
 * given), runs a suite through cucumber with the project's profiles, prints a summary and writes
 * reports/run-summary.json beside cucumber's own reports.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { newRunSeed } from '../fixtures/faker';
import { ResultCollector } from '../reports/generator/results';
import { startSimulators } from '../simulators/start';
import { parse, UsageError } from './args';
import { printSummary, writeRunSummary, type RunInfo } from './summary';

/** Where cucumber.js sends its reports; the summary goes beside them. */
const REPORTS_DIR = 'reports';
const SUITES = { uept: ['features/uept/**/*.feature'], uit: ['features/uit/**/*.feature'], all: ['features/**/*.feature'] } as const;

const USAGE = `Usage: fsm-harness run [options]

  --suite uept|uit|all  which scenarios (default uept)
  --tags EXPR           only scenarios matching a tag expression, e.g. "@SM-01 and not @wip"
  --target sim|URL      sim (default) starts the simulators in this process; a URL tests the
                        platform there, e.g. a UIT environment or a simulator started elsewhere
  --mode api|ui         drive the platform through its REST API (default) or the portal in Chromium
  --parallel N          worker processes (default 0: scenarios run in this process)
  --seed N              fixture seed, to rebuild the data of an earlier run (default: random, printed)

Exit code: 0 when every scenario passed, 1 when any did not, 2 for a usage error.`;

export async function runCommand(argv: string[]): Promise<number> {
  const args = parse(
    argv,
    {
      suite: { type: 'string', default: 'uept' },
      tags: { type: 'string' },
      target: { type: 'string', default: 'sim' },
      mode: { type: 'string', default: 'api' },
      parallel: { type: 'string', default: '0' },
      seed: { type: 'string' },
    },
    USAGE,
  );
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const suite = String(args.suite);
  if (!(suite in SUITES)) throw new UsageError(`[fsm-harness] --suite must be uept, uit or all; got "${suite}"`);
  const parallel = wholeNumber(args.parallel, '--parallel', 16);
  const seed = args.seed === undefined ? newRunSeed() : wholeNumber(args.seed, '--seed', 2 ** 31);
  const mode = String(args.mode);
  if (mode !== 'api' && mode !== 'ui') throw new UsageError(`[fsm-harness] --mode must be api or ui; got "${mode}"`);
  const reportsDir = REPORTS_DIR;
  prepareReports(reportsDir);

  const target = String(args.target);
  if (target !== 'sim' && !URL.canParse(target)) throw new UsageError(`[fsm-harness] --target must be sim or a URL such as https://uit.example.net; got "${target}"`);
  const simulators = target === 'sim' ? await startSimulators({ logLevel: 'warn' }) : undefined;
  try {
    const info: RunInfo = { suite, tags: args.tags, target: simulators ? `simulator ${simulators.urls.fsm}` : target, mode, seed, parallel, startedAt: new Date() };
    console.log(`Running the ${suite.toUpperCase()} suite against the ${info.target} in ${mode} mode (fixture seed ${seed}).`);
    const collector = new ResultCollector();
    const success = await runSuite(suite as keyof typeof SUITES, { ...info, fsmUrl: simulators?.urls.fsm ?? target }, collector);
    const scenarios = collector.scenarios();
    const summary = writeRunSummary(reportsDir, info, scenarios);
    printSummary(summary);
    if (scenarios.length === 0) {
      console.error(`[fsm-harness] No scenario matched the ${suite} suite${args.tags ? ` and the tags ${args.tags}` : ''}: nothing was proved.`);
      return 1;
    }
    return success ? 0 : 1;
  } finally {
    await simulators?.stop();
  }
}

async function runSuite(suite: keyof typeof SUITES, run: RunInfo & { fsmUrl: string }, collector: ResultCollector): Promise<boolean> {
  // Workers read the target and seed from the environment (steps/support/config.ts).
  process.env.FSM_TARGET = run.fsmUrl;
  process.env.FSM_FIXTURE_SEED = String(run.seed);
  const { runConfiguration } = await loadConfiguration({
    profiles: [run.mode === 'ui' ? 'ui' : 'default'],
    provided: {
      paths: [...SUITES[suite]],
      parallel: run.parallel,
      ...(run.tags ? { tags: run.tags } : {}),
    },
  });
  const { success } = await runCucumber(runConfiguration, undefined, collector.onEnvelope);
  return success;
}

/** Reports of an earlier run must not mix into this one's evidence. */
function prepareReports(dir: string): void {
  for (const name of ['allure-results', 'allure-report', 'cucumber-messages.ndjson', 'cucumber-junit.xml', 'run-summary.json']) {
    rmSync(`${dir}/${name}`, { recursive: true, force: true });
  }
  mkdirSync(`${dir}/allure-results`, { recursive: true });
}

function wholeNumber(value: unknown, flag: string, max: number): number {
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) > max) throw new UsageError(`[fsm-harness] ${flag} must be a whole number from 0 to ${max}; got "${text}"`);
  return Number(text);
}
