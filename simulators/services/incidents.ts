/**
 * Incidents as a User and DCC's service desk work them (SM-01, SM-02, SM-03): raised in a party,
 * seen and changed only there, every change checked against the state model and the caller's
 * Functional Components; comments and work notes in the journal; the User answers DCC, confirms or
 * rejects a resolution; an unanswered resolution closes itself after the configured days.
 */
import { z } from 'zod';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../domain/errors';
import { formatNumber, newSysId, SYS_ID } from '../domain/ids';
import {
  assertTransition,
  isActive,
  isState,
  IncidentState,
  ON_HOLD_REASONS,
  priorityOf,
  STATE_LABELS,
  type Actor,
  type Level,
} from '../domain/incident';
import { findAccount } from '../store/accounts';
import type { Queryable } from '../store/db';
import {
  closeUnansweredResolutions,
  findAnyIncident,
  findIncident,
  insertIncident,
  nextIncidentSequence,
  updateIncident,
  type IncidentRow,
} from '../store/incidents';
import { insertJournalEntry } from '../store/journal';
import type { Caller, Core } from './context';
import { recordNotification } from './notifications';
import { parseInput } from './validate';

/** ServiceNow sends and accepts numbers as strings; both are fine here. */
const level = z.union([z.literal(1), z.literal(2), z.literal(3), z.enum(['1', '2', '3']).transform(Number)]) as z.ZodType<Level>;
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

