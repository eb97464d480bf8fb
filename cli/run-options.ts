/**
 * The options of `fsm-harness run`: its usage text, and the parsing that checks each option once, so
 * that a mistake is a usage error (exit code 2) before anything starts.
 */
import { harnessMessage } from '../clients/messages';
import { resolveTarget } from '../clients/target';
import { newRunSeed } from '../fixtures/faker';
import { parse, UsageError } from './args';

export const SUITES = { uept: ['features/uept/**/*.feature'], uit: ['features/uit/**/*.feature'], all: ['features/**/*.feature'] } as const;

const USAGE = `Usage: fsm-harness run [options]

  --suite uept|uit|all  which scenarios (default uept)
  --tags EXPR           only scenarios matching a tag expression, e.g. "@SM-01 and not @wip"
  --shard N/M           only the Nth of M shares of the scenarios (cucumber-js --shard): M runners,
                        each with its own store and key, submit to one completion service
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
  --ci                  exit non-zero unless every exit criterion (config/exit-criteria.json) is met;
                        a simulator run is a rehearsal, so it never meets the mandated-tests criterion
  --first-attempt       with --ci: mandated tests must pass at their first attempt
  --no-pdf              skip the PDF of the Test Completion Report

Results accumulate in .fsm-results/ (or RESULTS_DATABASE_URL) and sealed evidence packs in
.fsm-evidence/: data to keep. Reports go to reports/, outputs only (safe to delete).
Exit code: 0 when every scenario passed (with --ci: every exit criterion met), 1 otherwise, 2 for a usage error.`;

export interface RunOptions {
  suite: keyof typeof SUITES;
  tags?: string;
  shard?: string;
  target: string;
  party: string;
  mode: 'api' | 'ui';
  parallel: number;
  seed: number;
  ci: boolean;
  firstAttempt: boolean;
  pdf: boolean;
}

/** The options, checked; undefined when only the usage was asked for (and printed). */
export function parseRunOptions(argv: string[]): RunOptions | undefined {
  const args = parse(
    argv,
    {
      suite: { type: 'string', default: 'uept' },
      tags: { type: 'string' },
      shard: { type: 'string' },
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
  const shard = args.shard === undefined ? undefined : String(args.shard);
  const [index, total] = (shard ?? '1/1').split('/').map(Number);
  if (!/^\d{1,3}\/\d{1,3}$/.test(shard ?? '1/1') || !index || !total || index > total)
    throw new UsageError(harnessMessage(`--shard must be N/M with 1 <= N <= M, e.g. 1/2; got "${shard}"`));
  const party = String(args.party).trim();
  if (!party || party.length > 100) throw new UsageError(harnessMessage('--party must name the party in 1 to 100 characters'));
  return {
    suite: suite as keyof typeof SUITES,
    tags: args.tags as string | undefined,
    ...(shard ? { shard } : {}),
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

function wholeNumber(value: unknown, flag: string, max: number): number {
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) > max)
    throw new UsageError(harnessMessage(`${flag} must be a whole number from 0 to ${max}; got "${text}"`));
  return Number(text);
}
