/**
 * Answers worked out from a PGlite results store, kept until anything in the store changes: a command
 * asked again about an unchanged store (`completion`, `report`'s choice of run) answers without starting
 * PostgreSQL in WebAssembly (0.6-1 s of CPU). Valid only for the very files it was worked out from.
 *
 * An answer is kept with the stamp of every file and folder of the store (inode, size, modification and
 * change times in nanoseconds) taken after the store was closed, and given again only while every stamp
 * and the list of names are the same. Any write changes a file's change time (ctime), which no tool can
 * set back (touch restores only the modification time); a file replaced changes its inode. Two guards
 * close the gaps a clock's resolution leaves: an answer is not kept when any file of the store changed
 * after the close (another process opened it: PGlite holds postmaster.pid while open, and its start
 * alone outlasts a clock tick), and the stamps are taken at least TICK_MS after the close, so that a
 * later write cannot share a tick, hence a change time, with the writes the answer saw. (Two processes
 * never have one PGlite store open at once: PGlite does not share a data directory between processes.)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** Longer than any file system clock's tick (jiffies: 1 to 10 ms). */
const TICK_MS = 20;

/** The answers kept for the store as it was when `stamps` were taken, by the hash of their question. */
interface Kept {
  stamps: [string, string][];
  answers: [string, unknown][];
}

/** The folder in the store's directory where answers are kept (PostgreSQL ignores it; the stamps leave it out). */
export const ANSWERS = 'fsm-answers';

export interface AnswerCache<T> {
  /** The answer kept for the store as its files are now; undefined when there is none. */
  kept: { answer: T } | undefined;
  /**
   * Keeps the answer `answer` resolves to (nothing when it resolves to undefined), with the other
   * answers kept for the store as it was before: to be called at once after the store was closed, and
   * only when it was used read-only (its own close still writes files).
   */
  keep(answer: T | Promise<T | undefined>): Promise<void>;
  /**
   * `keep`, for an answer still being worked out from what was read (a report's files being written):
   * the store's close is marked now, and its stamps are taken while the answer is made.
   */
  closed(): (answer: Promise<T | undefined>) => Promise<void>;
}

/** The cache of the answer to `question` about the PGlite store in `storeDir` (`question` names all else it depends on). */
export function answerCache<T>(storeDir: string, question: string): AnswerCache<T> {
  const file = answersFile(storeDir);
  const key = keyOf(question);
  const kept = read(file);
  const answers = new Map(kept && same(kept.stamps, stampsOf(storeDir).stamps) ? kept.answers : []);
  const closed = () => {
    const keep = closing(storeDir, answers);
    return (answer: Promise<T | undefined>) => keep(answer.then((a): [string, unknown][] => (a === undefined ? [] : [[key, a]])));
  };
  return {
    kept: answers.has(key) ? { answer: answers.get(key) as T } : undefined,
    keep: (answer) => closed()(Promise.resolve(answer)),
    closed,
  };
}

/**
 * For a use of the store that changes it (a run recorded, an issue resolved): the answers it works out
 * from the store as it leaves it, kept for the store as it is once closed, in place of all answers kept
 * before. Made before the store is closed; `closed`, given the answers (each with its question), at
 * once after.
 */
export function answersLeft(storeDir: string): { closed(answers: [string, unknown][]): Promise<void> } {
  answersFile(storeDir);
  return { closed: (answers) => closing(storeDir, new Map())(Promise.resolve(answers.map(([q, a]) => [keyOf(q), a]))) };
}

const keyOf = (question: string) => createHash('sha256').update(question).digest('hex');

const answersPath = (storeDir: string) => join(storeDir, ANSWERS, 'answers.json');

/** The file of answers kept about the store in `storeDir`, its folder made first: made later, it would change the store's folder, hence its stamp. */
function answersFile(storeDir: string): string {
  mkdirSync(join(storeDir, ANSWERS), { recursive: true });
  return answersPath(storeDir);
}

/**
 * Marks the store's close now; the function answered keeps `answers` and the ones given it (by the hash of
 * their question) with the stamps of the store taken TICK_MS later, unless a file of it changed after the close.
 */
function closing(storeDir: string, answers: Map<string, unknown>) {
  const file = answersPath(storeDir);
  const closedAt = BigInt(Date.now()) * 1_000_000n;
  return async (given: Promise<[string, unknown][]>) => {
    given.catch(() => undefined); // its failure is the caller's, from the await below
    await delay(TICK_MS);
    const { stamps, lastChange } = stampsOf(storeDir);
    const settled = await given;
    for (const [key, answer] of settled) answers.set(key, answer);
    if (settled.length && lastChange <= closedAt) write(file, { stamps, answers: [...answers] });
  };
}

/** Every file and folder under `root` with its inode, size, modification and change times (ns); the last change time. */
function stampsOf(root: string): { stamps: [string, string][]; lastChange: bigint } {
  const stamps: [string, string][] = [];
  let lastChange = 0n;
  const add = (name: string, path: string) => {
    const s = statSync(path, { bigint: true });
    stamps.push([name, `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`]);
    if (s.ctimeNs > lastChange) lastChange = s.ctimeNs;
    return s.isDirectory();
  };
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (prefix === '' && name === ANSWERS) continue;
      if (add(`${prefix}${name}`, join(dir, name))) walk(join(dir, name), `${prefix}${name}/`);
    }
  };
  add('.', root);
  walk(root, '');
  return { stamps, lastChange };
}

function same(a: [string, string][], b: [string, string][]): boolean {
  return a.length === b.length && a.every(([name, stamp], i) => b[i]?.[0] === name && b[i]?.[1] === stamp);
}

function read(file: string): Kept | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Kept;
  } catch {
    return undefined; // none yet, or unreadable: worked out again
  }
}

/** Written whole or not at all (renamed into place); a cache that cannot be written is no error. */
function write(file: string, kept: Kept): void {
  try {
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(kept));
    renameSync(partial, file);
  } catch {
    // The answer was given; only the next call is slower.
  }
}
