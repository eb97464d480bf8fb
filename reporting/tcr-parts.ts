/**
 * The parts of the Test Completion Report that ISO/IEC/IEEE 29119-3 asks for beyond the figures:
 * the document's identity, the factors that blocked progress, the test measures over time, the
 * residual risks of what is in scope, the test deliverables, the reusable test assets and the
 * deviations from what was planned. Each from the same results the figures come from.
 */
import type { Queryable } from '../simulators/store/db';
import { completionOf, type CompletionRow, type GoNoGo } from './completion';
import { outlineOf } from './results';
import type { RunRecord, StoredScenario } from './results-store';
import { evidenceOf } from './target-kind';
import type { TestingIssue } from './testing-issues';
import type { Tcr, TcrScope } from './tcr';

/** The harness's own properties: requirements of the tool, never of the product under test. */
export const HARNESS_REQUIREMENT = /^TST-/;

const FAILED = new Set(['failed', 'ambiguous']);
const BLOCKED = new Set(['undefined', 'pending', 'skipped']);

/** What people give a report that the results cannot: the plan it answers to, who gets it, what was learned. */
export interface DocumentInput {
  /** The document id to use; by default the next one not yet issued for the scope and date. */
  id?: string;
  /** Document ids already issued (so a draft names the id it will be issued under). */
  issued?: readonly string[];
  testPlan?: string;
  distribution?: string[];
  organisation?: string;
  lessons?: string[];
}

const slug = (text: string) =>
  text
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'PARTY';

/** TCR-<party, or ALL for the whole window>-<yyyymmdd>-<n>: n counts the reports issued for that scope that day. */
export function documentId(scope: TcrScope, parties: string[], now: Date, issued: readonly string[] = []): string {
  const who = (scope.runId || scope.party) && parties[0] ? slug(parties[0]) : 'ALL';
  const prefix = `TCR-${who}-${now.toISOString().slice(0, 10).replace(/-/g, '')}`;
  let n = 1;
  while (issued.includes(`${prefix}-${n}`)) n += 1;
  return `${prefix}-${n}`;
}

export function documentOf(scope: TcrScope, runs: RunRecord[], parties: string[], input: DocumentInput, now: Date): Tcr['document'] {
  const suites = [...new Set(runs.map((r) => r.suite))];
  return {
    id: input.id ?? documentId(scope, parties, now, input.issued),
    version: '0.1',
    status: 'DRAFT',
    issuingOrganisation: input.organisation ?? (parties.length === 1 ? (parties[0] ?? '') : 'DCC test management'),
    distribution: input.distribution?.length ? input.distribution : ['DCC test management', 'Testing Advisory Group', ...parties],
    testPlan:
      input.testPlan ??
      `Test approach of the FSM Test Harness: ${suites.map((suite) => `the ${suite} suite (features/${suite}/)`).join(', ') || 'no suite run'}; requirement catalogue config/requirements.json; exit criteria config/exit-criteria.json.`,
    changeHistory: [{ version: '0.1', date: now.toISOString(), by: 'fsm-harness', change: 'Draft generated from the results store.' }],
  };
}

/**
 * Results without the rows an outline recorded under its own name before its rows were named after
 * their examples, once a later run recorded the named rows: those rows are the same tests, renamed.
 */
export function withoutRenamedOutlines(results: StoredScenario[]): StoredScenario[] {
  const namedAt = new Map<string, number>();
  results.forEach((s, i) => {
    const outline = outlineOf(s.name);
    if (outline) namedAt.set(`${s.uri}#${outline}`, i);
  });
  return results.filter((s, i) => (namedAt.get(`${s.uri}#${s.name}`) ?? -1) < i);
}

export function executionOf(latest: StoredScenario[]): Tcr['execution'] {
  const count = (test: (s: StoredScenario) => boolean) => latest.filter(test).length;
  const notRun = count((s) => s.status === 'unknown');
  return {
    planned: latest.length,
    run: latest.length - notRun,
    passed: count((s) => s.status === 'passed'),
    failed: count((s) => FAILED.has(s.status)),
    blocked: count((s) => BLOCKED.has(s.status)),
    notRun,
    notRunReasons: notRun ? ['The run ended before these scenarios started (interrupted, or stopped at a failure).'] : [],
  };
}

