/** Record identifiers in ServiceNow's shapes: 32-hex sys_ids and prefixed numbers (INC0010001). */
import { randomBytes, randomUUID } from 'node:crypto';

export const SYS_ID = /^[0-9a-f]{32}$/;

export function newSysId(): string {
  return randomUUID().replace(/-/g, '');
}

const NUMBER_DIGITS = 7;

export function formatNumber(prefix: string, sequence: number): string {
  return `${prefix}${String(sequence).padStart(NUMBER_DIGITS, '0')}`;
}

/**
 * formatNumber in SQL, for a number taken from a sequence in the statement that inserts the record.
 * The sequence expression is evaluated once (a scalar subquery): written twice, nextval() ran twice
 * and numbers went up by two.
 */
export function formatNumberSql(prefix: 'INC', sequence: string): string {
  return `(SELECT '${prefix}' || repeat('0', ${NUMBER_DIGITS} - length(n)) || n FROM (SELECT (${sequence})::text AS n) AS taken)`;
}

/** An unguessable token (256 bits) for sessions and logins in progress. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