const CreateIncident = z
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
  state: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  close_notes: text(4000).optional(),
  comments: text(4000).min(1).optional(),
};
const UserChange = z
  .object({ ...changeFields, work_notes: z.string().optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change');
const DeskChange = z
  .object({
    ...changeFields,
    work_notes: text(4000).min(1).optional(),
    on_hold_reason: z.enum(ON_HOLD_REASONS).optional(),
    assignment_group: text(100).min(1).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change');
type Change = z.infer<typeof DeskChange>;

type Delivery = () => Promise<void>;

const SWEEP_EVERY_MS = 60_000;

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
      const priority = priorityOf(input.impact, input.urgency);
      const row: IncidentRow = {
        sys_id: newSysId(),
        number: formatNumber('INC', await nextIncidentSequence(tx)),
        party_id: caller.partyId,
        caller_id: callerId,
        short_description: input.short_description,
        description: input.description,
        category: input.category,
        affected_service: input.affected_service,
        impact: input.impact,
        urgency: input.urgency,
        priority,
        state: IncidentState.New,
        active: true,
        on_hold_reason: null,
        assignment_group: 'DCC Service Desk',
        close_notes: null,
        resolved_at: null,
        closed_at: null,
        target_resolution_at: this.targetFrom(now, priority),
        reopen_count: 0,
        legacy_number: null,
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

  /** A User's change: fields, a comment, cancelling, confirming or rejecting a resolution. */
  async update(caller: Caller, sysId: string, body: unknown): Promise<IncidentRow> {
    this.core.roles.require(caller.roles, 'incidents.write');
    const input = parseInput(UserChange, body);
    if (input.work_notes !== undefined)
      throw new Forbidden("Work notes are for DCC's service desk. Add a comment instead (the comments field).");
    await this.sweep();
    return this.change((tx) => findIncident(tx, caller.partyId, sysId, true), input, 'user', caller.username);
  }

  /** A workflow answers on the caller's behalf (an accepted Quarantine Command Action), as their comment would. */
  async commentFor(partyId: string, sysId: string, comment: string, by: string): Promise<IncidentRow> {
    return this.change((tx) => findIncident(tx, partyId, sysId, true), { comments: comment }, 'user', by);
  }

  /** DCC's service desk works an incident of any party (the control API's service-desk persona). */
  async serviceDesk(sysId: string, body: unknown): Promise<IncidentRow> {
    const input = parseInput(DeskChange, body);
    await this.sweep();
    return this.change(
      (tx) => (SYS_ID.test(sysId) ? findAnyIncident(tx, sysId, true) : Promise.resolve(undefined)),
      input,
      'service_desk',
      'DCC Service Desk',
    );
  }

  /** When the last sweep ran, in simulated milliseconds; resolving an incident here forces the next. */
  private sweptAt = Number.NEGATIVE_INFINITY;

  /**
   * Closes resolutions left unanswered past the configured days. Run before reads and changes, at
   * most once a simulated minute (a write on every read would halve throughput for nothing).
   */
  async sweep(): Promise<void> {
    const now = this.core.clock.now().getTime();
    if (now >= this.sweptAt && now - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = now;
    await closeUnansweredResolutions(this.core.db, this.core.clock.now(), this.core.config.incidents.autoCloseDays);
  }

  private async change(
    load: (tx: Queryable) => Promise<IncidentRow | undefined>,
    input: Change,
    actor: Actor,
    by: string,
  ): Promise<IncidentRow> {
    const deliveries: Delivery[] = [];
    const next = await this.core.db.transaction(async (tx) => {
      const current = await load(tx);
      if (!current) throw new NotFound('Incident');
      const row = this.apply(current, input, actor, by);
      await updateIncident(tx, row);
      for (const element of ['comments', 'work_notes'] as const) {
        const value = input[element];
        if (value)
          await insertJournalEntry(tx, {
            sys_id: newSysId(),
            party_id: row.party_id,
            table_name: 'incident',
            element_id: row.sys_id,
            element,
            value,
            sys_created_by: by,
            sys_created_on: row.sys_updated_on,
          });
      }
      if (actor === 'service_desk') deliveries.push(...(await this.notifyCaller(tx, current, row, input)));
      return row;
    });
    for (const deliver of deliveries) await deliver();
    return next;
  }

  private apply(current: IncidentRow, input: Change, actor: Actor, by: string): IncidentRow {
    if (!isActive(current.state as IncidentState)) {
      throw new Conflict(
        `${current.number} is ${current.state === IncidentState.Closed ? 'closed' : 'canceled'} and can no longer change`,
        'Raise a new incident and mention this one.',
        'state',
      );
    }
    const now = this.core.clock.now();
    const { comments: _c, work_notes: _w, state, ...fields } = input;
    const next: IncidentRow = {
      ...current,
      ...stripUndefined(fields),
      sys_updated_on: now,
      sys_updated_by: by,
      sys_mod_count: current.sys_mod_count + 1,
    } as IncidentRow;
    const target = state ?? this.implicitState(current, input, actor);
    // An explicit state is always checked, even the one the incident is in: a move made twice is refused.
    if (target !== undefined) this.moveTo(next, current, target, input, actor, now);
    next.priority = priorityOf(next.impact as Level, next.urgency as Level);
    if (next.priority !== current.priority) next.target_resolution_at = this.targetFrom(current.sys_created_on, next.priority);
    next.active = isActive(next.state as IncidentState);
    return next;
  }

  /** A User's comment on an incident on hold awaiting them answers DCC: it goes back to In Progress. */
  private implicitState(current: IncidentRow, input: Change, actor: Actor): number | undefined {
    const answersDcc =
      actor === 'user' && input.comments && current.state === IncidentState.OnHold && current.on_hold_reason === 'awaiting_caller';
    return answersDcc ? IncidentState.InProgress : undefined;
  }

  private moveTo(next: IncidentRow, current: IncidentRow, target: number, input: Change, actor: Actor, now: Date): void {
    if (!isState(target))
      throw new InvalidInput(
        `state ${target} does not exist`,
        'States: 1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled.',
        'state',
      );
    assertTransition(current.state as IncidentState, target, actor);
    const from = current.state as IncidentState;
    if (from === IncidentState.Resolved && target === IncidentState.InProgress) {
      if (actor === 'user' && !input.comments)
        throw new InvalidInput(
          'Say why the resolution does not work, in a comment',
          'Send the comments field with the reason.',
          'comments',
        );
      next.reopen_count = current.reopen_count + 1;
      next.resolved_at = null;
    }
    if (target === IncidentState.OnHold && !next.on_hold_reason)
      throw new InvalidInput('Say why the incident is on hold', `on_hold_reason: one of ${ON_HOLD_REASONS.join(', ')}.`, 'on_hold_reason');
    if (target === IncidentState.Resolved) {
      if (!next.close_notes) throw new InvalidInput('Say how the incident was resolved, in close_notes', '', 'close_notes');
      next.resolved_at = now;
    }
    if (target === IncidentState.Closed || target === IncidentState.Canceled) next.closed_at = now;
    if (target !== IncidentState.OnHold) next.on_hold_reason = null;
    next.state = target;
  }

  private async notifyCaller(tx: Queryable, before: IncidentRow, after: IncidentRow, input: Change): Promise<Delivery[]> {
    const record = { table: 'incident', sysId: after.sys_id };
    const notes: { subject: string; body: string }[] = [];
    if (after.state !== before.state) {
      const detail =
        after.state === IncidentState.OnHold
          ? 'DCC needs information from you: answer with a comment on the incident.'
          : after.state === IncidentState.Resolved
            ? `DCC has resolved it: ${after.close_notes ?? ''} Confirm the resolution, or reject it with a reason, within ${this.core.config.incidents.autoCloseDays} days.`
            : `It is now ${STATE_LABELS[after.state as IncidentState]}.`;
      notes.push({
        subject: `${after.number} is ${STATE_LABELS[after.state as IncidentState]}`,
        body: `${after.number} (${after.short_description}): ${detail}`,
      });
    }
    if (input.comments) notes.push({ subject: `DCC commented on ${after.number}`, body: input.comments });
    const deliveries: Delivery[] = [];
    for (const note of notes) deliveries.push(await recordNotification(this.core, tx, { accountId: after.caller_id, ...note, record }));
    return deliveries;
  }

  private targetFrom(from: Date, priority: number): Date {
    const hours = this.core.config.incidents.targetResolutionHours[String(priority) as '1'];
    return new Date(from.getTime() + hours * 3_600_000);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
