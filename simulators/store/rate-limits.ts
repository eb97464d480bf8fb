/**
 * Each account's count of REST API requests in the current hour: one row per account, bumped by one
 * statement per request (an upsert, atomic in PostgreSQL), so every process sharing the database
 * counts together. A request by session token counts for the session's account, found in the same statement.
 */
import type { Queryable } from './db';
import { hashToken } from './sessions';

export type Counted = { accountId: string } | { token: string };

/**
 * The request's number in its account's hour (a later hour starts again at 1; a request stamped with
 * an hour already past, from a process whose clock is behind, counts in the latest one rather than
 * resetting it); undefined when no account is known.
 */
export async function countRequest(db: Queryable, who: Counted, windowStart: Date): Promise<number | undefined> {
  const account =
    'accountId' in who ? 'SELECT $1::text AS account_id' : `SELECT account_id FROM session WHERE token_hash = $1 AND kind = 'api'`;
  const rows = await db.query<{ count: number }>(
    `INSERT INTO api_rate_count AS c (account_id, window_start, count)
     SELECT account_id, $2, 1 FROM (${account}) a
     ON CONFLICT (account_id) DO UPDATE SET
       count = CASE WHEN EXCLUDED.window_start > c.window_start THEN 1 ELSE c.count + 1 END,
       window_start = GREATEST(c.window_start, EXCLUDED.window_start)
     RETURNING count`,
    ['accountId' in who ? who.accountId : hashToken(who.token), windowStart],
    { prepare: true },
  );
  return rows[0]?.count;
}
