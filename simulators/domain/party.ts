/** SEC Parties: the organisations that use the platform, with their User Roles, User IDs and Regions. */
import { z } from 'zod';

export const USER_ROLES = ['IS', 'ES', 'GS', 'RSA', 'ED', 'GT', 'OU'] as const;
export const REGIONS = ['North', 'Central', 'South'] as const;
/** EUI-64 in the SEC's hyphenated form, e.g. 90-B3-D5-1F-30-01-00-00. */
export const EUI64 = /^[0-9A-F]{2}(?:-[0-9A-F]{2}){7}$/;

const cidr = z
  .string()
  .regex(/^(\d{1,3})(\.\d{1,3}){3}\/(\d|[12]\d|3[0-2])$/, 'must be an IPv4 CIDR such as 203.0.113.0/24')
  .refine(
    (v) =>
      v
        .split('/')[0]
        ?.split('.')
        .every((o) => Number(o) <= 255),
    'has an octet above 255',
  );

export const PartyInput = z
  .object({
    name: z.string().trim().min(2).max(100),
    userRoles: z.array(z.enum(USER_ROLES)).min(1, 'a party needs at least one User Role'),
    userIds: z.array(z.string().regex(EUI64, 'must be an EUI-64 such as 90-B3-D5-1F-30-01-00-00')).default([]),
    regions: z.array(z.enum(REGIONS)).min(1, 'a party needs at least one Region'),
    gatewayConnected: z.boolean(),
    internetCidrs: z.array(cidr).default([]),
    /** The party's file-signing public key (ECDSA P-256, PEM): ADT and Quarantine Command Action files are signed with it. */
    signingKey: z.string().max(5000).optional(),
    /** Registered for access over the internet (IAM-05); only for parties without a Gateway connection. */
    internetRegistered: z.boolean().default(false),
    administrator: z
      .object({
        email: z.string().email().max(254),
        name: z.string().trim().min(1).max(100),
        /** Which identity path the administrator signs in by (IAM-03). */
        identityPath: z.enum(['entra', 'local']).default('local'),
      })
      .strict(),
  })
  .strict();
export type PartyInput = z.infer<typeof PartyInput>;

export interface Party {
  id: string;
  name: string;
  userRoles: string[];
  userIds: string[];
  regions: string[];
  gatewayConnected: boolean;
  internetCidrs: string[];
  internetRegistered: boolean;
  createdAt: Date;
}
