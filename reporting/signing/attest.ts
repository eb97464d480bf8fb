/**
 * Signing a sealed pack, and checking one: the run's statement is built from what the results store
 * holds at sealing, signed with the party's key and written beside the manifest; verify then checks
 * the signature against the keys registered for the party, that the statement names this manifest
 * and the previous statement, and that the store still says what was signed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Queryable } from '../../simulators/store/db';
import { listRuns, scenariosOf } from '../results-store';
import { openEnvelope, signEnvelope } from './dsse';
import type { SigningKey } from './keys';
import { catalogueDigest, disagreements, IN_TOTO_PAYLOAD, runStatement, sha256, type RunStatement } from './statement';
import { parseStatement } from './statement-shape';

export const ATTESTATION = 'attestation.dsse.json';

/** Which public keys may sign for a party: DCC's registry, or locally this installation's own key. */
export type Trust = (party: string) => KeyObject[];

export async function attestRun(
  db: Queryable,
  dir: string,
  runId: string,
  manifest: { sha256: string; files: { path: string; sha256: string }[] },
  previousStatement: string | null,
  signer: SigningKey,
): Promise<{ statementSha256: string; keyId: string }> {
  const [run] = await listRuns(db, { runIds: [runId] });
  if (!run) throw new Error(`run ${runId} is not in the results store`);
  const statement = runStatement({
    run,
    scenarios: await scenariosOf(db, [runId]),
    manifestSha256: manifest.sha256,
    catalogue: catalogueDigest(manifest.files),
    previousStatement,
  });
  const payload = Buffer.from(JSON.stringify(statement));
  writeFileSync(join(dir, ATTESTATION), `${JSON.stringify(signEnvelope(IN_TOTO_PAYLOAD, payload, signer.privateKey), null, 2)}\n`);
  return { statementSha256: sha256(payload), keyId: signer.keyId };
}

export interface SealedEntry {
  run_id: string;
  sha256: string;
  statement_sha256: string | null;
}

/** What is wrong with a sealed run's signed statement, one line each; none when it holds. */
export async function checkAttestation(
  db: Queryable,
  dir: string,
  entry: SealedEntry,
  previousStatement: string | null,
  trust: Trust,
  at: (path: string) => string,
): Promise<string[]> {
  const path = join(dir, ATTESTATION);
  if (!entry.statement_sha256)
    return [`run ${entry.run_id} is not signed: its pack was sealed without a signed statement, so nothing binds its results.`];
  if (!existsSync(path)) return [`${at(ATTESTATION)} is missing: run ${entry.run_id}'s signed statement was removed.`];
  const [run] = await listRuns(db, { runIds: [entry.run_id] });
  if (!run) return [`run ${entry.run_id} was removed from the results store.`];
  let envelope: unknown;
  try {
    envelope = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return [`${at(ATTESTATION)} is not JSON: the signed statement was altered.`];
  }
  const opened = openStatement(envelope, trust(run.party));
  if (!opened.ok) return [`${at(ATTESTATION)} is refused: ${opened.problem} (party "${run.party}").`];
  const { statement } = opened;
  const problems: string[] = [];
  if (opened.sha256 !== entry.statement_sha256)
    problems.push(`the results store records a different statement for run ${entry.run_id}: the store or the pack was replaced.`);
  problems.push(...bindingProblems(statement, { runId: entry.run_id, manifestSha256: entry.sha256, previousStatement, at }));
  for (const problem of disagreements(statement, run, await scenariosOf(db, [entry.run_id])))
    problems.push(`the results store was edited for run ${entry.run_id}: ${problem}.`);
  return problems;
}

export type OpenedStatement = { ok: true; statement: RunStatement; sha256: string; keyid: string } | { ok: false; problem: string };

/** A run's signed statement, opened with `keys` (those registered for its party): verified, and of the shape a statement has. */
export function openStatement(envelope: unknown, keys: KeyObject[], read?: UnverifiedStatement): OpenedStatement {
  const opened = openEnvelope(envelope, IN_TOTO_PAYLOAD, keys);
  if (!opened.ok) return opened;
  // The signature covers the very payload `read` was parsed from: parsing it again would find the same.
  const statement = read && read.envelope === envelope ? read.statement : parseStatement(opened.payload);
  if (!statement) return { ok: false, problem: 'its signed payload is not an fsm-harness run statement' };
  return { ok: true, statement, sha256: sha256(opened.payload), keyid: opened.keyid };
}

/** A statement read from an envelope before its signature is checked: only to choose whose keys to check it with. */
export interface UnverifiedStatement {
  envelope: unknown;
  statement: RunStatement | undefined;
}

export function readUnverified(envelope: unknown): UnverifiedStatement {
  const payload = (envelope as { payload?: unknown } | null)?.payload;
  return { envelope, statement: typeof payload === 'string' ? parseStatement(Buffer.from(payload, 'base64')) : undefined };
}

/**
 * The one rule binding a signed statement to a pack: it signs this run's manifest (a re-hashed or
 * swapped pack has another), and, where the statement before it is known, names that one.
 */
export function bindingProblems(
  statement: RunStatement,
  pack: { runId: string; manifestSha256: string; previousStatement?: string | null; at: (path: string) => string },
): string[] {
  const problems: string[] = [];
  if (statement.subject[0]?.digest.sha256 !== pack.manifestSha256 || statement.subject[0]?.name !== `${pack.runId}/manifest.json`)
    problems.push(
      `${pack.at('manifest.json')} is not the manifest signed for run ${pack.runId}: the pack was re-hashed or swapped after signing.`,
    );
  if (pack.previousStatement !== undefined && statement.predicate.fsm.previousStatement !== pack.previousStatement)
    problems.push(
      `the signed chain is broken before run ${pack.runId}: its statement names a previous statement that is not the one before it.`,
    );
  return problems;
}
