/**
 * The results store: runs and scenario results, append-only, in their own database (PGlite in
 * .fsm-results/ by default, or the `fsm_results` schema of RESULTS_DATABASE_URL), so completion
 * accumulates across a UIT window. A run is recorded when it starts and each scenario as it ends,
 * so a crash leaves what was done, and the run shows as incomplete.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db, Queryable } from '../simulators/store/db';
import { openMigrated } from '../simulators/store/migrate';
import type { ScenarioResult, ScenarioStatus } from './results';
import type { TargetKind } from './target-kind';

export interface RunRecord {
  id: string;
  party: string;
  target: string;
  suite: string;
  tags: string | null;
  mode: string;
  seed: number;
  harnessVersion: string;
  nodeVersion: string;
  startedAt: Date;
  finishedAt: Date | null;
  /** Null for a run recorded before runs said their kind: a rehearsal (reporting/target-kind.ts). */
  targetKind: TargetKind | null;
  environmentName: string | null;
  environmentUrl: string | null;
  environmentTenant: string | null;
  /** SHA-256 of the TLS certificate the platform presented at the start of the run; null over http. */
  tlsFingerprint: string | null;
  /** Why the run never reached its target; null for a run that started. */
  notStarted: string | null;
}

/** A run as it starts; one that does not say what it is against is recorded as an old run would be: a rehearsal. */
type Identity = 'targetKind' | 'environmentName' | 'environmentUrl' | 'environmentTenant' | 'tlsFingerprint';
export type NewRun = Omit<RunRecord, 'finishedAt' | 'notStarted' | Identity> & Partial<Pick<RunRecord, Identity>>;

export interface StoredScenario extends ScenarioResult {
  runId: string;
  recordedAt: Date;
}

export interface ResultsLocation {
  databaseUrl?: string;
  dataDir?: string;
  /** An in-memory store, for tests and benchmarks. */
  memory?: boolean;
}

export const DEFAULT_RESULTS_DIR = '.fsm-results';

export async function openResults(location: ResultsLocation = {}): Promise<Db> {
  const dataDir = location.databaseUrl || location.memory ? undefined : (location.dataDir ?? DEFAULT_RESULTS_DIR);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  return openMigrated(
    { databaseUrl: location.databaseUrl, dataDir, schema: location.databaseUrl ? 'fsm_results' : undefined },
    join(__dirname, 'migrations'),
  );
}

const RUN_COLUMNS = `id, party, target, suite, tags, mode, seed::float8 AS seed, harness_version AS "harnessVersion", node_version AS "nodeVersion",
  started_at AS "startedAt", finished_at AS "finishedAt", target_kind AS "targetKind", environment_name AS "environmentName",
  environment_url AS "environmentUrl", environment_tenant AS "environmentTenant", tls_fingerprint AS "tlsFingerprint", not_started AS "notStarted"`;

export async function startRun(db: Queryable, run: NewRun): Promise<void> {
  await db.query(
    `INSERT INTO test_run (id, party, target, suite, tags, mode, seed, harness_version, node_version, started_at, target_kind, environment_name, environment_url,
       environment_tenant, tls_fingerprint)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      run.id,
      run.party,
      run.target,
      run.suite,
      run.tags,
      run.mode,
      run.seed,
      run.harnessVersion,
      run.nodeVersion,
      run.startedAt,
      run.targetKind ?? null,
      run.environmentName ?? null,
      run.environmentUrl ?? null,
      run.environmentTenant ?? null,
      run.tlsFingerprint ?? null,
    ],
  );
}

/** Records that the run never reached its target, and why: it ran nothing, and ends now. */
export async function markNotStarted(db: Queryable, runId: string, reason: string, at: Date): Promise<void> {
  await db.query('UPDATE test_run SET not_started = $2, finished_at = COALESCE(finished_at, $3) WHERE id = $1', [runId, reason, at]);
}

/** The latest run that reached its target: the one a report is made from by default. */
export async function latestStartedRun(db: Queryable): Promise<RunRecord | undefined> {
  return (await listRuns(db)).filter((r) => r.notStarted === null).at(-1);
}

export async function finishRun(db: Queryable, runId: string, at: Date): Promise<void> {
  await db.query('UPDATE test_run SET finished_at = $2 WHERE id = $1 AND finished_at IS NULL', [runId, at]);
}

export async function recordScenario(db: Queryable, runId: string, s: ScenarioResult, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO scenario_result (run_id, uri, feature, name, tags, requirements, status, attempts, first_status, duration_ms, error, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [runId, s.uri, s.feature, s.name, s.tags, s.requirements, s.status, s.attempts, s.firstStatus, s.durationMs, s.error ?? null, at],
  );
}

export async function listRuns(db: Queryable, filter: { party?: string; runIds?: string[] } = {}): Promise<RunRecord[]> {
  const rows = await db.query<RunRecord>(
    `SELECT ${RUN_COLUMNS} FROM test_run
     WHERE ($1::text IS NULL OR party = $1) AND ($2::text[] IS NULL OR id = ANY($2))
     ORDER BY started_at, id`,
    [filter.party ?? null, filter.runIds ?? null],
  );
  return rows.map((r) => ({ ...r, seed: Number(r.seed) }));
}

export async function scenariosOf(db: Queryable, runIds: string[]): Promise<StoredScenario[]> {
  const rows = await db.query<StoredScenario & { status: ScenarioStatus }>(
    `SELECT run_id AS "runId", uri, feature, name, tags, requirements, status, first_status AS "firstStatus", attempts,
       duration_ms AS "durationMs", error, recorded_at AS "recordedAt"
     FROM scenario_result WHERE run_id = ANY($1) ORDER BY id`,
    [runIds],
  );
  return rows.map(({ error, ...r }) => ({ ...r, ...(error ? { error } : {}) }));
}
