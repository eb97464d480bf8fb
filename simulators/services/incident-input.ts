/**
 * What may be sent to raise or change an incident, validated in ServiceNow's field names: a User's
 * change, and the wider change of DCC's service desk (work notes, an on-hold reason, the group).
 */
import { z } from 'zod';
import { SYS_ID } from '../domain/ids';
import { ON_HOLD_REASONS, type Level } from '../domain/incident';

/**
 * ServiceNow sends and accepts numbers as strings; both are fine here. Strings first: a union builds an
 * issue for each branch tried before the one that matches (about 5% of a create's time otherwise).
 */
const level = z.union([z.enum(['1', '2', '3']).transform(Number), z.literal(1), z.literal(2), z.literal(3)]) as z.ZodType<Level>;
const text = (max: number) => z.string().trim().max(max);

export const CATEGORIES = [
  'inquiry',
  'software',
  'hardware',
  'network',
  'database',
  'communications_hub',
  'smart_metering_service',
  'quarantine',
] as const;

export const CreateIncident = z
  .object({
    short_description: text(160).min(5, 'needs at least 5 characters that say what is wrong'),
    description: text(4000).default(''),
    category: z.enum(CATEGORIES).default('inquiry'),
    affected_service: text(100).default(''),
    impact: level.default(3),
    urgency: level.default(3),
    caller_id: z.string().regex(SYS_ID, 'must be the sys_id of a user of your party').optional(),
  })
  .strict();

const changeFields = {
  short_description: text(160).min(5).optional(),
  description: text(4000).optional(),
  impact: level.optional(),
  urgency: level.optional(),
  state: z.union([z.string().regex(/^\d+$/).transform(Number), z.number().int()]).optional(),
  close_notes: text(4000).optional(),
  comments: text(4000).min(1).optional(),
};
export const UserChange = z
  .object({ ...changeFields, work_notes: z.string().optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change');
export const DeskChange = z
  .object({
    ...changeFields,
    work_notes: text(4000).min(1).optional(),
    on_hold_reason: z.enum(ON_HOLD_REASONS).optional(),
    assignment_group: text(100).min(1).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change');
/** A change of either kind, as applied: a User's has none of the desk's fields (its work notes are refused). */
export type IncidentChange = z.infer<typeof DeskChange>;
