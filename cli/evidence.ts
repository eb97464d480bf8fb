/**
 * The evidence commands over the results store (`report`, the TCR, is in report.ts):
 * `issues` (list, resolve, defer, close testing issues), `completion` (mandated tests per party and
 * the go/no-go list, also as CSV) and `verify` (evidence packs and their chain).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harnessMessage } from '../clients/messages';
import { answerCache, type AnswerCache } from '../reporting/answer-cache';
import { loadCriteria } from '../reporting/criteria';
import { DEFAULT_EVIDENCE_DIR, verifyEvidence } from '../reporting/evidence';
import { DEFAULT_RESULTS_DIR, listRuns, openResults } from '../reporting/results-store';
import { buildTcr, type Tcr } from '../reporting/tcr';
import { verifyIssued } from '../reporting/tcr-issue';
import { changeIssue, listIssues, type IssueStatus } from '../reporting/testing-issues';
import type { Trust } from '../reporting/signing/attest';
import { KeyRegistry, loadKeys } from '../reporting/signing/keys';
import type { Db } from '../simulators/store/db';
import { nearest, parse, UsageError } from './args';
import { keysDir } from './keys';
import { loadRequirementCatalogue } from './summary';

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

export async function withResults<T>(work: (db: Db) => Promise<T>, { readOnly = false } = {}): Promise<T> {
  const db = await openResults({ databaseUrl: process.env.RESULTS_DATABASE_URL });
  try {
    // For a kept answer (resultsCache): it stands for the store after this use only if this use changed nothing.
    if (readOnly) await db.exec('SET default_transaction_read_only = on');
    return await work(db);
  } finally {
    await db.close();
  }
}

/**
 * The kept answer to `question` about the results store (reporting/answer-cache.ts): only for the PGlite
 * store, from the compiled CLI, whose build (dist/BUILT) is part of the question. Run from the sources
 * (which may change at any moment) or on PostgreSQL, nothing is kept. The store must then be opened
 * read-only (withResults' readOnly) for the answer to be kept.
 */
export function resultsCache<T>(question: unknown): AnswerCache<T> | undefined {
  if (process.env.RESULTS_DATABASE_URL || !__filename.endsWith('.js')) return undefined;
  let build: string;
  try {
    build = readFileSync(join(__dirname, '..', 'BUILT'), 'utf8');
  } catch {
    return undefined;
  }
  return answerCache<T>(DEFAULT_RESULTS_DIR, JSON.stringify([build, question]));
}

/** What `work` answers from the results store: kept until anything in the store changes. */
async function resultsAnswer<T>(question: unknown, work: (db: Db) => Promise<T>): Promise<T> {
  const cache = resultsCache<T>(question);
  if (cache?.kept) return cache.kept.answer;
  const answer = await withResults(work, { readOnly: cache !== undefined });
  await cache?.keep(answer);
  return answer;
}

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
  return withResults(async (db) => {
    if (action === 'list') {
      const issues = await listIssues(db);
      if (!issues.length) console.log('No testing issues.');
      for (const i of issues)
        console.log(
          `${i.id}  S${i.severity}  ${i.status.padEnd(8)}  x${i.occurrences}  ${i.title}${i.workaround ? `  (workaround: ${i.workaround})` : ''}`,
        );
      return 0;
    }
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
  const [criteria, catalogue] = [loadCriteria(), loadRequirementCatalogue()];
  const { lines, csv } = await resultsAnswer(['completion', criteria, catalogue], async (db) =>
    completionReport(await buildTcr(db, {}, criteria, catalogue)),
  );
  console.log(lines.join('\n'));
  if (args.csv) {
    writeFileSync(String(args.csv), csv);
    console.log(`Written: ${String(args.csv)}`);
  }
  return 0;
}

/** What `completion` says, first which kind of target counted, and its CSV: from the TCR's model of completion. */
export function completionReport(tcr: Tcr): { lines: string[]; csv: string } {
  // Which environments count is DCC's completion service's to say: locally an environment run is unconfirmed.
  const note = tcr.target.environmentRuns ? ` ${tcr.target.note}` : '';
  const lines = [tcr.target.headline, `Only runs against a real environment count; simulator runs are rehearsals.${note}`];
  for (const row of tcr.partyCompletion)
    lines.push(`${row.party}  ${row.test}  ${row.status.toUpperCase()}  ${row.at}  ${row.target}  ${row.runId}`);
  const pending = tcr.goNoGo.filter((g) => g.notPassed.length);
  const rehearsed = (g: (typeof pending)[number]) => (g.rehearsedOnly.length ? `; rehearsed only: ${g.rehearsedOnly.join(', ')}` : '');
  lines.push(
    pending.length
      ? `Not yet passed on an environment: ${pending.map((g) => `${g.party} (${g.notPassed.join(', ')}${rehearsed(g)})`).join('; ')}`
      : tcr.goNoGo.length
        ? 'Every party has passed every mandated test on an environment (unconfirmed: not verified by DCC).'
        : 'No party has run the mandated tests yet.',
  );
  const quote = (v: unknown) => `"${String(v).replace(/"/g, '""')}"`;
  const csv = [
    'party,test,status,passed_on_environment,rehearsed,at,target,target_kind,run',
    ...tcr.partyCompletion.map((r) =>
      [r.party, r.test, r.status, r.passed, r.rehearsed, r.at, r.target, r.targetKind ?? 'not recorded', r.runId].map(quote).join(','),
    ),
  ];
  return { lines, csv: `${csv.join('\n')}\n` };
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
