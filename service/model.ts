/**
 * The dashboard's model, from the service's store and DCC's configuration, through the same model of
 * completion the reports use (reporting/completion.ts): only the rule differs. Here a run counts when
 * its environment URL is one DCC recognises, whatever kind of target the run says it was against.
 */
import { join } from 'node:path';
import { loadRequirementCatalogue } from '../cli/summary';
import { loadCriteria } from '../reporting/criteria';
import { completionOf, completionTrend, goNoGoOf, type CompletionRow, type CompletionRule, type GoNoGo } from '../reporting/completion';
import type { RunRecord, StoredScenario } from '../reporting/results-store';
import type { TargetKind } from '../reporting/target-kind';
import type { Queryable } from '../simulators/store/db';
import { normaliseUrl, type ServiceConfig } from './config';

/** The mandated tests, from the requirement catalogue and exit criteria of the working directory, as every command reads them. */
export function mandatedTests(root = '.'): string[] {
  const { mandatedPrefix } = loadCriteria(join(root, 'config', 'exit-criteria.json'));
  return Object.keys(loadRequirementCatalogue(join(root, 'config', 'requirements.json'))).filter((id) => id.startsWith(mandatedPrefix));
}

export interface ServiceRun extends RunRecord {
  /** The run's own id; `id` is unique across parties ([party, run] as JSON). */
  runId: string;
  /** The recognised environment's name, or null: a rehearsal. */
  recognised: string | null;
  receivedAt: Date;
}

export type Cell = 'Passed' | 'Failed on environment' | 'Rehearsed only' | 'Rehearsal failed' | 'Not attempted';

export interface Dashboard {
  parties: string[];
  runs: ServiceRun[];
  rows: CompletionRow[];
  cells: { party: string; test: string; cell: Cell; row: CompletionRow | undefined }[];
  goNoGo: GoNoGo[];
  trend: { day: string; partiesComplete: number; testsPassed: number }[];
}

export function serviceRule(config: ServiceConfig): CompletionRule {
  return {
    counts: (run) =>
      recognisedName(config, { url: run.environmentUrl, tenant: run.environmentTenant, tlsFingerprint: run.tlsFingerprint }) !== null,
    passed: 'passed on a recognised environment',
  };
}

export interface EnvironmentIdentity {
  url: string | null;
  tenant: string | null;
  tlsFingerprint: string | null;
}

const fingerprint = (value: string) => value.replace(/:/g, '').toLowerCase();

/**
 * Whether DCC recognises the environment a run was against: its base URL is one DCC lists and, where DCC
 * names the environment's tenant or TLS certificate, the run recorded the same. The name of the
 * environment when it does; otherwise why not, naming the part of the identity that does not match.
 */
export function recognition(config: ServiceConfig, run: EnvironmentIdentity): { name: string } | { why: string } {
  const environment = run.url ? config.recognised.get(normaliseUrl(run.url)) : undefined;
  if (!environment) return { why: `${run.url ?? 'no URL'} is not an environment DCC recognises` };
  if (environment.tenant !== undefined && environment.tenant !== run.tenant)
    return { why: `${environment.name} is recognised for tenant ${environment.tenant}, and the run recorded ${run.tenant ?? 'no tenant'}` };
  if (
    environment.tlsSha256 !== undefined &&
    (!run.tlsFingerprint || fingerprint(environment.tlsSha256) !== fingerprint(run.tlsFingerprint))
  )
    return { why: `the run did not meet ${environment.name}'s TLS certificate (it recorded ${run.tlsFingerprint ?? 'none'})` };
  return { name: environment.name };
}

/** The recognised environment a run was against, or null: a rehearsal. */
export function recognisedName(config: ServiceConfig, run: EnvironmentIdentity): string | null {
  const found = recognition(config, run);
  return 'name' in found ? found.name : null;
}

export const runKey = (party: string, runId: string) => JSON.stringify([party, runId]);

interface RunRow {
  party: string;
  runId: string;
  environmentUrl: string;
  environmentName: string | null;
  environmentTenant: string | null;
  tlsFingerprint: string | null;
  targetKind: string | null;
  suite: string;
  tags: string | null;
  mode: string;
  startedAt: Date;
  finishedAt: Date | null;
  receivedAt: Date;
}

