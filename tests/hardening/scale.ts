/**
 * How hard the hardening suites push: a fast slice on every `npm test` (CI), the full counts behind
 * `npm run test:hardening` (HARDENING_FULL=1). Each suite states both counts here, so the note and the
 * README quote one place, and prints what it actually did with `report`.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const FULL = process.env.HARDENING_FULL === '1';

/** The count for this run: `fast` on every CI run, `full` behind `npm run test:hardening`. */
export const scaled = (fast: number, full: number): number => (FULL ? full : fast);

const OUT = 'reports/hardening/counts.jsonl';

/**
 * Prints one suite's counts ("# hardening identity: attacks=112 refused=112") and appends them to
 * reports/hardening/counts.jsonl, so a full run leaves the figures the closing note quotes.
 */
export function report(suite: string, counts: Record<string, number>): void {
  const line = Object.entries(counts)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  console.log(`# hardening ${suite}${FULL ? ' (full)' : ' (fast slice)'}: ${line}`);
  mkdirSync(dirname(OUT), { recursive: true });
  appendFileSync(OUT, `${JSON.stringify({ suite, full: FULL, at: new Date().toISOString(), ...counts })}\n`);
}
