/**
 * What a party's administrator sends to create or amend an account, in the Table API's sys_user field
 * names (the portal's user forms send the same): validated here, once, for every adapter.
 */
import { z } from 'zod';
import { REGIONS } from '../domain/party';

/** Roles arrive as an array or, as ServiceNow lists do, a comma-separated string. */
const roleList = z
  .union([
    z.array(z.string()),
    z.string().transform((s) =>
      s
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(z.string().max(40)).min(1).max(20));
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

export const CreateUser = z
  .object({
    user_name: z.string().trim().toLowerCase().email("must be the person's corporate email address").max(254),
    name: z.string().trim().min(1).max(100),
    roles: roleList,
    identity_path: z.enum(['local', 'entra']).default('local'),
    /** The Region an OMS account works in (ACC-05). */
    region: z.enum(REGIONS).optional(),
  })
  .strict();
export const UpdateUser = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    roles: roleList.optional(),
    active: flag.optional(),
    migration_review: z.literal('declined').optional(),
    region: z.enum(REGIONS).optional(),
    /** ServiceNow's "Web service access only": an integration account, never an interactive sign-in. */
    web_service_access_only: flag.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one of name, roles, active, migration_review, web_service_access_only');