export async function loadRuns(db: Queryable, config: ServiceConfig): Promise<ServiceRun[]> {
  const rows = await db.query<RunRow>(
    `SELECT party, run_id AS "runId", environment_url AS "environmentUrl", environment_name AS "environmentName", target_kind AS "targetKind",
       environment_tenant AS "environmentTenant", tls_fingerprint AS "tlsFingerprint",
       suite, tags, mode, started_at AS "startedAt", finished_at AS "finishedAt", received_at AS "receivedAt"
     FROM submitted_run ORDER BY started_at, party, run_id`,
  );
  return rows.map((r) => ({
    ...r,
    id: runKey(r.party, r.runId),
    target: r.environmentName ?? r.environmentUrl,
    targetKind: r.targetKind as TargetKind | null,
    environmentUrl: r.environmentUrl || null,
    seed: 0,
    harnessVersion: '',
    nodeVersion: '',
    notStarted: null,
    recognised: recognisedName(config, { url: r.environmentUrl || null, tenant: r.environmentTenant, tlsFingerprint: r.tlsFingerprint }),
  }));
}

export async function loadResults(db: Queryable, filter?: { party: string; runId: string }): Promise<StoredScenario[]> {
  const rows = await db.query<{
    party: string;
    runId: string;
    uri: string;
    name: string;
    requirements: string[];
    status: string;
    firstStatus: string;
    attempts: number;
  }>(
    `SELECT r.party, r.run_id AS "runId", uri, name, requirements, status, first_status AS "firstStatus", attempt AS attempts
     FROM submitted_result r JOIN submitted_run u ON u.party = r.party AND u.run_id = r.run_id
     WHERE ($1::text IS NULL OR (r.party = $1 AND r.run_id = $2))
     ORDER BY u.started_at, r.party, r.run_id, r.scenario_no`,
    [filter?.party ?? null, filter?.runId ?? null],
  );
  return rows.map((r) => ({
    runId: runKey(r.party, r.runId),
    uri: r.uri,
    feature: r.uri,
    name: r.name,
    tags: [],
    requirements: r.requirements,
    status: r.status as StoredScenario['status'],
    firstStatus: r.firstStatus as StoredScenario['firstStatus'],
    attempts: r.attempts,
    durationMs: 0,
    recordedAt: new Date(0),
  }));
}

const cellOf = (row: CompletionRow | undefined): Cell =>
  !row
    ? 'Not attempted'
    : row.passed
      ? 'Passed'
      : row.status === 'failed on environment'
        ? 'Failed on environment'
        : row.status === 'rehearsed, not complete'
          ? 'Rehearsed only'
          : 'Rehearsal failed';

export async function dashboard(db: Queryable, config: ServiceConfig, mandated: string[]): Promise<Dashboard> {
  const [runs, results] = await Promise.all([loadRuns(db, config), loadResults(db)]);
  const rule = serviceRule(config);
  const parties = [...new Set([...config.registry.parties(), ...runs.map((r) => r.party)])].sort();
  const rows = completionOf(runs, results, mandated, rule);
  const byKey = new Map(rows.map((r) => [`${r.party}\n${r.test}`, r]));
  const cells = parties.flatMap((party) =>
    mandated.map((test) => {
      const row = byKey.get(`${party}\n${test}`);
      return { party, test, cell: cellOf(row), row };
    }),
  );
  const volume = (party: string) => config.expectedIncidents.get(party) ?? null;
  return { parties, runs, rows, cells, goNoGo: goNoGoOf(parties, rows, mandated, volume), trend: trendOf(runs, results, rule, mandated) };
}

const dayOf = (run: RunRecord) => (run.finishedAt ?? run.startedAt).toISOString().slice(0, 10);

/** Completion at the end of each day a run finished (the days between change nothing): at most the last 90 such days. */
function trendOf(runs: RunRecord[], results: StoredScenario[], rule: CompletionRule, mandated: string[]) {
  return completionTrend(runs, results, mandated, rule, dayOf).slice(-90);
}
