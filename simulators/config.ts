/**
 * The simulators' configuration: one validated object per process, built from the defaults below,
 * an optional JSON file and nothing else. Numbers marked ASSUMED are not published by DCC
 * (DOMAIN.md section 5); reports label them as such.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { harnessMessage } from '../clients/messages';

const Assumed = z.object({ assumed: z.boolean() });

export const SimConfigSchema = z
  .object({
    http: z
      .object({
        /** Request bodies above this are refused with 413. */
        bodyLimitBytes: z
          .number()
          .int()
          .min(1024)
          .max(50 * 1024 * 1024)
          .default(1024 * 1024),
        /** ServiceNow answers 10,000 rows at most without an explicit limit. */
        maxPageSize: z.number().int().min(1).max(100_000).default(10_000),
        journalSize: z.number().int().min(0).max(100_000).default(2_000),
      })
      .strict()
      .default({}),
    session: Assumed.extend({
      /** ServiceNow's fallback session timeout (glide.ui.session_timeout), assumed for FSM (IAM-07). */
      idleMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(30),
    })
      .strict()
      .default({ assumed: true }),
    lockout: Assumed.extend({
      maxFailures: z.number().int().min(1).max(100).default(5),
      minutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(15),
    })
      .strict()
      .default({ assumed: true }),
    passwords: Assumed.extend({
      minLength: z.number().int().min(8).max(128).default(12),
      /** scrypt cost (N). Deliberately slow; lower it only for benchmarks of other paths. */
      scryptCost: z
        .number()
        .int()
        .min(1024)
        .max(1 << 20)
        .default(16384),
      oneTimePasswordHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 30)
        .default(72),
    })
      .strict()
      .default({ assumed: true }),
    onboarding: Assumed.extend({
      /** Roles DCC gives a new party's initial administrator (ACC-01). */
      initialAdminRoles: z.array(z.string()).min(1).default(['ORG_ADMIN', 'SERVICE_USER']),
    })
      .strict()
      .default({ assumed: true }),
    mfa: Assumed.extend({
      /** RFC 6238 as authenticator apps use it: 30 s steps, 6 digits, SHA-1, one step of drift each way. */
      totpStepSeconds: z.number().int().min(15).max(120).default(30),
      totpDigits: z.union([z.literal(6), z.literal(8)]).default(6),
      totpWindow: z.number().int().min(0).max(5).default(1),
      totpIssuer: z.string().min(1).default('DCC FSM'),
      emailCodeMinutes: z.number().int().min(1).max(60).default(10),
      /** SMS one-time passwords exist only behind this flag (S0 paragraph 36). */
      smsEnabled: z.boolean().default(false),
    })
      .strict()
      .default({ assumed: true }),
    email: z
      .object({
        /** Where the email gateway POSTs messages; null means this simulator's own mailbox (/__sim/mailbox). */
        gatewayUrl: z.string().url().nullable().default(null),
        from: z.string().email().default('no-reply@fsm.dcc.example'),
        timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
      })
      .strict()
      .default({}),
    /** ServiceNow's OAuth (issue 17): /oauth_token.do for registered apps. */
    oauth: z
      .object({
        /** As on ServiceNow (glide.oauth.inbound.client.credential.grant_type.enabled), off unless enabled. */
        clientCredentials: z.boolean().default(false),
        /** ServiceNow's default refresh token lifespan: 8,640,000 seconds. */
        refreshTokenDays: z.number().int().min(1).max(3650).default(100),
      })
      .strict()
      .default({}),
    /**
     * ServiceNow's inbound REST API rate limiting (a rule per user, per hour). DCC has published no
     * limit: null (the default) limits nothing; a number is an assumed limit per user and hour.
     */
    rateLimit: Assumed.extend({
      perUserPerHour: z.number().int().min(1).max(10_000_000).nullable().default(null),
    })
      .strict()
      .default({ assumed: true }),
    idp: z
      .object({
        /** Entra-style tenant IDs (GUIDs) of the production and non-production tenants (IAM-06). */
        tenants: z
          .object({ production: z.string().uuid(), nonProduction: z.string().uuid() })
          .strict()
          .default({ production: '3f5c1d0e-7a52-4c3e-9a61-0d1c2b3a4f50', nonProduction: '8b2e4f6a-1c3d-4e5f-8a7b-9c0d1e2f3a4b' }),
        accessTokenMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(60),
        /** How long the platform waits for DCC Identity (its keys, discovery, the token endpoint) before saying it cannot be reached. */
        timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
      })
      .strict()
      .default({}),
    incidents: Assumed.extend({
      /** Target Resolution Time per Incident Category (= priority), in hours (SM-03). */
      targetResolutionHours: z
        .object({
          '1': z.number().positive(),
          '2': z.number().positive(),
          '3': z.number().positive(),
          '4': z.number().positive(),
          '5': z.number().positive(),
        })
        .strict()
        .default({ '1': 4, '2': 8, '3': 24, '4': 72, '5': 120 }),
      /** A resolution the User neither confirms nor rejects closes itself after this many days. */
      autoCloseDays: z.number().int().min(1).max(90).default(7),
      /**
       * Roles whose holders may delete their own party's incidents through the Table API (ServiceNow's
       * delete ACL). FSM keeps incidents, so none by default: a delete is 403, saying to cancel instead.
       */
      deleteRoles: z.array(z.string().min(1)).default([]),
    })
      .strict()
      .default({ assumed: true }),
    attachments: z
      .object({
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .max(50 * 1024 * 1024)
          .default(5 * 1024 * 1024),
        contentTypes: z
          .array(z.string())
          .min(1)
          .default(['text/csv', 'text/plain', 'application/json', 'application/pdf', 'image/png', 'image/jpeg', 'application/zip']),
      })
      .strict()
      .default({}),
    quarantine: z
      .object({
        /** Releasing quarantined messages by a Quarantine Command Action exists only behind this flag (S0 paragraph 66). */
        releaseEnabled: z.boolean().default(false),
      })
      .strict()
      .default({}),
    oms: Assumed.extend({
      horizonMonths: z.number().int().min(1).max(60).default(24),
      leadTimeMonths: z.number().int().min(0).max(24).default(4),
      tolerancePercent: z.number().min(0).max(100).default(10),
      packSize: z.number().int().min(1).max(1000).default(10),
      maxOrderQuantity: z.number().int().min(1).default(100_000),
      amendCutoffWorkingDays: z.number().int().min(0).max(30).default(5),
      acceptanceWindowWorkingDays: z.number().int().min(1).max(30).default(2),
      accountsPerRegion: z.number().int().min(1).max(100).default(4),
      /** What happens to a fifth OMS account in a Region: refused, or allowed and flagged as chargeable. */
      extraAccounts: z.enum(['refuse', 'chargeable']).default('refuse'),
      /** DP238 return charges, in pence. */
      charges: z
        .object({ redeployable: z.number().int(), singleBand: z.number().int(), dualBand: z.number().int() })
        .strict()
        .default({ redeployable: 827, singleBand: 3087, dualBand: 5875 }),
    })
      .strict()
      .default({ assumed: true }),
    portal: z
      .object({
        /**
         * The Service Portal's URL suffix: pages are /{prefix}?id=page (ServiceNow's scheme). DCC's is
         * unpublished, so it is configurable; not `portal` (the forms and sign-in live there) nor `api`.
         */
        prefix: z
          .string()
          .regex(/^[a-z][a-z0-9_]{0,30}$/, 'lower-case letters, digits and _, starting with a letter')
          .refine((p) => !['portal', 'api', 'login'].includes(p), 'portal, api and login are taken')
          .default('fsm'),
      })
      .strict()
      .default({}),
    bankHolidaysPath: z.string().default('config/bank-holidays.json'),
    roleCataloguePath: z.string().default('config/role-catalogue.json'),
  })
  .strict();

export type SimConfig = z.infer<typeof SimConfigSchema>;

/** Defaults overridden by a JSON file; errors name the file and the setting. */
export function loadSimConfig(file?: string): SimConfig {
  if (!file) return SimConfigSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(harnessMessage(`Cannot read configuration ${file}: ${(error as Error).message}`));
  }
  const parsed = SimConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(harnessMessage(`Configuration ${file} is not valid:\n${issues}`));
  }
  return parsed.data;
}
