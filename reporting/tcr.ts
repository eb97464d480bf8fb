/**
 * The Test Completion Report as data, with the parts of ISO/IEC/IEEE 29119-3's Test Completion Report:
 * built from the results store for one run, one party or every run (the UIT window), against the
 * requirement catalogue and the exit criteria. Renderers (HTML, PDF, JUnit) and the JSON file all come
 * from this one model; reports/README.md documents its shape, tcr-issue.ts issues it.
 */
import { harnessMessage } from '../clients/messages';
import type { Queryable } from '../simulators/store/db';
import { completionOf, goNoGoOf, latestPerScenario, type CompletionRow, type GoNoGo } from './completion';
import { mandatedFacts } from './mandated';
import { assessCriteria, type CriteriaConfig, type CriterionResult } from './criteria';
import { listRuns, scenariosOf, type RunRecord, type StoredScenario } from './results-store';
import { DEFAULT_EVIDENCE_DIR } from './evidence';
import { evidenceOf, targetHeadline, UNCONFIRMED_NOTE, type Evidence } from './target-kind';
import {
  blockingFactorsOf,
  deliverablesOf,
  deviationsOf,
  documentOf,
  executionOf,
  HARNESS_REQUIREMENT,
  inScopeRequirements,
  measuresOf,
  residualRisksOf,
  reusableAssetsOf,
  withoutRenamedOutlines,
  type DocumentInput,
} from './tcr-parts';
import { listIssues, type TestingIssue } from './testing-issues';

export const TCR_SCHEMA = 'fsm-harness/test-completion-report@1';

export interface TcrScope {
  runId?: string;
  party?: string;
}

export interface Tcr {
  schema: typeof TCR_SCHEMA;
  title: string;
  generatedAt: string;
  /** 29119-3's identification: a stable, human id, a version, DRAFT until issued, who gets it, the plan it reports on. */
  document: {
    id: string;
    version: string;
    status: 'DRAFT' | 'ISSUED';
    issuingOrganisation: string;
    distribution: string[];
    testPlan: string;
    changeHistory: { version: string; date: string; by: string; change: string }[];
  };
  /** Which kind of target the runs were, first on every rendering: only real-environment runs count as completion. */
  target: { headline: string; environmentRuns: number; rehearsalRuns: number; confirmation: 'unconfirmed'; note: string };
  /** False when a run in scope did not finish: the figures cover what was recorded. */
  complete: boolean;
  approval: {
    status: 'draft' | 'issued';
    preparedBy: string;
    reviewer: string | null;
    approver: string | null;
    issuedAt: string | null;
  };
  scope: {
    description: string;
    parties: string[];
    runs: (Omit<RunRecord, 'startedAt' | 'finishedAt'> & { startedAt: string; finishedAt: string | null; evidence: Evidence })[];
  };
  summary: { exitCriteriaMet: boolean; text: string };
  execution: { planned: number; run: number; passed: number; failed: number; blocked: number; notRun: number; notRunReasons: string[] };
  deviations: { scenario: string; kind: 'passed after retry' | 'incomplete run' | 'not started' | 'part of the suite'; detail: string }[];
  exitCriteria: CriterionResult[];
  blockingFactors: string[];
  /** Per run in order: its figures, and mandated completion (party x test) over the window as it stood after it. */
  measures: {
    runId: string;
    party: string;
    at: string;
    evidence: Evidence;
    planned: number;
    passed: number;
    failed: number;
    blocked: number;
    notRun: number;
    mandatedPassedOnEnvironment: number;
    mandatedRehearsedOnly: number;
  }[];
  testingIssues: {
    bySeverity: Record<string, Record<'open' | 'resolved' | 'deferred' | 'closed', number>>;
    items: (Omit<TestingIssue, 'createdAt' | 'updatedAt'> & { updatedAt: string })[];
  };
  coverage: {
    id: string;
    title: string;
    status: 'passed' | 'failing' | 'uncovered';
    /** Proved by a scenario in scope, and a requirement of the product (not one of the harness's TST-* properties). */
    inScope: boolean;
    scenarios: { name: string; uri: string; status: string; runId: string }[];
  }[];
  partyCompletion: CompletionRow[];
  goNoGo: GoNoGo[];
  residualRisks: string[];
  testDeliverables: {
    packs: {
      runId: string;
      path: string;
      state: 'sealed' | 'sealed after this report' | 'no pack: never started';
      manifestSha256: string | null;
      statementSha256: string | null;
      keyId: string | null;
    }[];
    report: string[];
  };
  reusableAssets: string[];
  /** Filled by people (fsm-harness report --lessons FILE or --lesson TEXT); empty is rendered "None recorded". */
  lessonsLearned: string[];
  assumptions: string[];
  /** In an issued report only: the SHA-256 of its HTML and PDF, so the signature over tcr.json covers them. */
  renditions?: { path: string; sha256: string }[];
}

