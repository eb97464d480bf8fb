/**
 * Evidence packs: each run's artefacts copied into .fsm-evidence/<run>/ and listed in a manifest
 * with their SHA-256; each manifest names the previous one's hash, and the results store keeps every
 * manifest's hash, so `verify` can say exactly which file was altered, added or removed, and whether
 * the chain of runs is whole. Hashes alone can be recomputed by whoever edits a pack, so each pack is
 * also signed (signing/attest.ts): a statement of the run's results, bound to its manifest and to the
 * previous statement, under the party's key.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Queryable } from '../simulators/store/db';
import { fileProblems, MANIFEST, sha256, UNLISTED, type Manifest } from './pack-check';
import { attestRun, checkAttestation, type Trust } from './signing/attest';
import type { SigningKey } from './signing/keys';

export { MANIFEST, type Manifest } from './pack-check';

/**
 * Where packs are kept: data to keep beside the results store, never under reports/ (outputs only,
 * which people clear with `rm -rf reports`).
 */
export const DEFAULT_EVIDENCE_DIR = '.fsm-evidence';

/** The folder of the evidence root that holds issued Test Completion Reports (reporting/tcr-issue.ts), not a run's pack. */
export const ISSUED_DIR = 'issued';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile())
    .map((p) => relative(dir, p).split(sep).join('/'))
    .sort();
}

/** Copies `sources` (files or folders) into the run's pack, writes the manifest, signs the run's statement and records both hashes. */
export async function buildEvidencePack(
  db: Queryable,
  root: string,
  runId: string,
  sources: { from: string; to: string }[],
  signer: SigningKey,
  now = new Date(),
): Promise<{ dir: string; sha256: string; files: number; keyId: string }> {
  const dir = join(root, runId);
  mkdirSync(dir, { recursive: true });
  for (const { from, to } of sources) if (existsSync(from)) cpSync(from, join(dir, to), { recursive: true });
  const [last] = await db.query<{ sha256: string; statement_sha256: string | null }>(
    'SELECT sha256, statement_sha256 FROM evidence_manifest ORDER BY seq DESC LIMIT 1',
  );
  const manifest: Manifest = {
    schema: 'fsm-harness/evidence-manifest@1',
    runId,
    createdAt: now.toISOString(),
    previous: last?.sha256 ?? null,
    files: filesUnder(dir)
      .filter((p) => !UNLISTED.has(p))
      .map((path) => {
        const bytes = readFileSync(join(dir, path));
        return { path, sha256: sha256(bytes), bytes: bytes.length };
      }),
  };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(join(dir, MANIFEST), text);
  const hash = sha256(text);
  const signed = await attestRun(db, dir, runId, { sha256: hash, files: manifest.files }, last?.statement_sha256 ?? null, signer);
  await db.query(
    'INSERT INTO evidence_manifest (run_id, sha256, previous, created_at, statement_sha256, key_id) VALUES ($1, $2, $3, $4, $5, $6)',
    [runId, hash, manifest.previous, now, signed.statementSha256, signed.keyId],
  );
  return { dir, sha256: hash, files: manifest.files.length, keyId: signed.keyId };
}

export interface Verification {
  ok: boolean;
  runs: number;
  files: number;
  problems: string[];
}

/**
 * Checks every recorded pack (or only `runId`'s): its files against its manifest, its signed statement
 * against the keys `trust` gives for its party, the chains of manifests and statements, and that the
 * results store still says what each statement signed.
 */
export async function verifyEvidence(db: Queryable, root: string, trust: Trust, runId?: string): Promise<Verification> {
  const recorded = await db.query<{ run_id: string; sha256: string; previous: string | null; statement_sha256: string | null }>(
    'SELECT run_id, sha256, previous, statement_sha256 FROM evidence_manifest ORDER BY seq',
  );
  const problems: string[] = [];
  let files = 0;
  if (runId && !recorded.some((r) => r.run_id === runId)) problems.push(`No evidence pack is recorded for run ${runId}.`);
  for (const [index, entry] of recorded.entries()) {
    const before = index === 0 ? undefined : recorded[index - 1];
    if (entry.previous !== (before?.sha256 ?? null))
      problems.push(`The chain is broken before run ${entry.run_id}: it names a previous manifest that is not the one recorded.`);
    if (runId && entry.run_id !== runId) continue;
    const dir = join(root, entry.run_id);
    const result = verifyPack(dir, entry);
    files += result.files;
    problems.push(...result.problems);
    const at = (path: string) => `${dir.split(sep).join('/')}/${path}`;
    problems.push(...(await checkAttestation(db, dir, entry, before?.statement_sha256 ?? null, trust, at)));
  }
  if (!runId) problems.push(...unsealedPacks(root, new Set(recorded.map((r) => r.run_id))));
  return { ok: problems.length === 0, runs: runId ? 1 : recorded.length, files, problems };
}

/**
 * Pack folders the results store holds no hash for. A pack is written, then its hash recorded: a
 * run killed in between leaves a folder (its manifest torn or whole) that was never sealed, and
 * a folder added by hand looks the same. Either way it is not evidence, and verify says so.
 */
function unsealedPacks(root: string, recorded: Set<string>): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== ISSUED_DIR && !recorded.has(entry.name))
    .map(
      (entry) =>
        `${join(root, entry.name).split(sep).join('/')} was never sealed: the results store holds no hash for it (${manifestState(join(root, entry.name))}). Its run was interrupted while sealing, or it was added afterwards; it is not evidence.`,
    );
}

function manifestState(dir: string): string {
  if (!existsSync(join(dir, MANIFEST))) return `it has no ${MANIFEST}`;
  try {
    JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    return `its ${MANIFEST} is whole but unrecorded`;
  } catch {
    return `its ${MANIFEST} is torn`;
  }
}

function verifyPack(
  dir: string,
  entry: { run_id: string; sha256: string; previous: string | null },
): { files: number; problems: string[] } {
  const at = (path: string) => `${dir.split(sep).join('/')}/${path}`;
  if (!existsSync(join(dir, MANIFEST)))
    return { files: 0, problems: [`${at(MANIFEST)} is missing: the pack of run ${entry.run_id} was removed or moved.`] };
  const text = readFileSync(join(dir, MANIFEST), 'utf8');
  if (sha256(text) !== entry.sha256)
    return { files: 0, problems: [`${at(MANIFEST)} was altered: its hash is not the one recorded for run ${entry.run_id}.`] };
  const manifest = JSON.parse(text) as Manifest;
  const files = {
    paths: filesUnder(dir),
    read: (path: string) => (existsSync(join(dir, path)) ? readFileSync(join(dir, path)) : undefined),
  };
  return { files: manifest.files.length, problems: fileProblems(manifest, files, at) };
}
