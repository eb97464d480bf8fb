/**
 * Exit criteria as data (config/exit-criteria.json), each judged by one rule of the table below
 * against the facts of the report: met or not, with the evidence in words.
 */
import { z } from 'zod';
import { readJsonFile } from './json-file';

const Criterion = z.discriminatedUnion('rule', [
  z
    .object({ id: z.string(), description: z.string(), rule: z.literal('mandated-passed'), firstAttempt: z.boolean().default(false) })
    .strict(),
  z
    .object({ id: z.string(), description: z.string(), rule: z.literal('no-open-issues'), maxSeverity: z.number().int().min(1).max(5) })
    .strict(),
  z
    .object({ id: z.string(), description: z.string(), rule: z.literal('workaround-required'), severity: z.number().int().min(1).max(5) })
    .strict(),
  z.object({ id: z.string(), description: z.string(), rule: z.literal('all-run') }).strict(),
]);

export const CriteriaConfig = z
  .object({
    $comment: z.string().optional(),
    assumed: z.boolean(),
    mandatedPrefix: z.string().min(1),
    defaultSeverity: z.number().int().min(1).max(5),
    severities: z.record(z.enum(['1', '2', '3', '4', '5']), z.string()),
    criteria: z.array(Criterion).min(1),
  })
  .strict();
export type CriteriaConfig = z.infer<typeof CriteriaConfig>;
export type Criterion = z.infer<typeof Criterion>;

export function loadCriteria(path = 'config/exit-criteria.json'): CriteriaConfig {
  return readJsonFile(path, CriteriaConfig);
}

/** What the rules look at. */
export interface CriteriaFacts {
  /** Judged on runs against a real environment only: a pass in a simulator rehearsal is "rehearsed only" (reporting/completion.ts). */
  mandated: { id: string; status: 'passed' | 'failed' | 'rehearsed only' | 'not run'; firstAttempt: boolean }[];
  openIssues: { id: string; severity: number; workaround: string | null }[];
  notRun: number;
  incompleteRuns: string[];
}

export interface CriterionResult {
  id: string;
  description: string;
  met: boolean;
  evidence: string;
}

type Rule<C extends Criterion> = (criterion: C, facts: CriteriaFacts) => { met: boolean; evidence: string };

const list = (items: string[]) => (items.length ? items.join(', ') : 'none');

const RULES: { [K in Criterion['rule']]: Rule<Extract<Criterion, { rule: K }>> } = {
  'mandated-passed': (c, facts) => {
    const failing = facts.mandated.filter((m) => m.status !== 'passed' || (c.firstAttempt && !m.firstAttempt));
    return {
      met: failing.length === 0,
      evidence: `Passed: ${list(facts.mandated.filter((m) => !failing.includes(m)).map((m) => m.id))}. Not passed${c.firstAttempt ? ' at the first attempt' : ''}: ${list(failing.map((m) => `${m.id} (${m.status})`))}. Only runs against a real environment count (unconfirmed: not verified by DCC); simulator runs are rehearsals.`,
    };
  },
  'no-open-issues': (c, facts) => {
    const blocking = facts.openIssues.filter((i) => i.severity <= c.maxSeverity);
    return {
      met: blocking.length === 0,
      evidence: `Open issues of severity ${c.maxSeverity} or worse: ${list(blocking.map((i) => `${i.id} (S${i.severity})`))}.`,
    };
  },
  'workaround-required': (c, facts) => {
    const bare = facts.openIssues.filter((i) => i.severity === c.severity && !i.workaround);
    return { met: bare.length === 0, evidence: `Open severity ${c.severity} issues without a workaround: ${list(bare.map((i) => i.id))}.` };
  },
  'all-run': (_c, facts) => ({
    met: facts.notRun === 0 && facts.incompleteRuns.length === 0,
    evidence: `${facts.notRun} scenarios not run; incomplete runs: ${list(facts.incompleteRuns)}.`,
  }),
};

export function assessCriteria(config: CriteriaConfig, facts: CriteriaFacts): CriterionResult[] {
  return config.criteria.map((criterion) => {
    const rule = RULES[criterion.rule] as Rule<Criterion>;
    return { id: criterion.id, description: criterion.description, ...rule(criterion, facts) };
  });
}
