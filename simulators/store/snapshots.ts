/**
 * Snapshots of PGlite clusters, kept in the system's temporary directory per PGlite version: a new
 * database loads one (about 0.3 s) instead of running initdb and its migrations (about 5 s of CPU).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The installed PGlite's version (its package.json is not exported, so it is found from the entry point). */
function pgliteVersion(): string {
  for (let dir = dirname(require.resolve('@electric-sql/pglite')); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
    if (name === '@electric-sql/pglite' && version) return version;
  }
  return 'unknown';
}

/** Where snapshots of PGlite clusters are kept: the system's temporary directory, per PGlite version. */
const snapshotFile = (name: string) => join(tmpdir(), 'fsm-harness', `pglite-${pgliteVersion()}-${name}.tar`);

/** Snapshots not used for this long are removed when a new one is made (each migration change makes one of 15 MB). */
const SNAPSHOT_UNUSED_MS = 7 * 86_400_000;

/**
 * A snapshot (a tarball of a data directory) made once by `make` and kept; undefined (start the usual
 * way) on any problem with it. Its bytes are an ArrayBuffer of their own, to be moved to a thread.
 */
export async function snapshot(name: string, make: () => Promise<ArrayBuffer>): Promise<ArrayBuffer | undefined> {
  const file = snapshotFile(name);
  try {
    if (existsSync(file)) {
      const now = new Date();
      utimesSync(file, now, now); // used: kept by the clean-up below
      return own(readFileSync(file));
    }
    const dump = Buffer.from(await make());
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, dump);
    renameSync(partial, file);
    removeUnusedSnapshots(dirname(file));
    return own(dump);
  } catch {
    return undefined;
  }
}

/** The bytes as an ArrayBuffer holding nothing else (a Buffer may be a view of a larger one). */
function own(bytes: Buffer): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  return (byteOffset === 0 && byteLength === buffer.byteLength ? buffer : buffer.slice(byteOffset, byteOffset + byteLength)) as ArrayBuffer;
}

export function removeUnusedSnapshots(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!/^pglite-.*\.tar(\..*\.partial)?$/.test(name)) continue;
    const path = join(dir, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > SNAPSHOT_UNUSED_MS) rmSync(path, { force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

/**
 * A snapshot's bytes as PGlite reads them: it asks a tarball only for `arrayBuffer()` and `type`. A
 * real Blob would copy its 15 MB twice more through its stream (0.4-1 s at every start here).
 */
export function tarball(buffer: ArrayBuffer): Blob {
  return { type: '', size: buffer.byteLength, arrayBuffer: () => Promise.resolve(buffer) } as Blob;
}
