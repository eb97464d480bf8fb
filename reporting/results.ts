/**
 * Turns cucumber's message stream into the facts every report needs: one result per scenario
 * (the last attempt, when retried) and coverage per requirement ID. Pure: the run command feeds it
 * live, and the Test Completion Report can feed it a saved .ndjson file.
 */
import type { Envelope, FeatureChild, RuleChild } from '@cucumber/messages';

export type ScenarioStatus = 'passed' | 'failed' | 'skipped' | 'pending' | 'undefined' | 'ambiguous' | 'unknown';

export interface ScenarioResult {
  name: string;
  feature: string;
  uri: string;
  tags: string[];
  requirements: string[];
  status: ScenarioStatus;
  /** Status of the first attempt: a pass after a retry is a deviation the report shows. */
  firstStatus: ScenarioStatus;
  attempts: number;
  durationMs: number;
  error?: string;
}

export interface RequirementCoverage {
  id: string;
  title: string;
  scenarios: number;
  passed: number;
  failed: number;
}

/** Worst first: a scenario takes the status of its worst step. */
const SEVERITY: ScenarioStatus[] = ['failed', 'ambiguous', 'undefined', 'pending', 'skipped', 'unknown', 'passed'];
const REQUIREMENT_TAG = /^@((?:IAM|ACC|SM|OMS|TST)-\d{2}|UEPT-FSM-\d{2}|UIT-[A-Z]+-\d{2})$/;

export function requirementOf(tag: string): string | undefined {
  return REQUIREMENT_TAG.exec(tag)?.[1];
}

interface Attempt {
  pickleId: string;
  status: ScenarioStatus;
  startedMs: number;
  durationMs: number;
  error?: string;
}

export class ResultCollector {
  private readonly features = new Map<string, string>();
  private readonly pickles = new Map<string, { name: string; uri: string; tags: string[] }>();
  /** Scenario outlines' names and their Examples rows' values, by AST node id: a row's pickle is named after its example. */
  private readonly outlines = new Map<string, string>();
  private readonly exampleRows = new Map<string, string>();
  private readonly testCases = new Map<string, string>();
  private readonly attempts = new Map<string, Attempt>();
  /** Last finished attempt per pickle. */
  private readonly finals = new Map<string, Attempt & { attempts: number; firstStatus: ScenarioStatus }>();

  /** `onScenario` hears each scenario once its last attempt finishes, so results can be kept as they come. */
  constructor(private readonly onScenario?: (result: ScenarioResult) => void) {}

  readonly onEnvelope = (envelope: Envelope): void => {
    if (envelope.gherkinDocument?.uri) {
      this.features.set(envelope.gherkinDocument.uri, envelope.gherkinDocument.feature?.name ?? '');
      this.learnExamples(envelope.gherkinDocument.feature?.children ?? []);
    }
    if (envelope.pickle) {
      const { id, name, uri, tags, astNodeIds } = envelope.pickle;
      this.pickles.set(id, { name: this.nameOf(name, astNodeIds), uri, tags: tags.map((t) => t.name) });
    }
    if (envelope.testCase) this.testCases.set(envelope.testCase.id, envelope.testCase.pickleId);
    if (envelope.testCaseStarted) this.onStarted(envelope.testCaseStarted);
    if (envelope.testStepFinished) this.onStep(envelope.testStepFinished);
    if (envelope.testCaseFinished) this.onFinished(envelope.testCaseFinished);
  };

  private learnExamples(children: readonly (FeatureChild | RuleChild)[]): void {
    for (const child of children) {
      if ('rule' in child && child.rule) this.learnExamples(child.rule.children);
      const outline = child.scenario;
      if (!outline?.examples.length) continue;
      this.outlines.set(outline.id, outline.name);
      for (const examples of outline.examples) {
        const header = examples.tableHeader?.cells.map((c) => c.value) ?? [];
        for (const row of examples.tableBody)
          this.exampleRows.set(row.id, row.cells.map((c, i) => `${header[i] ?? i + 1} ${c.value}`).join(', '));
      }
    }
  }

  /**
   * An outline's rows all carry the outline's name unless it names a <placeholder>: such a row is named
   * after its example, so each row is a scenario of its own in every report, issue and statement.
   */
  private nameOf(name: string, astNodeIds: readonly string[]): string {
    const [scenarioId = '', rowId = ''] = astNodeIds;
    const example = this.exampleRows.get(rowId);
    return example !== undefined && this.outlines.get(scenarioId) === name ? exampleName(name, example) : name;
  }

