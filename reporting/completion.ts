/**
 * Mandated completion from the results store: per party and mandated test, whether it passed on a
 * real environment (the only pass that counts) and whether it was rehearsed on a simulator; the
 * go/no-go list; and the mandated tests' statuses the exit criteria judge. Which runs count is
 * decided once, in target-kind.ts.
 */
import type { RunRecord, StoredScenario } from './results-store';
import { countsForCompletion, type TargetKind } from './target-kind';
import { scenarioKey } from './testing-issues';

export type CompletionStatus =
  | 'passed on environment (unconfirmed)'
  | 'passed on a recognised environment'
  | 'failed on environment'
  | 'rehearsed, not complete'
  | 'rehearsal failed';

/**
 * Which runs count as mandated completion, and what a pass on them is called. Locally, runs against a
 * real environment count, unconfirmed; the completion service counts runs against an environment DCC
 * recognises (service/), whatever kind of target the run says it was.
 */
export interface CompletionRule {
  counts(run: RunRecord): boolean;
  passed: 'passed on environment (unconfirmed)' | 'passed on a recognised environment';
}

export const UNCONFIRMED: CompletionRule = { counts: countsForCompletion, passed: 'passed on environment (unconfirmed)' };

export interface CompletionRow {
  party: string;
  test: string;
  /** Passed in the party's latest run against a real environment that ran it: the only pass that counts. */
  passed: boolean;
  /** Passed in the party's latest rehearsal (a simulator run) that ran it. */
  rehearsed: boolean;
  status: CompletionStatus;
  /** The run the row is judged from: the latest environment run, else the latest rehearsal. */
  at: string;
  target: string;
  targetKind: TargetKind | null;
  runId: string;
}

export interface GoNoGo {
  party: string;
  /** Mandated tests not passed on a real environment. */
  notPassed: string[];
  /** Of those, the ones passed in a rehearsal and not yet run on an environment. */
  rehearsedOnly: string[];
  expectedIncidentVolume: number | null;
}

/**
 * The latest result of each scenario of each party across `results` (every row of an outline from the
 * last run that ran it): one party's later run never stands for another party's.
 */
export function latestPerScenario(results: StoredScenario[], runs: readonly RunRecord[]): StoredScenario[] {
  const partyOf = new Map(runs.map((r) => [r.id, r.party]));
  const key = (s: StoredScenario) => JSON.stringify([partyOf.get(s.runId) ?? null, scenarioKey(s)]);
  const lastRunOf = new Map<string, string>();
  for (const s of results) lastRunOf.set(key(s), s.runId);
  return results.filter((s) => lastRunOf.get(key(s)) === s.runId);
}

/** A run's verdict on a test it ran: where its last result proving the test stands in the results (later is more recent), and whether all passed. */
interface Verdict {
  at: number;
  passed: boolean;
}

/** Each run's verdict on each of `tests` it ran, by run id and test, in one pass over `results`. */
function verdictsOf(results: StoredScenario[], tests: string[]): Map<string, Map<string, Verdict>> {
  const wanted = new Set(tests);
  const byRun = new Map<string, Map<string, Verdict>>();
  results.forEach((s, at) => {
    for (const test of s.requirements) {
      if (!wanted.has(test)) continue;
      const ofRun = byRun.get(s.runId) ?? new Map<string, Verdict>();
      byRun.set(s.runId, ofRun);
      ofRun.set(test, { at, passed: (ofRun.get(test)?.passed ?? true) && s.status === 'passed' });
    }
  });
  return byRun;
}

/**
 * Whether the scenarios proving `test` in the last of `runs` that ran it all passed; undefined when none
 * ran it. The last is the run whose proving result comes last in the results (they are in run order).
 */
function lastVerdict(test: string, verdicts: Map<string, Map<string, Verdict>>, runs: Map<string, RunRecord>) {
  let last: { run: RunRecord; verdict: Verdict } | undefined;
  for (const run of runs.values()) {
    const verdict = verdicts.get(run.id)?.get(test);
    if (verdict && (!last || verdict.at > last.verdict.at)) last = { run, verdict };
  }
  return last && { run: last.run, passed: last.verdict.passed };
}

