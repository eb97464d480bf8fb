/** Argument parsing shared by the commands: node's parseArgs, with errors that say what to type. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { harnessMessage } from '../clients/messages';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** A mistake in how the command was typed: exit code 2, and the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parse<T extends Options>(argv: string[], options: T, usage: string) {
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as const;
  try {
    return parseArgs({ args: argv, options: all, allowPositionals: false, strict: true }).values;
  } catch (error) {
    const command = /^Usage: (fsm-harness \S+)/.exec(usage)?.[1] ?? 'fsm-harness';
    const unknown = /^Unknown option '(-{1,2}[^']*)'/.exec((error as Error).message)?.[1];
    if (unknown) {
      const guess = nearest(unknown.replace(/^-+/, '').replace(/=.*/, ''), Object.keys(all));
      throw new UsageError(
        harnessMessage(
          `${command} has no option ${unknown}.${guess ? ` Did you mean --${guess}?` : ''} ${command} --help lists its options.`,
        ),
      );
    }
    throw new UsageError(harnessMessage(`${(error as Error).message}\n\n${usage}`));
  }
}

/** The candidate closest to what was typed (a typo: at most a third of its letters wrong), if any. */
export function nearest(typed: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(1, Math.floor(typed.length / 3)) ? best.name : undefined;
}

/** Levenshtein distance, with a transposition counted as one edit ("rnu" is one from "run"). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => d[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      (d[i] ?? [])[j] = v;
    }
  return at(a.length, b.length);
}

export function port(value: unknown, flag: string): number {
  const text = String(value);
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    throw new UsageError(harnessMessage(`${flag} must be a port number from 0 to 65535 (0 picks a free port); got "${text}"`));
  return Number(text);
}
