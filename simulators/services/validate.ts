/**
 * Turns schema failures into one InvalidInput: the API's message names the field's path and what to
 * fix (for integrators), and each problem is kept with its field, so that a form shows every one next
 * to its own field. The words are the catalogue's (domain/field-messages.ts), never the validator's.
 */
import { z } from 'zod';
import { InvalidInput } from '../domain/errors';
import { fieldErrorMap } from '../domain/field-messages';

/**
 * A JSON object kept exactly as sent, for data passed on as it is (a legacy record): every own key,
 * `__proto__` included, which `z.record` would silently drop.
 */
export const jsonObject = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'must be a JSON object',
);

export function parseInput<S extends z.ZodTypeAny>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value, { errorMap: fieldErrorMap });
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0];
  if (first?.code === 'unrecognized_keys')
    throw new InvalidInput(`Unknown field${first.keys.length > 1 ? 's' : ''}: ${first.keys.join(', ')}`, '', undefined);
  const problems = issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }));
  const [head, ...rest] = problems;
  throw new InvalidInput(
    `${head?.field ?? 'body'}: ${head?.message ?? 'is not valid'}`,
    rest.map((p) => `${p.field}: ${p.message}`).join('; '),
    head?.field,
    problems,
  );
}