export function completionOf(
  runs: RunRecord[],
  results: StoredScenario[],
  mandatedIds: string[],
  rule: CompletionRule = UNCONFIRMED,
): CompletionRow[] {
  const rows: CompletionRow[] = [];
  const verdicts = verdictsOf(results, mandatedIds);
  for (const [party, ofParty] of groupBy(runs, (r) => r.party)) {
    const environment = new Map(ofParty.filter((r) => rule.counts(r)).map((r) => [r.id, r]));
    const rehearsal = new Map(ofParty.filter((r) => !rule.counts(r)).map((r) => [r.id, r]));
    for (const test of mandatedIds) {
      const onEnvironment = lastVerdict(test, verdicts, environment);
      const rehearsed = lastVerdict(test, verdicts, rehearsal);
      const judged = onEnvironment ?? rehearsed;
      if (!judged) continue;
      rows.push({
        party,
        test,
        passed: onEnvironment?.passed ?? false,
        rehearsed: rehearsed?.passed ?? false,
        status: onEnvironment
          ? onEnvironment.passed
            ? rule.passed
            : 'failed on environment'
          : judged.passed
            ? 'rehearsed, not complete'
            : 'rehearsal failed',
        at: (judged.run.finishedAt ?? judged.run.startedAt).toISOString(),
        target: judged.run.target,
        targetKind: judged.run.targetKind,
        runId: judged.run.id,
      });
    }
  }
  return rows;
}

export interface TrendPoint {
  day: string;
  partiesComplete: number;
  testsPassed: number;
}

/**
 * Completion at the end of each day a run finished: what completionOf gives for the runs of that day and
 * before, in one pass over the runs and results (each day's runs can only replace a party's verdict on
 * a test with a later one), not the whole model again per day.
 */
export function completionTrend(
  runs: RunRecord[],
  results: StoredScenario[],
  mandatedIds: string[],
  rule: CompletionRule,
  dayOf: (run: RunRecord) => string,
): TrendPoint[] {
  const verdicts = verdictsOf(results, mandatedIds);
  const held = new Map<string, Verdict>();
  const passedBy = new Map<string, number>();
  let testsPassed = 0;
  let partiesComplete = 0;
  const count = (party: string, change: number) => {
    const before = passedBy.get(party) ?? 0;
    passedBy.set(party, before + change);
    testsPassed += change;
    partiesComplete += Number(before + change === mandatedIds.length) - Number(before === mandatedIds.length);
  };
  const byDay = [...groupBy(runs, dayOf)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return byDay.map(([day, ofDay]) => {
    for (const run of ofDay.filter((r) => rule.counts(r)))
      for (const [test, verdict] of verdicts.get(run.id) ?? []) {
        const key = JSON.stringify([run.party, test]);
        const before = held.get(key);
        if (before && before.at > verdict.at) continue;
        held.set(key, verdict);
        count(run.party, Number(verdict.passed) - Number(before?.passed ?? false));
      }
    return { day, testsPassed, partiesComplete };
  });
}

/** `expectedIncidents`: each party's expected incident volume where known (assumed or migrated DSMS data), else null. */
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

export function goNoGoOf(
  parties: string[],
  rows: CompletionRow[],
  mandatedIds: string[],
  expectedIncidents: (party: string) => number | null = () => null,
): GoNoGo[] {
  const byKey = new Map<string, CompletionRow>();
  for (const r of rows) if (!byKey.has(JSON.stringify([r.party, r.test]))) byKey.set(JSON.stringify([r.party, r.test]), r);
  return parties.map((party) => {
    const row = (test: string) => byKey.get(JSON.stringify([party, test]));
    const notPassed = mandatedIds.filter((id) => !row(id)?.passed);
    return {
      party,
      notPassed,
      rehearsedOnly: notPassed.filter((id) => row(id)?.status === 'rehearsed, not complete'),
      expectedIncidentVolume: expectedIncidents(party),
    };
  });
}
