/** Turns schema failures into one InvalidInput that names the field and what to fix. */
import { z } from 'zod';
import { InvalidInput } from '../domain/errors';

/**
 * A JSON object kept exactly as sent, for data passed on as it is (a legacy record): every own key,
 * `__proto__` included, which `z.record` would silently drop.
 */
export const jsonObject = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'must be a JSON object',
);

export function parseInput<S extends z.ZodTypeAny>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0];
  const path = first?.path.join('.') || 'body';
  const message =
    first?.code === 'unrecognized_keys'
      ? `Unknown field${first.keys.length > 1 ? 's' : ''}: ${first.keys.join(', ')}`
      : `${path}: ${first?.message ?? 'is not valid'}`;
  const detail = issues
    .slice(1)
    .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
    .join('; ');
  throw new InvalidInput(message, detail, first?.code === 'unrecognized_keys' ? undefined : path);
}
