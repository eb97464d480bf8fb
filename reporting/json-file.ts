/** Reads a JSON file and validates it, with errors that name the file and the line (or the setting) to fix. */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { harnessMessage } from '../clients/messages';

export function readJsonFile<S extends z.ZodTypeAny>(path: string, schema: S): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(harnessMessage(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const position = Number(/position (\d+)/.exec((error as Error).message)?.[1] ?? NaN);
    const line = Number.isNaN(position) ? '' : ` line ${text.slice(0, position).split('\n').length}`;
    throw new Error(harnessMessage(`${path}${line}: not valid JSON (${(error as Error).message})`));
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(harnessMessage(`${path} is not valid:\n${issues}`));
  }
  return parsed.data;
}