export function deviationsOf(runs: RunRecord[], latest: StoredScenario[], incompleteRuns: string[]): Tcr['deviations'] {
  return [
    ...latest
      .filter((s) => s.status === 'passed' && s.attempts > 1)
      .map((s) => ({
        scenario: s.name,
        kind: 'passed after retry' as const,
        detail: `${s.attempts} attempts; first ${s.firstStatus} (run ${s.runId})`,
      })),
    ...incompleteRuns.map((id) => ({
      scenario: '(run)',
      kind: 'incomplete run' as const,
      detail: `Run ${id} never finished (a crash or an interruption): its recorded results are included.`,
    })),
    ...runs
      .filter((r) => r.notStarted)
      .map((r) => ({ scenario: '(run)', kind: 'not started' as const, detail: `Run ${r.id} never reached its target: ${r.notStarted}.` })),
    ...runs
      .filter((r) => r.tags && !r.notStarted)
      .map((r) => ({
        scenario: '(run)',
        kind: 'part of the suite' as const,
        detail: `Run ${r.id} ran only the scenarios of the ${r.suite} suite tagged ${r.tags}.`,
      })),
  ];
}

/** What stood in the way: runs that never started or never finished, scenarios blocked or not run, severe open issues. */
export function blockingFactorsOf(runs: RunRecord[], latest: StoredScenario[], openIssues: TestingIssue[]): string[] {
  const blocked = latest.filter((s) => BLOCKED.has(s.status));
  const notRun = latest.filter((s) => s.status === 'unknown');
  const severe = openIssues.filter((i) => i.severity <= 2);
  return [
    ...runs.filter((r) => r.notStarted).map((r) => `Run ${r.id} could not start: ${r.notStarted}.`),
    ...runs.filter((r) => !r.finishedAt).map((r) => `Run ${r.id} was interrupted before it finished.`),
    ...(blocked.length
      ? [`${blocked.length} scenario(s) blocked by undefined, pending or skipped steps: ${blocked.map((s) => s.name).join('; ')}.`]
      : []),
    ...(notRun.length ? [`${notRun.length} scenario(s) not run: the run ended before them.`] : []),
    ...(severe.length ? [`Open testing issues of severity 1 or 2: ${severe.map((i) => `${i.id} (${i.title})`).join('; ')}.`] : []),
  ];
}

/** Per run, in order: its figures, and mandated completion over the window as it stood after it. */
export function measuresOf(runs: RunRecord[], results: StoredScenario[], mandatedIds: string[]): Tcr['measures'] {
  const byRun = new Map<string, StoredScenario[]>();
  for (const s of results) {
    const ofRun = byRun.get(s.runId);
    if (ofRun) ofRun.push(s);
    else byRun.set(s.runId, [s]);
  }
  const rowsByParty = new Map<string, CompletionRow[]>();
  return runs.flatMap((run, index) => {
    if (run.notStarted) return [];
    const partyRuns = runs.slice(0, index + 1).filter((r) => r.party === run.party);
    const partyResults = partyRuns.flatMap((r) => byRun.get(r.id) ?? []);
    rowsByParty.set(run.party, completionOf(partyRuns, partyResults, mandatedIds));
    const rows = [...rowsByParty.values()].flat();
    const { planned, passed, failed, blocked, notRun } = executionOf(byRun.get(run.id) ?? []);
    return [
      {
        runId: run.id,
        party: run.party,
        at: (run.finishedAt ?? run.startedAt).toISOString(),
        evidence: evidenceOf(run),
        planned,
        passed,
        failed,
        blocked,
        notRun,
        mandatedPassedOnEnvironment: rows.filter((r) => r.passed).length,
        mandatedRehearsedOnly: rows.filter((r) => !r.passed && r.rehearsed).length,
      },
    ];
  });
}

/** The requirements this report's scenarios prove: the product's only (the harness's TST-* properties aside). */
export function inScopeRequirements(latest: StoredScenario[]): Set<string> {
  return new Set(latest.flatMap((s) => s.requirements).filter((id) => !HARNESS_REQUIREMENT.test(id)));
}

