/**
 * The completion service's configuration: one JSON file, validated once. It holds DCC's decisions:
 * which parties are registered and the public keys each signs with (the KeyRegistry format), which
 * environments count for completion (a run against any other URL is a rehearsal, whatever its target
 * kind says), each party's expected incident volume where known, and the UIT window.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { harnessMessage } from '../clients/messages';
import { KeyRegistry } from '../reporting/signing/keys';

const environment = z
  .object({
    name: z.string().min(1).max(100),
    /** The platform's base URL, as runs record it. */
    url: z.string().url().max(500),
    /** The environment's tenant, where DCC names one: a run must have recorded the same to count. */
    tenant: z.string().max(200).optional(),
    /** SHA-256 fingerprint of the environment's TLS certificate, where it has TLS: a run must have met that certificate to count. */
    tlsSha256: z
      .string()
      .regex(/^([0-9A-Fa-f]{2}:?){32}$/, 'a SHA-256 fingerprint: 64 hex digits, colons allowed')
      .optional(),
  })
  .strict();

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const ServiceConfigSchema = z
  .object({
    /** { "<party>": ["<public key PEM>", ...] }: what `fsm-harness keys show` prints, per party. */
    parties: z.record(z.string().min(1).max(100), z.array(z.string().min(1)).min(1)),
    environments: z.array(environment).default([]),
    /** Each party's expected incident volume (per month), where known. */
    expectedIncidents: z.record(z.string(), z.number().int().min(0)).default({}),
    /** Where those volumes come from: said beside them on the dashboard. */
    expectedIncidentsSource: z.enum(['assumed', 'migrated DSMS data']).default('assumed'),
    /** The UIT window the trend chart spans. */
    window: z.object({ from: day, to: day }).strict().optional(),
    /** The largest submission accepted (a pack with its files, base64). */
    bodyLimitBytes: z
      .number()
      .int()
      .min(1024)
      .max(200 * 1024 * 1024)
      .default(32 * 1024 * 1024),
  })
  .strict();

export type RecognisedEnvironment = z.infer<typeof environment>;

export type ServiceConfigInput = z.input<typeof ServiceConfigSchema>;

export interface ServiceConfig {
  registry: KeyRegistry;
  environments: RecognisedEnvironment[];
  /** Normalised base URL -> the recognised environment. */
  recognised: Map<string, RecognisedEnvironment>;
  expectedIncidents: Map<string, number>;
  expectedIncidentsSource: 'assumed' | 'migrated DSMS data';
  window?: { from: string; to: string };
  bodyLimitBytes: number;
}

/** A base URL as compared: scheme, host and port, and the path without its trailing slash. */
export function normaliseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return url.trim().toLowerCase();
  }
}

export function serviceConfig(input: unknown): ServiceConfig {
  const parsed = ServiceConfigSchema.safeParse(input);
  if (!parsed.success)
    throw new Error(
      harnessMessage(
        `The completion service's configuration is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`,
      ),
    );
  const c = parsed.data;
  let registry: KeyRegistry;
  try {
    registry = KeyRegistry.fromJson({ parties: c.parties });
  } catch (error) {
    throw new Error(harnessMessage(`The completion service's configuration has a key that cannot be read: ${(error as Error).message}`));
  }
  return {
    registry,
    environments: c.environments,
    recognised: new Map(c.environments.map((e) => [normaliseUrl(e.url), e])),
    expectedIncidents: new Map(Object.entries(c.expectedIncidents)),
    expectedIncidentsSource: c.expectedIncidentsSource,
    window: c.window,
    bodyLimitBytes: c.bodyLimitBytes,
  };
}

export function loadServiceConfig(path: string): ServiceConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(harnessMessage(`Cannot read the completion service's configuration ${path}: ${(error as Error).message}`));
  }
  return serviceConfig(json);
}
