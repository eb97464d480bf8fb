/**
 * One statement per request: who is asking, as the CTE `who` (a session token's session, account and
 * party, touched as the request's last; or a party already known), and the request's own query beside
 * it. An authenticated read, list or create is then one round trip, prepared on PostgreSQL.
 */
import type { Queryable } from './db';
import { readTouched, touchSessionSql, type SessionTouch, type SessionWithAccount } from './sessions';

/** Who a statement runs as: a session not yet read, or a caller already known (`who.party_id`...). */
export type Who = { session: SessionTouch } | { partyId: string; accountId?: string; username?: string; roles?: readonly string[] };

/** SQL written against `who` (its party is `who.party_id`), its values bound through `bind`. */
export interface WhoStatement {
  /** Data-modifying CTEs after `who` (`name AS (INSERT ... FROM who WHERE ... RETURNING ...)`). */
  with?: string;
  /** The rows answered: a query that may use `who` and the CTEs of `with`. */
  rows: string;
  /** A scalar subquery answered once whatever the rows (a list's total), written against `who` as `rows` is. */
  total?: string;
}

export interface WhoResult {
  /** The session as read, when `who` was one; undefined when no such session exists. */
  session?: SessionWithAccount;
  rows: Record<string, unknown>[];
  total: number;
}

/**
 * The condition under which a statement may change data for a session: live (active account, not idle)
 * and holding one of `roles`. The caller checks the same again on the session returned, to answer why not.
 */
export function whoMay(roles: readonly string[], bind: (value: unknown) => string): string {
  return `who.status = 'active' AND who.live AND who.roles && ${bind(roles)}::text[]`;
}

export async function queryAs(db: Queryable, who: Who, build: (bind: (value: unknown) => string) => WhoStatement): Promise<WhoResult> {
  return 'session' in who
    ? readTouched(
        who.session,
        (wait) => runAs(db, who, build, wait),
        (result) => result.session,
      )
    : runAs(db, who, build, false);
}

async function runAs(
  db: Queryable,
  who: Who,
  build: (bind: (value: unknown) => string) => WhoStatement,
  wait: boolean,
): Promise<WhoResult> {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const session = 'session' in who;
  // A data-modifying statement may only stand in WITH: the touch is CTEs of its own, ending in `touched`.
  const cte = session
    ? `${touchSessionSql(who.session, bind, wait)},
       who AS (SELECT t.*, t.last_seen_at >= ${bind(who.session.activeSince)}::timestamptz AS live FROM touched t)`
    : // NOT MATERIALIZED: read twice (the rows, a list's total), it would be; inlined, the party is a known value when planning.
      `who AS NOT MATERIALIZED (SELECT ${bind(who.partyId)}::text AS party_id, ${bind(who.accountId ?? null)}::text AS account_id,
       ${bind(who.username ?? null)}::text AS username, ${bind(who.roles ?? [])}::text[] AS roles, 'active' AS status, true AS live)`;
  const statement = build(bind);
  // The total reads `who` in a subquery of its own: uncorrelated with the outer row, PostgreSQL counts
  // once (an InitPlan). Written beside q.*, it was counted again for every row of the page.
  const total = statement.total ? `(SELECT (${statement.total}) FROM who) AS "@total", ` : '';
  const sql = `WITH ${cte}${statement.with ? `, ${statement.with}` : ''}
    SELECT ${session ? 'row_to_json(who) AS "@who", ' : ''}${total}q.*
    FROM who LEFT JOIN LATERAL (SELECT 1 AS "@found", r.* FROM (${statement.rows}) r) q ON true`;
  const rows = await db.query<Record<string, unknown>>(sql, params, { prepare: true });
  const first = rows[0];
  return {
    session: session && first ? sessionOf(first['@who']) : undefined,
    rows: rows.filter((row) => row['@found'] === 1).map(withoutMarks),
    total: Number(first?.['@total'] ?? 0),
  };
}

const MARKS = new Set(['@who', '@total', '@found']);

/** The record without the statement's marks. A loop, not `{ ...rest }`: a rest copy of 30 columns took 6-11 us a row, this 1.5. */
function withoutMarks(row: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const key of Object.keys(row)) {
    if (MARKS.has(key)) continue;
    // A column named __proto__ stays a field (an assignment would set the prototype).
    if (key === '__proto__') Object.defineProperty(record, key, { value: row[key], enumerable: true, writable: true, configurable: true });
    else record[key] = row[key];
  }
  return record;
}

/** row_to_json answers date-times as text. */
function sessionOf(json: unknown): SessionWithAccount {
  const row = json as SessionWithAccount & { last_seen_at: string };
  return { ...row, last_seen_at: new Date(row.last_seen_at) };
}