/**
 * Risks left for what is in scope: requirements in scope not proved, and per party the mandated tests
 * in scope not proved on a real environment (failed there, rehearsed only, or not attempted), and open issues.
 */
export function residualRisksOf(
  coverage: Tcr['coverage'],
  completion: { rows: CompletionRow[]; goNoGo: GoNoGo[]; mandatedIds: string[] },
  openIssues: TestingIssue[],
  inScope: Set<string>,
): string[] {
  const mandated = new Set(completion.mandatedIds);
  const perParty = completion.goNoGo.flatMap((g) => {
    const open = g.notPassed.filter((id) => inScope.has(id));
    if (!open.length) return [];
    const status = (id: string) => completion.rows.find((r) => r.party === g.party && r.test === id)?.status;
    const kinds: [string, string[]][] = [
      ['failed on the environment', open.filter((id) => status(id) === 'failed on environment')],
      ['passed in a rehearsal only', open.filter((id) => g.rehearsedOnly.includes(id))],
      ['rehearsal failed', open.filter((id) => status(id) === 'rehearsal failed')],
      ['not attempted', open.filter((id) => status(id) === undefined)],
    ];
    const said = kinds.filter(([, ids]) => ids.length).map(([kind, ids]) => `${ids.join(', ')} ${kind}`);
    return [`${g.party}: not yet proved on a real environment: ${said.join('; ')}.`];
  });
  return [
    ...coverage
      .filter((c) => c.inScope && c.status === 'failing' && !mandated.has(c.id))
      .map(
        (c) =>
          `${c.id} (${c.title}) is not proved: ${c.scenarios
            .filter((s) => s.status !== 'passed')
            .map((s) => `${s.name} ${s.status}`)
            .join('; ')}.`,
      ),
    ...perParty,
    ...openIssues.map((i) => `${i.id} (severity ${i.severity}) is open: ${i.title}.`),
  ];
}

/** What a later test effort can take up again: the executable tests, the tooling and the data they were run with. */
export function reusableAssetsOf(runs: RunRecord[], latest: StoredScenario[]): string[] {
  const features = [...new Set(latest.map((s) => s.uri))].sort();
  const seeds = [...new Set(runs.filter((r) => !r.notStarted).map((r) => r.seed))];
  return [
    `Feature files (the test cases, executable): ${features.join(', ') || 'none in scope'}.`,
    'Step definitions, screenplay tasks and page objects (steps/): one set drives the API and the portal, against any target file (config/targets/).',
    'The simulators of the FSM platform, the identity provider and CH logistics (fsm-harness sim): rehearsals before an environment is available.',
    `Fixture builders (fixtures/), seeded: seed(s) ${seeds.join(', ') || 'none'} reproduce the data of the runs in scope.`,
    'The requirement catalogue (config/requirements.json) and the exit criteria (config/exit-criteria.json).',
  ];
}

/** Each run's evidence pack as sealed in the results store: its manifest's and its signed statement's digests. */
export async function deliverablesOf(db: Queryable, runs: RunRecord[], evidenceRoot: string): Promise<Tcr['testDeliverables']> {
  const sealed = await db.query<{ run_id: string; sha256: string; statement_sha256: string | null; key_id: string | null }>(
    'SELECT run_id, sha256, statement_sha256, key_id FROM evidence_manifest WHERE run_id = ANY($1)',
    [runs.map((r) => r.id)],
  );
  const byRun = new Map(sealed.map((s) => [s.run_id, s]));
  return {
    packs: runs.map((r) => {
      const seal = byRun.get(r.id);
      return {
        runId: r.id,
        path: `${evidenceRoot}/${r.id}/`,
        state: seal ? ('sealed' as const) : r.notStarted ? ('no pack: never started' as const) : ('sealed after this report' as const),
        manifestSha256: seal?.sha256 ?? null,
        statementSha256: seal?.statement_sha256 ?? null,
        keyId: seal?.key_id ?? null,
      };
    }),
    report: ['tcr.json', 'tcr.html', 'tcr.pdf', 'tcr-junit.xml'],
  };
}
