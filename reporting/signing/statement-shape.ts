/**
 * What a signed run statement must look like before anything reads it: a key registered for a party
 * may still sign nonsense, and the completion service reads statements from the network.
 *
 * Written as plain checks rather than zod: the service checks a statement of every submission, and
 * zod took 2.5 ms for one of 22 scenarios until the JIT warmed up (0.3 ms after), the largest part of
 * a submission's work when 200 parties submit at once to a service just started; these take 0.02 ms.
 */
import type { RunStatement } from './statement';

type Check = (value: unknown) => boolean;

/** Text PostgreSQL can hold (no NUL character) of a length within bounds. */
const text =
  (max = 2000, min = 0): Check =>
  (v) =>
    typeof v === 'string' && v.length >= min && v.length <= max && !v.includes('\u0000');
const nullable =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);
const literal =
  (expected: string): Check =>
  (v) =>
    v === expected;
const int =
  (min: number, max: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const array =
  (item: Check, min: number, max: number): Check =>
  (v) =>
    Array.isArray(v) && v.length >= min && v.length <= max && v.every(item);
/** An object with at least these fields, each as its check says (other fields are allowed, and ignored). */
function object(fields: Record<string, Check>): Check {
  const entries = Object.entries(fields);
  return (v) =>
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    entries.every(([key, check]) => check(Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined));
}

const STATUSES = new Set(['passed', 'failed', 'skipped', 'pending', 'undefined', 'ambiguous', 'unknown']);
const status: Check = (v) => typeof v === 'string' && STATUSES.has(v);
/** An ISO 8601 UTC date-time as JSON writes a Date (zod's datetime(): a real calendar date, seconds and fraction optional, Z). */
const DATETIME =
  /^((\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)|(02)-(0[1-9]|1\d|2[0-8])))T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?Z$/;
const datetime: Check = (v) => typeof v === 'string' && DATETIME.test(v);

const isStatement = object({
  _type: literal('https://in-toto.io/Statement/v1'),
  subject: array(object({ name: text(300), digest: object({ sha256: text(64) }) }), 1, 10),
  predicateType: literal('https://in-toto.io/attestation/test-result/v0.1'),
  predicate: object({
    fsm: object({
      party: text(100, 1),
      run: object({
        id: text(200, 1),
        suite: text(50),
        tags: nullable(text()),
        mode: text(20),
        startedAt: datetime,
        finishedAt: nullable(datetime),
      }),
      environment: object({
        kind: nullable(text(30)),
        name: nullable(text(200)),
        url: nullable(text(500)),
        tenant: nullable(text(200)),
        tlsFingerprint: nullable(text(200)),
      }),
      scenarios: array(
        object({
          uri: text(500),
          name: text(1000),
          requirements: array(text(50), 0, 50),
          status,
          firstStatus: status,
          attempts: int(1, 100),
        }),
        0,
        5000,
      ),
      previousStatement: nullable(text(64)),
    }),
  }),
});

/** The statement in `payload`, or undefined when it is not JSON or not a run statement. */
export function parseStatement(payload: Buffer): RunStatement | undefined {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  return isStatement(json) ? (json as RunStatement) : undefined;
}
