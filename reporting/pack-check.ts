/**
 * The one rule of a pack's files against its manifest, whether the pack is on disk (`verify`) or
 * arrived over HTTP (the completion service): every listed file present with its listed SHA-256, and
 * nothing else but the manifest and the signed statement.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ATTESTATION } from './signing/attest';

export const MANIFEST = 'manifest.json';

export interface Manifest {
  schema: 'fsm-harness/evidence-manifest@1';
  runId: string;
  createdAt: string;
  /** SHA-256 of the previous run's manifest.json, or null for the first run. */
  previous: string | null;
  files: { path: string; sha256: string; bytes: number }[];
}

/** A manifest as it must be: what a service receives is checked against it before anything is read from it. */
/** Text PostgreSQL can hold: a NUL character is refused by the store, so by the shape first. */
const noNul = (v: string) => !v.includes('\u0000');

export const manifestShape = z.object({
  schema: z.literal('fsm-harness/evidence-manifest@1'),
  runId: z.string().min(1).max(200).refine(noNul, 'contains a NUL character'),
  createdAt: z.string().max(40),
  previous: z.string().max(64).nullable(),
  files: z
    .array(
      z.object({
        path: z.string().min(1).max(500).refine(noNul, 'contains a NUL character'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        bytes: z.number().int().min(0),
      }),
    )
    .max(5000),
});

/** Files of a pack that are not listed in its manifest: the manifest itself, and the statement signing it. */
export const UNLISTED = new Set([MANIFEST, ATTESTATION]);

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** A pack's files, wherever they are: the paths present, and a file's bytes (undefined when absent). */
export interface PackFiles {
  paths: string[];
  read(path: string): Buffer | undefined;
}

/** Each file removed, altered or added after sealing, one line each; `at` names a file as the reader knows it. */
export function fileProblems(manifest: Manifest, files: PackFiles, at: (path: string) => string): string[] {
  const problems: string[] = [];
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const file of manifest.files) {
    const bytes = files.read(file.path);
    if (bytes === undefined) problems.push(`${at(file.path)} was removed.`);
    else if (sha256(bytes) !== file.sha256) problems.push(`${at(file.path)} was altered.`);
  }
  for (const path of files.paths)
    if (!UNLISTED.has(path) && !listed.has(path)) problems.push(`${at(path)} was added after the pack was sealed.`);
  return problems;
}
