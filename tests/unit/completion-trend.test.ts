/**
 * The dashboard's completion over the UIT window (issue 16, the completion service's benchmark): each
 * day's point is what completionOf gives for the runs of that day and before, worked out in one pass
 * over the runs and results rather than the whole model again per day.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionOf, completionTrend, type CompletionRule } from '../../reporting/completion';
import type { RunRecord, StoredScenario } from '../../reporting/results-store';

const TESTS = ['UEPT-FSM-01', 'UEPT-FSM-02', 'UEPT-FSM-03'];
const dayOf = (run: RunRecord) => (run.finishedAt ?? run.startedAt).toISOString().slice(0, 10);

/** A small deterministic generator (mulberry32): the same history every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs of a few parties over a few days, some against a counted environment, some rehearsals, some finishing days after they started. */
function history(seed: number): { runs: RunRecord[]; results: StoredScenario[] } {
  const next = random(seed);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)] as T;
  const runs = Array.from({ length: 40 }, (_, i): RunRecord => {
    const startedAt = new Date(Date.UTC(2026, 11, 1 + Math.floor(next() * 10)));
    return {
      id: `run-${i}`,
      party: pick(['Alpha', 'Beta', 'Gamma', 'Delta']),
      target: 'UIT',
      suite: 'uept',
      tags: null,
      mode: 'api',
      seed: i,
      harnessVersion: '',
      nodeVersion: '',
      startedAt,
      finishedAt: next() < 0.3 ? new Date(startedAt.getTime() + Math.floor(next() * 4) * 86_400_000) : next() < 0.5 ? null : startedAt,
      targetKind: next() < 0.7 ? 'environment' : 'sim',
      environmentName: null,
      environmentUrl: null,
      environmentTenant: null,
      tlsFingerprint: null,
      notStarted: null,
    };
  });
  runs.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const results = runs.flatMap((run) =>
    Array.from({ length: 1 + Math.floor(next() * 5) }, (_, i): StoredScenario => ({
      runId: run.id,
      uri: 'features/uept/x.feature',
      feature: 'x',
      name: `Scenario ${i}`,
      tags: [],
      requirements: next() < 0.2 ? [pick(TESTS), pick(TESTS)] : [pick(TESTS)],
      status: next() < 0.8 ? 'passed' : 'failed',
      firstStatus: 'passed',
      attempts: 1,
      durationMs: 0,
      recordedAt: run.startedAt,
    })),
  );
  return { runs, results };
}

/** The definition: the whole model for the runs of each day and before. */
function everyDayAgain(runs: RunRecord[], results: StoredScenario[], rule: CompletionRule) {
  return [...new Set(runs.map(dayOf))].sort().map((day) => {
    const passed = completionOf(
      runs.filter((r) => dayOf(r) <= day),
      results,
      TESTS,
      rule,
    ).filter((r) => r.passed);
    const perParty = new Map<string, number>();
    for (const r of passed) perParty.set(r.party, (perParty.get(r.party) ?? 0) + 1);
    return { day, testsPassed: passed.length, partiesComplete: [...perParty.values()].filter((n) => n === TESTS.length).length };
  });
}

const counted: CompletionRule = { counts: (run) => run.targetKind === 'environment', passed: 'passed on a recognised environment' };

describe('completion over the UIT window', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`gives each day what the whole model gives for the runs up to that day (history ${seed})`, () => {
      const { runs, results } = history(seed);
      assert.deepEqual(completionTrend(runs, results, TESTS, counted, dayOf), everyDayAgain(runs, results, counted));
    });
  }

  it('asks whether each run counts once, however many days the window has', () => {
    const { runs, results } = history(9);
    let asked = 0;
    const rule: CompletionRule = { ...counted, counts: (run) => (asked++, counted.counts(run)) };
    const trend = completionTrend(runs, results, TESTS, rule, dayOf);
    assert.ok(trend.length > 5, 'the history spans several days');
    assert.equal(asked, runs.length);
  });
});