export async function buildTcr(
  db: Queryable,
  scope: TcrScope,
  criteria: CriteriaConfig,
  catalogue: Record<string, string>,
  now = new Date(),
  input: DocumentInput & { evidenceRoot?: string } = {},
): Promise<Tcr> {
  const runs = await selectRuns(db, scope);
  const results = await scenariosOf(
    db,
    runs.map((r) => r.id),
  );
  const latest = latestPerScenario(withoutRenamedOutlines(results), runs);
  const issues = (await listIssues(db)).filter((i) => runs.some((r) => r.id === i.lastRunId || r.id === i.firstRunId));
  const incompleteRuns = runs.filter((r) => !r.finishedAt).map((r) => r.id);
  const mandatedIds = Object.keys(catalogue).filter((id) => id.startsWith(criteria.mandatedPrefix));
  const mandated = mandatedFacts(runs, results, mandatedIds);
  const openIssues = issues.filter((i) => i.status === 'open');
  const exitCriteria = assessCriteria(criteria, {
    mandated,
    openIssues,
    notRun: latest.filter((s) => s.status === 'unknown').length,
    incompleteRuns,
  });
  const met = exitCriteria.every((c) => c.met);
  const inScope = inScopeRequirements(latest);
  const coverage = coverageOf(latest, catalogue, inScope);
  const parties = [...new Set(runs.map((r) => r.party))];
  const partyCompletion = completionOf(runs, results, mandatedIds);
  const goNoGo = goNoGoOf(parties, partyCompletion, mandatedIds);
  return {
    schema: TCR_SCHEMA,
    title: `Test Completion Report: ${scopeText(scope)}`,
    generatedAt: now.toISOString(),
    document: documentOf(scope, runs, parties, input, now),
    target: {
      headline: targetHeadline(runs),
      environmentRuns: runs.filter((r) => evidenceOf(r) !== 'rehearsal').length,
      rehearsalRuns: runs.filter((r) => evidenceOf(r) === 'rehearsal').length,
      confirmation: 'unconfirmed',
      note: UNCONFIRMED_NOTE,
    },
    complete: incompleteRuns.length === 0 && runs.length > 0,
    approval: { status: 'draft', preparedBy: 'fsm-harness', reviewer: null, approver: null, issuedAt: null },
    scope: {
      description: scopeText(scope),
      parties,
      runs: runs.map((r) => ({
        ...r,
        startedAt: r.startedAt.toISOString(),
        finishedAt: r.finishedAt?.toISOString() ?? null,
        evidence: evidenceOf(r),
      })),
    },
    summary: { exitCriteriaMet: met, text: summaryText(met, exitCriteria, latest, runs) },
    execution: executionOf(latest),
    deviations: deviationsOf(runs, latest, incompleteRuns),
    exitCriteria,
    blockingFactors: blockingFactorsOf(runs, latest, openIssues),
    measures: measuresOf(runs, results, mandatedIds),
    testingIssues: {
      bySeverity: bySeverity(issues),
      items: issues.map(({ createdAt: _c, updatedAt, ...i }) => ({ ...i, updatedAt: updatedAt.toISOString() })),
    },
    coverage,
    partyCompletion,
    goNoGo,
    residualRisks: residualRisksOf(coverage, { rows: partyCompletion, goNoGo, mandatedIds }, openIssues, inScope),
    testDeliverables: await deliverablesOf(db, runs, input.evidenceRoot ?? DEFAULT_EVIDENCE_DIR),
    reusableAssets: reusableAssetsOf(runs, latest),
    lessonsLearned: input.lessons ?? [],
    assumptions: criteria.assumed
      ? ['Exit criteria and severity definitions are assumed (config/exit-criteria.json), not DCC-published.']
      : [],
  };
}

async function selectRuns(db: Queryable, scope: TcrScope): Promise<RunRecord[]> {
  if (scope.runId) {
    const runs = await listRuns(db, { runIds: [scope.runId] });
    if (!runs.length) throw new Error(harnessMessage(`No run ${scope.runId} in the results store.`));
    return runs;
  }
  return listRuns(db, { party: scope.party });
}

function coverageOf(latest: StoredScenario[], catalogue: Record<string, string>, inScope: Set<string>): Tcr['coverage'] {
  return Object.entries(catalogue).map(([id, title]) => {
    const proving = latest.filter((s) => s.requirements.includes(id));
    const status = proving.length === 0 ? 'uncovered' : proving.every((s) => s.status === 'passed') ? 'passed' : 'failing';
    return {
      id,
      title,
      status,
      inScope: inScope.has(id) && !HARNESS_REQUIREMENT.test(id),
      scenarios: proving.map((s) => ({ name: s.name, uri: s.uri, status: s.status, runId: s.runId })),
    };
  });
}

function bySeverity(issues: TestingIssue[]): Tcr['testingIssues']['bySeverity'] {
  const table: Tcr['testingIssues']['bySeverity'] = {};
  for (const severity of ['1', '2', '3', '4', '5']) table[severity] = { open: 0, resolved: 0, deferred: 0, closed: 0 };
  for (const issue of issues) {
    const row = table[String(issue.severity)];
    if (row) row[issue.status] += 1;
  }
  return table;
}

function scopeText(scope: TcrScope): string {
  return scope.runId ? `run ${scope.runId}` : scope.party ? `party ${scope.party}, all runs` : 'all parties, all runs';
}

function summaryText(met: boolean, criteria: CriterionResult[], latest: StoredScenario[], runs: RunRecord[]): string {
  const passed = latest.filter((s) => s.status === 'passed').length;
  const failing = criteria.filter((c) => !c.met).map((c) => c.id);
  return `${runs.length} run(s), ${latest.length} scenarios, ${passed} passed. ${met ? 'Every exit criterion is met.' : `Exit criteria not met: ${failing.join(', ')}.`}`;
}
