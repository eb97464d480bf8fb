/**
 * The mandated tests as the exit criteria judge them, over every party in scope: the one place a
 * window's verdict on a mandated test is made from each party's own latest results.
 */
import { latestPerScenario, UNCONFIRMED, type CompletionRule } from './completion';
import type { CriteriaFacts } from './criteria';
import type { RunRecord, StoredScenario } from './results-store';

/**
 * The mandated tests as the exit criteria see them, for every party in scope: judged on counted runs
 * only (a rehearsal pass is "rehearsed only"), and a test stands as its worst party has it, so one
 * party's pass never hides another's failure or absence.
 */
export function mandatedFacts(
  runs: RunRecord[],
  results: StoredScenario[],
  mandatedIds: string[],
  rule: CompletionRule = UNCONFIRMED,
): CriteriaFacts['mandated'] {
  const parties = [...new Set(runs.map((r) => r.party))];
  const perParty = parties.map((party) => {
    const own = runs.filter((r) => r.party === party);
    const counted = new Set(own.filter((r) => rule.counts(r)).map((r) => r.id));
    const mine = new Set(own.map((r) => r.id));
    const ofParty = results.filter((s) => mine.has(s.runId));
    return {
      latest: latestPerScenario(
        ofParty.filter((s) => counted.has(s.runId)),
        own,
      ),
      rehearsed: latestPerScenario(
        ofParty.filter((s) => !counted.has(s.runId)),
        own,
      ),
    };
  });
  return mandatedIds.map((id) => {
    const verdicts = perParty.map(({ latest, rehearsed }) => {
      const proving = latest.filter((s) => s.requirements.includes(id));
      const inRehearsal = rehearsed.filter((s) => s.requirements.includes(id));
      const status: MandatedStatus =
        proving.length > 0
          ? proving.every((s) => s.status === 'passed')
            ? 'passed'
            : 'failed'
          : inRehearsal.length > 0 && inRehearsal.every((s) => s.status === 'passed')
            ? 'rehearsed only'
            : 'not run';
      return { status, firstAttempt: proving.length > 0 && proving.every((s) => s.firstStatus === 'passed') };
    });
    const status = WORST_FIRST.find((w) => verdicts.some((v) => v.status === w)) ?? 'not run';
    return { id, status, firstAttempt: verdicts.length > 0 && verdicts.every((v) => v.firstAttempt) };
  });
}

type MandatedStatus = CriteriaFacts['mandated'][number]['status'];
/** How parties' verdicts on one mandated test combine: the worst stands. */
const WORST_FIRST: MandatedStatus[] = ['failed', 'not run', 'rehearsed only', 'passed'];
