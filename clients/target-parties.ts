/**
 * The parties of a target file: for each alias the features use, what DCC gave the party and what its
 * people hold. The administrator (and the key of their authenticator app); for OAuth sign-in, the
 * party's OAuth app and integration account; for DCC Identity (Entra) sign-in, the harness's app
 * registration at the tenant (for every party, or per party). Secrets may be `"env:NAME"`: taken from
 * the environment variable NAME when the file is read, so that they need not sit in the file.
 */
import { z } from 'zod';
import { harnessMessage } from './messages';

const Secret = z.string().min(1);

/** Native apps' redirect URI (RFC 8252 §7.3): http on a loopback address; its port is any (the harness listens on a free one). */
function isLoopback(value: string): boolean {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url?.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
}

/**
 * The harness's app registered at DCC Identity: a public client (no secret; PKCE with S256), signing
 * people in through a browser and catching the code at its loopback redirect URI, as a native app does.
 */
export const EntraAppSchema = z
  .object({
    /** The tenant, by its issuer: https://login.microsoftonline.com/{tenant id}/v2.0 for Entra. */
    issuer: z.string().url(),
    clientId: z.string().min(1).max(200),
    redirectUri: z.string().refine(isLoopback, 'an http redirect URI on the loopback, such as http://127.0.0.1/fsm-harness/callback'),
    /** The FSM API's scope as DCC registered it ({Application ID URI}/{scope}), for a token with the platform as its audience. */
    scope: z.string().min(1).max(200),
  })
  .strict();

export type EntraApp = z.infer<typeof EntraAppSchema>;

export const PartySchema = z
  .object({
    administrator: z.object({ username: z.string().min(3), password: Secret, totpSecret: Secret.optional() }).strict(),
    integration: z
      .object({ clientId: z.string().min(1), clientSecret: Secret, username: z.string().min(1), password: Secret })
      .strict()
      .optional(),
    /** This party's own app registration at DCC Identity, when not the file's `entra`. */
    entra: EntraAppSchema.optional(),
  })
  .strict();

type Party = z.infer<typeof PartySchema>;

/** What each way of signing in needs of every party: a refusal message for each party that lacks it. */
export function partiesProblems(file: { signIn: string; entra?: EntraApp | undefined; parties: Record<string, Party> }): string[] {
  const parties = Object.entries(file.parties);
  if (file.signIn === 'oauth')
    return parties.some(([, p]) => !p.integration)
      ? ['with "signIn": "oauth" every party needs its "integration": the OAuth app (clientId, clientSecret) and account DCC gave it']
      : [];
  if (file.signIn !== 'entra') return [];
  return parties.flatMap(([alias, p]) => [
    ...((p.entra ?? file.entra)
      ? []
      : [
          `with "signIn": "entra" "${alias}" needs the harness's app at DCC Identity: "entra" (issuer, clientId, redirectUri, scope), in the file or the party`,
        ]),
    ...(p.administrator.totpSecret
      ? []
      : [
          `with "signIn": "entra" "${alias}"'s administrator needs "totpSecret", the key of their authenticator app, to answer the MFA prompt`,
        ]),
  ]);
}

/** The parties with their secrets taken from the environment where the file says `"env:NAME"`, and each one's Entra app. */
export function resolveParties(
  file: { entra?: EntraApp | undefined; parties: Record<string, Party> },
  path: string,
  env: NodeJS.ProcessEnv,
) {
  const resolve = (secret: string, where: string) => {
    if (!secret.startsWith('env:')) return secret;
    const name = secret.slice(4);
    const found = Object.hasOwn(env, name) ? env[name] : undefined;
    if (!found)
      throw new Error(harnessMessage(`The target file ${path} takes ${where} from the environment variable ${name}, which is not set.`));
    return found;
  };
  return Object.fromEntries(
    Object.entries(file.parties).map(([alias, { administrator: a, integration: i, entra }]) => {
      const app = entra ?? file.entra;
      const party: Party = {
        administrator: {
          username: a.username,
          password: resolve(a.password, `${alias}'s password`),
          ...(a.totpSecret ? { totpSecret: resolve(a.totpSecret, `${alias}'s TOTP key`) } : {}),
        },
        ...(i
          ? {
              integration: {
                clientId: i.clientId,
                clientSecret: resolve(i.clientSecret, `${alias}'s OAuth client secret`),
                username: i.username,
                password: resolve(i.password, `${alias}'s integration password`),
              },
            }
          : {}),
        ...(app ? { entra: app } : {}),
      };
      return [alias, party];
    }),
  );
}
