/**
 * What the harness tests: `sim` (simulators it starts itself), the URL of a simulator started
 * elsewhere (it has a control API), or a target file describing a real environment (a UIT
 * environment): its URLs and the credentials DCC gave each party, with secrets taken from
 * environment variables (`"env:NAME"`). A real environment is never sent a control call.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { DCC_API_PATHS, type DccApiPaths } from './dcc-apis';
import { EnvironmentError, send } from './http';
import { harnessMessage } from './messages';
import { EntraAppSchema, PartySchema, partiesProblems, resolveParties } from './target-parties';

const ApiPath = z.string().regex(/^\/[A-Za-z0-9_\-/]{1,200}$/, 'a path on the platform, such as /api/x_dcc/oms');

const TargetFileSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** The environment's tenant (its DCC Identity / Entra tenant), recorded and signed with each run. */
    tenant: z.string().min(1).max(200).optional(),
    fsm: z.string().url(),
    fsmInternet: z.string().url().optional(),
    idp: z.string().url().optional(),
    idpIssuers: z.record(z.string().url()).default({}),
    logistics: z.string().url().optional(),
    /**
     * The Service Portal: its URL suffix (`/{prefix}?id=...`) and the labels it words differently from
     * ours (our label: theirs), inline or in a JSON file beside the target file (inline wins).
     */
    portal: z
      .object({
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,40}$/)
          .default('fsm'),
        labels: z.record(z.string().min(1)).default({}),
        labelsFile: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    /**
     * How the API mode signs in: `login`, the simulator's own login API (a test helper); as on a real
     * platform, `oauth` at /oauth_token.do with each party's OAuth app and integration account, or
     * `entra` through DCC Identity in a browser (code with PKCE, MFA by TOTP) as each party's administrator.
     */
    signIn: z.enum(['login', 'oauth', 'entra']).default('login'),
    /** Where DCC's unpublished APIs are, when not where the harness assumes (clients/dcc-apis.ts). */
    apis: z
      .object(
        Object.fromEntries(Object.keys(DCC_API_PATHS).map((k) => [k, ApiPath.optional()])) as Record<
          keyof DccApiPaths,
          z.ZodOptional<typeof ApiPath>
        >,
      )
      .strict()
      .default({}),
    /** The harness's app at DCC Identity for "signIn": "entra", for every party that names none of its own. */
    entra: EntraAppSchema.optional(),
    /**
     * The party aliases the features use ("Supplier A"), each with the administrator DCC onboarded,
     * and what the sign-in needs (clients/target-parties.ts).
     */
    parties: z.record(PartySchema).default({}),
  })
  .strict()
  .superRefine((file, ctx) => {
    for (const message of partiesProblems(file)) ctx.addIssue({ code: z.ZodIssueCode.custom, message, path: ['parties'] });
  });

export type TargetFile = Omit<z.infer<typeof TargetFileSchema>, 'apis'> & { apis: DccApiPaths };

export type Target =
  { kind: 'sim'; name: string } | { kind: 'simulator'; name: string; fsm: string } | ({ kind: 'environment' } & TargetFile);

export function resolveTarget(value: string, env: NodeJS.ProcessEnv = process.env): Target {
  if (value === 'sim') return { kind: 'sim', name: 'simulators started by the harness' };
  if (/^https?:\/\//.test(value)) {
    if (!URL.canParse(value)) throw new Error(harnessMessage(`The target "${value}" is not a valid URL.`));
    return { kind: 'simulator', name: `simulator at ${value}`, fsm: value.replace(/\/+$/, '') };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(value, 'utf8'));
  } catch (error) {
    throw new Error(harnessMessage(`The target must be "sim", a simulator's URL or a target file; ${value}: ${(error as Error).message}`));
  }
  const parsed = TargetFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      harnessMessage(
        `The target file ${value} is not valid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
      ),
    );
  }
  const file = parsed.data;
  const parties = resolveParties(file, value, env);
  const labels = {
    ...(file.portal.labelsFile ? readLabels(resolvePath(dirname(value), file.portal.labelsFile), value) : {}),
    ...file.portal.labels,
  };
  const apis: DccApiPaths = { ...DCC_API_PATHS, ...definedOnly(file.apis) };
  return { kind: 'environment', ...file, fsm: file.fsm.replace(/\/+$/, ''), parties, apis, portal: { ...file.portal, labels } };
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const Labels = z.record(z.string().min(1));

/** A mapping file of portal labels: a JSON object of our label to the real portal's. */
function readLabels(path: string, targetFile: string): Record<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(harnessMessage(`The target file ${targetFile} names the portal labels file ${path}: ${(error as Error).message}`));
  }
  const parsed = Labels.safeParse(raw);
  if (!parsed.success)
    throw new Error(harnessMessage(`The portal labels file ${path} must be a JSON object of our label to the portal's label (both text).`));
  return parsed.data;
}

/**
 * Why the run cannot reach its target (nothing answered at its platform's URL), or undefined when
 * something answered, whatever it said, or when the harness starts the simulators itself. A GET of
 * the base URL: no control call, so a real environment may be asked too.
 */
export async function unreachable(target: Target): Promise<string | undefined> {
  if (target.kind === 'sim') return undefined;
  try {
    await send('GET', target.fsm);
    return undefined;
  } catch (error) {
    if (error instanceof EnvironmentError) return error.message;
    throw error;
  }
}
