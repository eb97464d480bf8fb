/**
 * A draft TCR already written, kept as a kept answer about the results store (answer-cache.ts): what
 * `report` printed and the SHA-256 of each file it wrote. Asked the same question again (same scope,
 * folder, options, evidence folder's issued ids, criteria, catalogue and day) while the store is
 * unchanged, `report` says the files are current instead of rendering them again (the PDF alone is
 * about 2 s of Chromium), but only when every file still hashes as written: a file edited, replaced
 * or removed since is rendered again, never presented as current.
 */
import { readFileSync } from 'node:fs';
import { sha256 } from './pack-check';

export interface KeptReport {
  /** What `report` said about the report, the list of files written aside. */
  text: string;
  /** Each file written, with the SHA-256 of its contents as written. */
  files: [string, string][];
}

const hashOf = (path: string) => sha256(readFileSync(path));

/** The report as just written: `text` and the hash of every file in `paths`. */
export function keptReport(text: string, paths: string[]): KeptReport {
  return { text, files: paths.map((path) => [path, hashOf(path)]) };
}

/** Whether every file of `kept` is still there with the contents it was written with. */
export function intact(kept: KeptReport): boolean {
  try {
    return kept.files.length > 0 && kept.files.every(([path, hash]) => hashOf(path) === hash);
  } catch {
    return false; // a file removed or unreadable: rendered again
  }
}
