/**
 * Incidents as a User sees them: raised in their party, read and updated only there, every change
 * checked against the state model and the caller's Functional Components.
 */
import { z } from 'zod';
import { NotFound } from '../domain/errors';
import { formatNumber, newSysId, SYS_ID } from '../domain/ids';
import { assertTransition, isActive, isState, IncidentState, priorityOf, type Actor, type Level } from '../domain/incident';
import { InvalidInput } from '../domain/errors';
import { findAccount } from '../store/accounts';
import { findIncident, insertIncident, nextIncidentSequence, updateIncident, type IncidentRow } from '../store/incidents';
import type { Caller, Core } from './context';
import { parseInput } from './validate';

/** ServiceNow sends and accepts numbers as strings; both are fine here. */
const level = z.union([z.literal(1), z.literal(2), z.literal(3), z.enum(['1', '2', '3']).transform(Number)]) as z.ZodType<Level>;
const text = (max: number) => z.string().trim().max(max);

export const CATEGORIES = ['inquiry', 'software', 'hardware', 'network', 'database', 'communications_hub', 'smart_metering_service'] as const;

const CreateIncident = z
  .object({
    short_description: text(160).min(5, 'needs at least 5 characters that say what is wrong'),
    description: text(4000).default(''),
    category: z.enum(CATEGORIES).default('inquiry'),
    impact: level.default(3),
    urgency: level.default(3),
    caller_id: z.string().regex(SYS_ID, 'must be the sys_id of a user of your party').optional(),
  })
  .strict();

const UpdateIncident = z
  .object({
    short_description: text(160).min(5).optional(),
    description: text(4000).optional(),
    impact: level.optional(),
    urgency: level.optional(),
    state: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
    close_notes: text(4000).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change');

export class IncidentService {
  constructor(private readonly core: Core) {}

  async raise(caller: Caller, body: unknown): Promise<IncidentRow> {
    this.core.roles.require(caller.roles, 'incidents.write');
    const input = parseInput(CreateIncident, body);
    const callerId = input.caller_id ?? caller.accountId;
    const now = this.core.clock.now();
    return this.core.db.transaction(async (tx) => {
      if (callerId !== caller.accountId) {
        const other = await findAccount(tx, callerId);
        if (!other || other.party_id !== caller.partyId) throw new InvalidInput('caller_id is not a user of your party', '', 'caller_id');
      }
      const row: IncidentRow = {
        sys_id: newSysId(),
        number: formatNumber('INC', await nextIncidentSequence(tx)),
        party_id: caller.partyId,
        caller_id: callerId,
        short_description: input.short_description,
        description: input.description,
        category: input.category,
        impact: input.impact,
        urgency: input.urgency,
        priority: priorityOf(input.impact, input.urgency),
        state: IncidentState.New,
        active: true,
        on_hold_reason: null,
        assignment_group: 'DCC Service Desk',
        close_notes: null,
        resolved_at: null,
        closed_at: null,
        sys_created_on: now,
        sys_created_by: caller.username,
        sys_updated_on: now,
        sys_updated_by: caller.username,
        sys_mod_count: 0,
      };
      await insertIncident(tx, row);
      return row;
    });
  }

  async update(caller: Caller, sysId: string, body: unknown, actor: Actor = 'user'): Promise<IncidentRow> {
    this.core.roles.require(caller.roles, 'incidents.write');
    const input = parseInput(UpdateIncident, body);
    return this.core.db.transaction(async (tx) => {
      const current = await findIncident(tx, caller.partyId, sysId, true);
      if (!current) throw new NotFound('Incident');
      const next = applyChange(current, input, actor, this.core.clock.now(), caller.username);
      await updateIncident(tx, next);
      return next;
    });
  }
}

function applyChange(current: IncidentRow, input: z.infer<typeof UpdateIncident>, actor: Actor, now: Date, by: string): IncidentRow {
  if (!isActive(current.state as IncidentState)) {
    throw new InvalidInput(`${current.number} is ${current.state === IncidentState.Closed ? 'closed' : 'canceled'} and can no longer change`, 'Raise a new incident and mention this one.', 'state');
  }
  const next: IncidentRow = { ...current, ...stripUndefined(input), sys_updated_on: now, sys_updated_by: by, sys_mod_count: current.sys_mod_count + 1 } as IncidentRow;
  if (input.state !== undefined) {
    if (!isState(input.state)) throw new InvalidInput(`state ${input.state} does not exist`, 'States: 1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled.', 'state');
    assertTransition(current.state as IncidentState, input.state, actor);
    next.state = input.state;
    if (input.state === IncidentState.Resolved) next.resolved_at = now;
    if (input.state === IncidentState.Closed || input.state === IncidentState.Canceled) next.closed_at = now;
    if (input.state !== IncidentState.OnHold) next.on_hold_reason = null;
  }
  next.priority = priorityOf(next.impact as Level, next.urgency as Level);
  next.active = isActive(next.state as IncidentState);
  return next;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
