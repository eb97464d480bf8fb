/**
 * The harness's configuration, validated once where it is read: per worker, the target (the
 * simulators this worker starts, or a URL) and the fixture seed, from the environment; per scenario,
 * the mode (API, or the portal in a browser) and the browser, from the profile's world parameters,
 * which the environment overrides. Steps read it from the World, never from process.env.
 */
import { z } from 'zod';
import { harnessMessage } from '../../clients/messages';

/** Where simulators started for a run (in-process or per worker) write their log: the console is the run's. */
export const SIMULATOR_LOG = 'reports/simulators.log';

const WorkerConfigSchema = z
  .object({
    /** `sim`, a simulator's URL, or a target file of a real environment (clients/target.ts). */
    target: z.string().min(1).default('sim'),
    fixtureSeed: z.coerce.number().int().min(0).optional(),
  })
  .strict();

const ScenarioConfigSchema = z
  .object({
    mode: z.enum(['api', 'ui']).default('api'),
    /** Unset: the system's Chromium, else Playwright's own (clients/browser.ts). */
    chromiumPath: z.string().min(1).optional(),
    headless: z.boolean().default(true),
  })
  .strict();

export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;
export type ScenarioConfig = z.infer<typeof ScenarioConfigSchema>;

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return validate(WorkerConfigSchema, { target: env.FSM_TARGET, fixtureSeed: env.FSM_FIXTURE_SEED }, 'FSM_TARGET, FSM_FIXTURE_SEED');
}

export function loadScenarioConfig(worldParameters: unknown, env: NodeJS.ProcessEnv = process.env): ScenarioConfig {
  const fromProfile = typeof worldParameters === 'object' && worldParameters !== null ? worldParameters : {};
  const fromEnv = {
    mode: env.FSM_MODE,
    chromiumPath: env.FSM_CHROMIUM_PATH,
    headless: env.FSM_HEADED ? !['1', 'true'].includes(env.FSM_HEADED) : undefined,
  };
  return validate(
    ScenarioConfigSchema,
    { ...fromProfile, ...definedOnly(fromEnv) },
    'world parameters, FSM_MODE, FSM_CHROMIUM_PATH, FSM_HEADED',
  );
}

function definedOnly(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
}

function validate<S extends z.ZodTypeAny>(schema: S, raw: Record<string, unknown>, sources: string): z.infer<S> {
  const parsed = schema.safeParse(definedOnly(raw));
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
  throw new Error(harnessMessage(`The harness configuration (${sources}) is not valid:\n${issues}`));
}
