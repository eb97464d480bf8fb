/**
 * The results store as the commands over it use it (`completion`, `issues`, `verify`, `report`): opened,
 * used and closed (withResults), and the answers to its common questions kept until anything in it
 * changes (reporting/answer-cache.ts), whether worked out by a command that asked or left by one that
 * changed the store.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerCache, answersLeft, type AnswerCache } from '../reporting/answer-cache';
import { loadCriteria } from '../reporting/criteria';
import { DEFAULT_RESULTS_DIR, openResults } from '../reporting/results-store';
import { buildTcr, type Tcr } from '../reporting/tcr';
import { listIssues } from '../reporting/testing-issues';
import type { Db } from '../simulators/store/db';
import { loadRequirementCatalogue } from './summary';

/**
 * A use of the results store, closed after. A use not read-only (`verify`, an issue changed, a report
 * issued) may change its files, if only by closing it: it leaves the answers to `completion` and
 * `issues` for the store as it leaves it (answersLeftIn), so that they stay kept answers.
 */
export async function withResults<T>(work: (db: Db) => Promise<T>, { readOnly = false } = {}): Promise<T> {
  const db = await openResults({ databaseUrl: process.env.RESULTS_DATABASE_URL });
  let left: (() => Promise<void>) | undefined;
  try {
    // For a kept answer (resultsCache): it stands for the store after this use only if this use changed nothing.
    if (readOnly) await db.exec('SET default_transaction_read_only = on');
    const result = await work(db);
    if (!readOnly) left = await answersLeftIn(db);
    return result;
  } finally {
    await db.close();
    await left?.();
  }
}

/**
 * `question` as kept answers about the results store are filed (reporting/answer-cache.ts): only for the
 * PGlite store, from the compiled CLI, whose build (dist/BUILT) is part of the question. Run from the
 * sources (which may change at any moment) or on PostgreSQL, nothing is kept: undefined.
 */
function resultsQuestion(question: unknown): string | undefined {
  if (process.env.RESULTS_DATABASE_URL || !__filename.endsWith('.js')) return undefined;
  try {
    return JSON.stringify([readFileSync(join(__dirname, '..', 'BUILT'), 'utf8'), question]);
  } catch {
    return undefined;
  }
}

/** The kept answer to `question` about the results store; the store must then be opened read-only (withResults' readOnly). */
export function resultsCache<T>(question: unknown): AnswerCache<T> | undefined {
  const filed = resultsQuestion(question);
  return filed === undefined ? undefined : answerCache<T>(DEFAULT_RESULTS_DIR, filed);
}

/** What `work` answers from the results store: kept until anything in the store changes. */
export async function resultsAnswer<T>(question: unknown, work: (db: Db) => Promise<T>): Promise<T> {
  const cache = resultsCache<T>(question);
  if (cache?.kept) return cache.kept.answer;
  const answer = await withResults(work, { readOnly: cache !== undefined });
  await cache?.keep(answer);
  return answer;
}

/** A question asked of the store, and the work that answers it. */
interface Question<T> {
  question: unknown;
  work: (db: Db) => Promise<T>;
}

/** `completion`'s question: it names the criteria and the catalogue its answer is worked out with. */
export function completionQuestion(): Question<{ lines: string[]; csv: string }> {
  const [criteria, catalogue] = [loadCriteria(), loadRequirementCatalogue()];
  return {
    question: ['completion', criteria, catalogue],
    work: async (db) => completionReport(await buildTcr(db, {}, criteria, catalogue)),
  };
}

/** `issues`' question (the list): it reads the store only. */
export const issuesQuestion: Question<string[]> = { question: ['issues'], work: issueLines };

async function issueLines(db: Db): Promise<string[]> {
  const issues = await listIssues(db);
  if (!issues.length) return ['No testing issues.'];
  return issues.map(
    (i) =>
      `${i.id}  S${i.severity}  ${i.status.padEnd(8)}  x${i.occurrences}  ${i.title}${i.workaround ? `  (workaround: ${i.workaround})` : ''}`,
  );
}

/**
 * For a command that changed the results store (`run`, `issues resolve`...): the answers to `completion`
 * and `issues`, worked out from the store as it leaves it, so that the next of either answers without
 * opening it. Called before the store is closed; what it answers, at once after. They are a cache: when
 * one cannot be worked out (a criteria file that does not load...), none is left, and the command that
 * next asks works it out, and says what fails, itself.
 */
export async function answersLeftIn(db: Db): Promise<() => Promise<void>> {
  const nothing = async () => undefined;
  try {
    const questions = [completionQuestion(), issuesQuestion].map(({ question, work }) => [resultsQuestion(question), work] as const);
    if (questions.some(([filed]) => filed === undefined)) return nothing;
    const left = answersLeft(DEFAULT_RESULTS_DIR);
    const answers: [string, unknown][] = [];
    for (const [filed, work] of questions) answers.push([filed as string, await work(db)]);
    return () => left.closed(answers);
  } catch {
    return nothing;
  }
}

/** What `completion` says, first which kind of target counted, and its CSV: from the TCR's model of completion. */
export function completionReport(tcr: Tcr): { lines: string[]; csv: string } {
  // Which environments count is DCC's completion service's to say: locally an environment run is unconfirmed.
  const note = tcr.target.environmentRuns ? ` ${tcr.target.note}` : '';
  const lines = [tcr.target.headline, `Only runs against a real environment count; simulator runs are rehearsals.${note}`];
  for (const row of tcr.partyCompletion)
    lines.push(`${row.party}  ${row.test}  ${row.status.toUpperCase()}  ${row.at}  ${row.target}  ${row.runId}`);
  const pending = tcr.goNoGo.filter((g) => g.notPassed.length);
  const rehearsed = (g: (typeof pending)[number]) => (g.rehearsedOnly.length ? `; rehearsed only: ${g.rehearsedOnly.join(', ')}` : '');
  lines.push(
    pending.length
      ? `Not yet passed on an environment: ${pending.map((g) => `${g.party} (${g.notPassed.join(', ')}${rehearsed(g)})`).join('; ')}`
      : tcr.goNoGo.length
        ? 'Every party has passed every mandated test on an environment (unconfirmed: not verified by DCC).'
        : 'No party has run the mandated tests yet.',
  );
  const quote = (v: unknown) => `"${String(v).replace(/"/g, '""')}"`;
  const csv = [
    'party,test,status,passed_on_environment,rehearsed,at,target,target_kind,run',
    ...tcr.partyCompletion.map((r) =>
      [r.party, r.test, r.status, r.passed, r.rehearsed, r.at, r.target, r.targetKind ?? 'not recorded', r.runId].map(quote).join(','),
    ),
  ];
  return { lines, csv: `${csv.join('\n')}\n` };
}
