/**
 * Each run's signed statement: an in-toto Statement v1 whose subject is the run's evidence manifest
 * and whose predicate is in-toto's test-result predicate (passed, warned and failed tests, the
 * configuration run: here the feature catalogue by digest). What DCC needs beyond it travels in the
 * predicate's `fsm` field (in-toto consumers ignore fields they do not know): party, environment,
 * suite, each scenario's result, and the previous statement's digest, which chains a store's runs.
 */
import { createHash } from 'node:crypto';
import type { RunRecord, StoredScenario } from '../results-store';
import type { ScenarioStatus } from '../results';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const TEST_RESULT_PREDICATE = 'https://in-toto.io/attestation/test-result/v0.1';
export const IN_TOTO_PAYLOAD = 'application/vnd.in-toto+json';

export interface SignedScenario {
  uri: string;
  name: string;
  requirements: string[];
  status: ScenarioStatus;
  firstStatus: ScenarioStatus;
  attempts: number;
}

export interface FsmFacts {
  party: string;
  run: {
    id: string;
    suite: string;
    tags: string | null;
    mode: string;
    seed: number;
    harnessVersion: string;
    startedAt: string;
    finishedAt: string | null;
  };
  environment: { kind: string | null; name: string | null; url: string | null; tenant: string | null; tlsFingerprint: string | null };
  requirements: string[];
  scenarios: SignedScenario[];
  /** SHA-256 of the previous statement's payload in the same results store; null for the first. */
  previousStatement: string | null;
}

export interface RunStatement {
  _type: typeof STATEMENT_TYPE;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: typeof TEST_RESULT_PREDICATE;
  predicate: {
    result: 'PASSED' | 'WARNED' | 'FAILED';
    configuration: { name: string; digest: { sha256: string } }[];
    url?: string;
    passedTests: string[];
    warnedTests: string[];
    failedTests: string[];
    fsm: FsmFacts;
  };
}

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** A scenario's name in the test lists: its feature file and name (an outline row's name names its example). */
const testName = (s: Pick<SignedScenario, 'uri' | 'name'>) => `${s.uri}: ${s.name}`;

/** The feature catalogue run, by digest: the SHA-256 of the sorted lines "<sha256>  <path>" of the pack's features. */
export function catalogueDigest(files: { path: string; sha256: string }[]): string {
  return sha256(
    files
      .filter((f) => f.path.startsWith('features/'))
      .map((f) => `${f.sha256}  ${f.path}\n`)
      .sort()
      .join(''),
  );
}

export const signedScenario = (s: StoredScenario): SignedScenario => ({
  uri: s.uri,
  name: s.name,
  requirements: s.requirements,
  status: s.status,
  firstStatus: s.firstStatus,
  attempts: s.attempts,
});

export function runStatement(input: {
  run: RunRecord;
  scenarios: StoredScenario[];
  manifestSha256: string;
  catalogue: string;
  previousStatement: string | null;
}): RunStatement {
  const { run } = input;
  const scenarios = input.scenarios.map(signedScenario);
  const passed = scenarios.filter((s) => s.status === 'passed' && s.firstStatus === 'passed');
  const warned = scenarios.filter((s) => s.status === 'passed' && s.firstStatus !== 'passed');
  const failed = scenarios.filter((s) => s.status !== 'passed');
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: `${run.id}/manifest.json`, digest: { sha256: input.manifestSha256 } }],
    predicateType: TEST_RESULT_PREDICATE,
    predicate: {
      result: failed.length || !scenarios.length ? 'FAILED' : warned.length ? 'WARNED' : 'PASSED',
      configuration: [{ name: 'features', digest: { sha256: input.catalogue } }],
      ...(run.environmentUrl ? { url: run.environmentUrl } : {}),
      passedTests: passed.map(testName),
      warnedTests: warned.map(testName),
      failedTests: failed.map(testName),
      fsm: {
        party: run.party,
        run: {
          id: run.id,
          suite: run.suite,
          tags: run.tags,
          mode: run.mode,
          seed: run.seed,
          harnessVersion: run.harnessVersion,
          startedAt: run.startedAt.toISOString(),
          finishedAt: run.finishedAt?.toISOString() ?? null,
        },
        environment: {
          kind: run.targetKind,
          name: run.environmentName,
          url: run.environmentUrl,
          tenant: run.environmentTenant,
          tlsFingerprint: run.tlsFingerprint,
        },
        requirements: [...new Set(scenarios.flatMap((s) => s.requirements))].sort(),
        scenarios,
        previousStatement: input.previousStatement,
      },
    },
  };
}

/**
 * Where a run's signed statement and what the results store holds of it disagree, one line each:
 * the store is only trusted where its signed statement says the same.
 */
export function disagreements(statement: RunStatement, run: RunRecord, stored: StoredScenario[]): string[] {
  const fsm = statement.predicate.fsm;
  const problems: string[] = [];
  const field = (what: string, signed: unknown, held: unknown) => {
    if (JSON.stringify(signed) !== JSON.stringify(held))
      problems.push(`${what} is ${JSON.stringify(held)} in the store, ${JSON.stringify(signed)} in the signed statement`);
  };
  field('the party', fsm.party, run.party);
  field('the target kind', fsm.environment.kind, run.targetKind);
  field('the environment URL', fsm.environment.url, run.environmentUrl);
  field('the tenant', fsm.environment.tenant, run.environmentTenant);
  field('the TLS certificate', fsm.environment.tlsFingerprint, run.tlsFingerprint);
  field('the suite', fsm.run.suite, run.suite);
  const held = stored.map(signedScenario);
  if (held.length !== fsm.scenarios.length)
    problems.push(`the store holds ${held.length} scenario results, the signed statement ${fsm.scenarios.length}`);
  fsm.scenarios.forEach((signed, i) => {
    const mine = held[i];
    if (!mine || JSON.stringify(mine) === JSON.stringify(signed)) return;
    const tags = JSON.stringify(mine.requirements) !== JSON.stringify(signed.requirements);
    problems.push(
      `scenario "${signed.name}" (${signed.uri}) is ${describe(mine, tags)} in the store, ${describe(signed, tags)} in the signed statement`,
    );
  });
  return problems;
}

const describe = (s: SignedScenario, tags: boolean) =>
  `${s.status}${s.attempts > 1 ? ` after ${s.attempts} attempts` : ''}${tags ? ` [${s.requirements.join(' ')}]` : ''}`;
