/** Result sets for the report tests: scenario results, and runs recorded through the RunRecorder as `fsm-harness run` records them. */
import { generateKeyPairSync } from 'node:crypto';
import { loadCriteria } from '../../reporting/criteria';
import { RunRecorder } from '../../reporting/recorder';
import type { ScenarioResult, ScenarioStatus } from '../../reporting/results';
import { startRun } from '../../reporting/results-store';
import type { Trust } from '../../reporting/signing/attest';
import { keyIdOf, type SigningKey } from '../../reporting/signing/keys';
import type { TargetKind } from '../../reporting/target-kind';
import type { Db } from '../../simulators/store/db';

const criteria = loadCriteria();
export const MANDATED = ['UEPT-FSM-01', 'UEPT-FSM-02', 'UEPT-FSM-03', 'UEPT-FSM-04', 'UEPT-FSM-05'];

export function scenario(
  name: string,
  requirements: string[],
  status: ScenarioStatus = 'passed',
  extra: Partial<ScenarioResult> = {},
): ScenarioResult {
  return {
    name,
    feature: 'Fixture feature',
    uri: `features/uept/${name.replace(/\W+/g, '-')}.feature`,
    tags: requirements.map((r) => `@${r}`),
    requirements,
    status,
    firstStatus: status,
    attempts: 1,
    durationMs: 10,
    ...extra,
  };
}

export interface RunFixture {
  finish?: boolean;
  /** The kind of target (default: a real environment); null records the run as one from before runs said their kind. */
  kind?: TargetKind | null;
}

let clock = Date.parse('2026-12-01T09:00:00Z');
export async function recordRun(db: Db, party: string, results: ScenarioResult[], options: RunFixture = {}): Promise<string> {
  clock += 60_000;
  const id = `run-${clock}`;
  const kind = options.kind === undefined ? 'environment' : options.kind;
  await startRun(db, {
    id,
    party,
    target: kind === 'environment' ? 'UIT environment 1' : 'simulator',
    suite: 'uept',
    tags: null,
    mode: 'api',
    seed: 1,
    harnessVersion: '0.1.0',
    nodeVersion: 'v20',
    startedAt: new Date(clock),
    ...(kind
      ? {
          targetKind: kind,
          environmentName: kind === 'environment' ? 'UIT environment 1' : 'simulator',
          environmentUrl: 'https://uit.example',
        }
      : {}),
  });
  const recorder = new RunRecorder(db, id, criteria.defaultSeverity);
  if (options.finish === false) {
    for (const r of results) recorder.add(r);
    await recorder.finish([], new Date(clock)).catch(() => undefined);
    await db.query('UPDATE test_run SET finished_at = NULL WHERE id = $1', [id]);
    return id;
  }
  for (const r of results.filter((x) => x.status !== 'unknown')) recorder.add(r);
  await recorder.finish(results, new Date(clock + 30_000));
  return id;
}

/** A signing key made for a test (never written to disk), and the trust that accepts only it. */
export function testSigner(): { signer: SigningKey; trust: Trust } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { signer: { privateKey, publicKey, keyId: keyIdOf(publicKey), dir: '' }, trust: () => [publicKey] };
}