  private onStarted({ id, testCaseId, timestamp }: NonNullable<Envelope['testCaseStarted']>): void {
    const pickleId = this.testCases.get(testCaseId) ?? '';
    this.attempts.set(id, { pickleId, status: 'passed', startedMs: toMs(timestamp), durationMs: 0 });
  }

  private onStep({ testCaseStartedId, testStepResult }: NonNullable<Envelope['testStepFinished']>): void {
    const attempt = this.attempts.get(testCaseStartedId);
    if (!attempt) return;
    const status = testStepResult.status.toLowerCase() as ScenarioStatus;
    if (SEVERITY.indexOf(status) < SEVERITY.indexOf(attempt.status)) {
      attempt.status = status;
      if (testStepResult.message) attempt.error = testStepResult.message.split('\n').slice(0, 6).join('\n');
    }
  }

  private onFinished({ testCaseStartedId, timestamp, willBeRetried }: NonNullable<Envelope['testCaseFinished']>): void {
    const attempt = this.attempts.get(testCaseStartedId);
    if (!attempt) return;
    attempt.durationMs = toMs(timestamp) - attempt.startedMs;
    const previous = this.finals.get(attempt.pickleId);
    this.finals.set(attempt.pickleId, {
      ...attempt,
      attempts: (previous?.attempts ?? 0) + 1,
      firstStatus: previous?.firstStatus ?? attempt.status,
    });
    if (!willBeRetried && this.onScenario) this.onScenario(this.resultOf(attempt.pickleId));
  }

  /** How many scenario attempts began: none means the run never got as far as its first scenario. */
  get started(): number {
    return this.attempts.size;
  }

  scenarios(): ScenarioResult[] {
    // Pickles that the tag filter left out have no test case: they were not part of this run.
    const scheduled = new Set(this.testCases.values());
    return [...this.pickles.keys()].filter((id) => scheduled.has(id)).map((id) => this.resultOf(id));
  }

  private resultOf(pickleId: string): ScenarioResult {
    const pickle = this.pickles.get(pickleId) ?? { name: pickleId, uri: '', tags: [] };
    const final = this.finals.get(pickleId);
    return {
      name: pickle.name,
      feature: this.features.get(pickle.uri) ?? pickle.uri,
      uri: pickle.uri,
      tags: pickle.tags,
      requirements: pickle.tags.map(requirementOf).filter((r): r is string => r !== undefined),
      status: final?.status ?? 'unknown',
      firstStatus: final?.firstStatus ?? 'unknown',
      attempts: final?.attempts ?? 0,
      durationMs: Math.round(final?.durationMs ?? 0),
      ...(final?.error ? { error: final.error } : {}),
    };
  }
}

/** The name of an outline's row whose name does not vary: the outline's, then the row's values. */
export const exampleName = (outline: string, example: string) => `${outline} (example: ${example})`;

/** The outline a row named by exampleName() belongs to; undefined for any other scenario. */
const EXAMPLE = / \(example: [^()]*\)$/;
export const outlineOf = (name: string) => (EXAMPLE.test(name) ? name.replace(EXAMPLE, '') : undefined);

/** Coverage of every catalogued requirement, including those no scenario proves yet. */
export function coverage(scenarios: ScenarioResult[], catalogue: Record<string, string>): RequirementCoverage[] {
  return Object.entries(catalogue).map(([id, title]) => {
    const proving = scenarios.filter((s) => s.requirements.includes(id));
    return {
      id,
      title,
      scenarios: proving.length,
      passed: proving.filter((s) => s.status === 'passed').length,
      failed: proving.filter((s) => s.status !== 'passed').length,
    };
  });
}

/** Requirement-like tags the catalogue does not know: almost always a typo that would hide coverage. */
export function unknownRequirements(scenarios: ScenarioResult[], catalogue: Record<string, string>): string[] {
  return [...new Set(scenarios.flatMap((s) => s.requirements).filter((id) => !Object.hasOwn(catalogue, id)))].sort();
}

function toMs(timestamp: { seconds: number; nanos: number }): number {
  return timestamp.seconds * 1000 + timestamp.nanos / 1e6;
}
