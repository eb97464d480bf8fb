/**
 * Testing issues: a scenario that does not pass opens one (or counts again on its existing one, and
 * reopens it if it had been resolved or closed). Severity comes from a @severity-N tag, else the
 * configured default. People resolve, defer or close issues with a reason through the CLI.
 */
import type { Queryable } from '../simulators/store/db';
import type { ScenarioResult } from './results';

export type IssueStatus = 'open' | 'resolved' | 'deferred' | 'closed';

export interface TestingIssue {
  id: string;
  scenarioKey: string;
  title: string;
  severity: number;
  status: IssueStatus;
  workaround: string | null;
  reason: string | null;
  firstRunId: string;
  lastRunId: string;
  occurrences: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, scenario_key AS "scenarioKey", title, severity, status, workaround, reason, first_run_id AS "firstRunId",
  last_run_id AS "lastRunId", occurrences, last_error AS "lastError", created_at AS "createdAt", updated_at AS "updatedAt"`;

export const scenarioKey = (s: Pick<ScenarioResult, 'uri' | 'name'>) => `${s.uri}#${s.name}`;

export function severityOf(tags: readonly string[], fallback: number): number {
  const tagged = tags.map((t) => /^@severity-([1-5])$/.exec(t)?.[1]).find(Boolean);
  return tagged ? Number(tagged) : fallback;
}

export async function recordFailure(db: Queryable, runId: string, s: ScenarioResult, defaultSeverity: number, at: Date): Promise<void> {
  const error = s.error?.slice(0, 2000) ?? null;
  const updated = await db.query(
    `UPDATE testing_issue SET occurrences = occurrences + 1, last_run_id = $2, last_error = $3, updated_at = $4,
       status = CASE WHEN status IN ('resolved', 'closed') THEN 'open' ELSE status END
     WHERE scenario_key = $1 RETURNING id`,
    [scenarioKey(s), runId, error, at],
  );
  if (updated.length) return;
  const [{ n } = { n: 0 }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM testing_issue');
  await db.query(
    `INSERT INTO testing_issue (id, scenario_key, title, severity, status, first_run_id, last_run_id, occurrences, last_error, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'open', $5, $5, 1, $6, $7, $7) ON CONFLICT (scenario_key) DO NOTHING`,
    [
      `TI-${String(n + 1).padStart(4, '0')}`,
      scenarioKey(s),
      `${s.feature}: ${s.name}`.slice(0, 300),
      severityOf(s.tags, defaultSeverity),
      runId,
      error,
      at,
    ],
  );
}

export async function listIssues(db: Queryable): Promise<TestingIssue[]> {
  return db.query<TestingIssue>(`SELECT ${COLUMNS} FROM testing_issue ORDER BY id`);
}

export async function changeIssue(
  db: Queryable,
  id: string,
  change: { status?: IssueStatus; reason?: string; workaround?: string; severity?: number },
  at: Date,
): Promise<TestingIssue | undefined> {
  const rows = await db.query<TestingIssue>(
    `UPDATE testing_issue SET status = coalesce($2, status), reason = coalesce($3, reason), workaround = coalesce($4, workaround),
       severity = coalesce($5, severity), updated_at = $6 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, change.status ?? null, change.reason ?? null, change.workaround ?? null, change.severity ?? null, at],
  );
  return rows[0];
}
