/** Argument parsing shared by the commands: node's parseArgs, with errors that say what to type. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { harnessMessage } from '../clients/messages';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** A mistake in how the command was typed: exit code 2, and the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parse<T extends Options>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: false, strict: true })
      .values;
  } catch (error) {
    throw new UsageError(harnessMessage(`${(error as Error).message}\n\n${usage}`));
  }
}

export function port(value: unknown, flag: string): number {
  const text = String(value);
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    throw new UsageError(harnessMessage(`${flag} must be a port number from 0 to 65535 (0 picks a free port); got "${text}"`));
  return Number(text);
}
