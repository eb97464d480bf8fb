/**
 * What a signed run statement must look like before anything reads it: a key registered for a party
 * may still sign nonsense, and the completion service reads statements from the network.
 */
import { z } from 'zod';
import type { RunStatement } from './statement';

const text = (max = 2000) => z.string().max(max);
const status = z.enum(['passed', 'failed', 'skipped', 'pending', 'undefined', 'ambiguous', 'unknown']);

const shape = z.object({
  _type: z.literal('https://in-toto.io/Statement/v1'),
  subject: z
    .array(z.object({ name: text(300), digest: z.object({ sha256: text(64) }) }))
    .min(1)
    .max(10),
  predicateType: z.literal('https://in-toto.io/attestation/test-result/v0.1'),
  predicate: z.object({
    fsm: z.object({
      party: z.string().min(1).max(100),
      run: z.object({
        id: z.string().min(1).max(200),
        suite: text(50),
        tags: text().nullable(),
        mode: text(20),
        startedAt: z.string().datetime(),
        finishedAt: z.string().datetime().nullable(),
      }),
      environment: z.object({
        kind: text(30).nullable(),
        name: text(200).nullable(),
        url: text(500).nullable(),
        tenant: text(200).nullable(),
        tlsFingerprint: text(200).nullable(),
      }),
      scenarios: z
        .array(
          z.object({
            uri: text(500),
            name: text(1000),
            requirements: z.array(text(50)).max(50),
            status,
            firstStatus: status,
            attempts: z.number().int().min(1).max(100),
          }),
        )
        .max(5000),
      previousStatement: text(64).nullable(),
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
  return shape.safeParse(json).success ? (json as RunStatement) : undefined;
}
