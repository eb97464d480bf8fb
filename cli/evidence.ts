/**
 * The evidence commands over the results store (`report`, the TCR, is in report.ts):
 * `issues` (list, resolve, defer, close testing issues), `completion` (mandated tests per party and
 * the go/no-go list, also as CSV) and `verify` (evidence packs and their chain).
 */
import { writeFileSync } from 'node:fs';
import { harnessMessage } from '../clients/messages';
import { DEFAULT_EVIDENCE_DIR, verifyEvidence } from '../reporting/evidence';
import { listRuns } from '../reporting/results-store';
import { verifyIssued } from '../reporting/tcr-issue';
import { changeIssue, type IssueStatus } from '../reporting/testing-issues';
import type { Trust } from '../reporting/signing/attest';
import { KeyRegistry, loadKeys } from '../reporting/signing/keys';
import { nearest, parse, UsageError } from './args';
import { keysDir } from './keys';
import { completionQuestion, issuesQuestion, resultsAnswer, withResults } from './results-answers';

const ISSUES_USAGE = `Usage: fsm-harness issues [list]
       fsm-harness issues resolve|defer|close|reopen ID --reason TEXT [--workaround TEXT] [--severity N]
       fsm-harness issues workaround ID --workaround TEXT

  Testing issues open when a scenario fails; people decide what becomes of them, with a reason.`;

const COMPLETION_USAGE = `Usage: fsm-harness completion [--csv FILE]

  Which parties passed which mandated UEPT tests, when and where; and the parties not yet passed.
  Only runs against a real environment count; simulator runs show as rehearsed, never as passed.
  Environment runs are unconfirmed (no completion service verifies them yet). The CSV has a column
  for each: passed_on_environment and rehearsed.`;

const VERIFY_USAGE = `Usage: fsm-harness verify [--run ID] [--evidence DIR] [--registry FILE] [--keys DIR]

  Checks evidence packs (default: every run's, and the chains between them): each file against its
  manifest, each manifest against the hash in the results store, each pack's signed statement against
  the keys registered for its party, and that the results store still says what was signed; and (without
  --run) every issued Test Completion Report in DIR/issued/: its signature and its files. Exit code 1
  names every file altered, added or removed, every pack re-hashed or swapped, every store edit.

  --registry FILE  the keys parties registered with DCC: { "parties": { "<party>": ["<PEM>"] } }
                   (default: only this installation's own key, from --keys or $FSM_KEYS_DIR)`;

const ISSUE_ACTIONS = new Map<string, IssueStatus | undefined>([
  ['resolve', 'resolved'],
  ['defer', 'deferred'],
  ['close', 'closed'],
  ['reopen', 'open'],
  ['workaround', undefined],
]);

export async function issuesCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return usage(ISSUES_USAGE);
  const [action = 'list', id, ...rest] = argv[0]?.startsWith('-') ? ['list', ...argv] : argv;
  const args = parse(rest, { reason: { type: 'string' }, workaround: { type: 'string' }, severity: { type: 'string' } }, ISSUES_USAGE);
  if (args.help) return usage(ISSUES_USAGE);
  if (action === 'list') {
    console.log((await resultsAnswer(issuesQuestion.question, issuesQuestion.work)).join('\n'));
    return 0;
  }
  return withResults(async (db) => {
    if (!ISSUE_ACTIONS.has(action)) {
      const guess = nearest(action, ['list', ...ISSUE_ACTIONS.keys()]);
      throw new UsageError(
        harnessMessage(
          `fsm-harness issues has no action "${action}".${guess ? ` Did you mean "${guess}"?` : ''} fsm-harness issues --help lists them.`,
        ),
      );
    }
    if (!id) throw new UsageError(harnessMessage(`Name the testing issue: fsm-harness issues ${action} ID.\n\n${ISSUES_USAGE}`));
    const status = ISSUE_ACTIONS.get(action);
    if (status && status !== 'open' && !args.reason)
      throw new UsageError(harnessMessage(`Say why with --reason "...".\n\n${ISSUES_USAGE}`));
    if (action === 'workaround' && !args.workaround) throw new UsageError(harnessMessage(`Give the workaround with --workaround "...".`));
    const severity = args.severity === undefined ? undefined : Number(args.severity);
    if (severity !== undefined && !(Number.isInteger(severity) && severity >= 1 && severity <= 5))
      throw new UsageError(harnessMessage('--severity must be 1 to 5'));
    const changed = await changeIssue(
      db,
      id,
      { status, reason: args.reason as string | undefined, workaround: args.workaround as string | undefined, severity },
      new Date(),
    );
    if (!changed) throw new Error(harnessMessage(`No testing issue ${id}. List them with: fsm-harness issues`));
    console.log(`${changed.id} is ${changed.status} (severity ${changed.severity}).`);
    return 0;
  });
}

export async function completionCommand(argv: string[]): Promise<number> {
  const args = parse(argv, { csv: { type: 'string' } }, COMPLETION_USAGE);
  if (args.help) return usage(COMPLETION_USAGE);
  const completion = completionQuestion();
  const { lines, csv } = await resultsAnswer(completion.question, completion.work);
  console.log(lines.join('\n'));
  if (args.csv) {
    writeFileSync(String(args.csv), csv);
    console.log(`Written: ${String(args.csv)}`);
  }
  return 0;
}

export async function verifyCommand(argv: string[]): Promise<number> {
  const args = parse(
    argv,
    {
      run: { type: 'string' },
      evidence: { type: 'string', default: DEFAULT_EVIDENCE_DIR },
      registry: { type: 'string' },
      keys: { type: 'string' },
    },
    VERIFY_USAGE,
  );
  if (args.help) return usage(VERIFY_USAGE);
  const trust = trustOf(args.registry as string | undefined, keysDir(args.keys));
  return withResults(async (db) => {
    if (args.run !== undefined && !(await listRuns(db, { runIds: [String(args.run)] })).length)
      throw new UsageError(
        harnessMessage(
          `There is no run ${String(args.run)} in the results store: nothing to verify. Check the run id (each run prints it first: "Run run-..."), or run fsm-harness verify without --run to check every pack.`,
        ),
      );
    const result = await verifyEvidence(db, String(args.evidence), trust, args.run as string | undefined);
    const issued = args.run ? { reports: 0, problems: [] } : verifyIssued(String(args.evidence), trust);
    const problems = [...result.problems, ...issued.problems];
    for (const problem of problems) console.error(harnessMessage(`verify: ${problem}`));
    console.log(
      `${problems.length ? 'Evidence NOT intact' : 'Evidence intact'}: ${result.runs} run(s), ${result.files} files, ${issued.reports} issued report(s) checked, ${problems.length} problems.`,
    );
    return problems.length ? 1 : 0;
  });
}

/** Whose signatures verify accepts: the registry's keys for each party, or this installation's own key for any party. */
export function trustOf(registryFile: string | undefined, dir: string): Trust {
  if (registryFile) {
    const registry = KeyRegistry.fromFile(registryFile);
    return (party) => registry.keysOf(party);
  }
  const own = loadKeys(dir);
  console.log(`Signatures checked against this installation's key (${dir}); DCC checks them against the key registered for each party.`);
  return () => (own ? [own.publicKey] : []);
}

export function usage(text: string): number {
  console.log(text);
  return 0;
}
