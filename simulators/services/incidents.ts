/**
 * Incidents as a User and DCC's service desk work them (SM-01, SM-02, SM-03): raised in a party,
 * seen and changed only there, every change checked against the state model and the caller's
 * Functional Components; comments and work notes in the journal; the User answers DCC, confirms or
 * rejects a resolution; an unanswered resolution closes itself after the configured days.
 * What may be sent is in incident-input.ts, the state rules in domain/incident.ts, what the caller
 * is told in incident-notices.ts and the auto-close sweep in incident-sweep.ts.
 */
import { Forbidden, InvalidInput, NotFound } from '../domain/errors';
import { formatNumber, formatNumberSql, newSysId, SYS_ID } from '../domain/ids';
import { assertChangeable, impliedState, isActive, IncidentState, moveTo, priorityOf, type Actor, type Level } from '../domain/incident';
import { findAccount } from '../store/accounts';
import type { Queryable } from '../store/db';
import {
  findAnyIncident,
  findIncident,
  insertIncident,
  insertIncidentAsSql,
  nextIncidentSequence,
  updateIncident,
  type IncidentDraft,
  type IncidentRow,
} from '../store/incidents';
import { insertJournalEntry } from '../store/journal';
import type { Caller, Core } from './context';
import { CreateIncident, DeskChange, UserChange, type IncidentChange } from './incident-input';
import { noticesToCaller, type Delivery } from './incident-notices';
import { AutoCloseSweep } from './incident-sweep';
import { parseInput } from './validate';

export class IncidentService {
  private readonly autoClose: AutoCloseSweep;

  constructor(private readonly core: Core) {
    this.autoClose = new AutoCloseSweep(core);
  }

  /** Raising and changing incidents needs this component: the portal asks before it shows a form. */
  assertMayChange(caller: Caller): void {
    this.core.roles.require(caller.roles, 'incidents.write');
  }

  async raise(caller: Caller, body: unknown): Promise<IncidentRow> {
    this.assertMayChange(caller);
    const input = parseInput(CreateIncident, body);
    const callerId = input.caller_id ?? caller.accountId;
    return this.core.db.transaction(async (tx) => {
      if (callerId !== caller.accountId) {
        const other = await findAccount(tx, callerId);
        if (!other || other.party_id !== caller.partyId) throw new InvalidInput('caller_id is not a user of your party', '', 'caller_id');
      }
      const row: IncidentRow = {
        ...this.draft(input),
        number: formatNumber('INC', await nextIncidentSequence(tx)),
        party_id: caller.partyId,
        caller_id: callerId,
        sys_created_by: caller.username,
        sys_updated_by: caller.username,
      };
      await insertIncident(tx, row);
      return row;
    });
  }

  /**
   * `raise` as one statement run as whoever asks (RecordService.create), where `may` holds; undefined
   * for an incident raised for someone else (caller_id), whose account is checked first.
   */
  raiseAs(body: unknown, may: (bind: (value: unknown) => string) => string): ((bind: (value: unknown) => string) => string) | undefined {
    const input = parseInput(CreateIncident, body);
    if (input.caller_id !== undefined) return undefined;
    const draft = this.draft(input);
    return (bind) => insertIncidentAsSql(draft, (sequence) => formatNumberSql('INC', sequence), may(bind), bind);
  }

  /** A new incident's fields but those of who raises it: the same whichever way it is raised. */
  private draft(input: ReturnType<typeof CreateIncident.parse>): IncidentDraft {
    const now = this.core.clock.now();
    const priority = priorityOf(input.impact, input.urgency);
    return {
      sys_id: newSysId(),
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
      sys_updated_on: now,
      sys_mod_count: 0,
    };
  }

  /** A User's change: fields, a comment, cancelling, confirming or rejecting a resolution. */
  async update(caller: Caller, sysId: string, body: unknown): Promise<IncidentRow> {
    this.assertMayChange(caller);
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

  /** Closes resolutions left unanswered past the configured days; run before reads and changes. */
  sweep(): Promise<void> {
    return this.autoClose.run();
  }

  private async change(
    load: (tx: Queryable) => Promise<IncidentRow | undefined>,
    input: IncidentChange,
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
      if (actor === 'service_desk') deliveries.push(...(await noticesToCaller(this.core, tx, current, row, input)));
      return row;
    });
    for (const deliver of deliveries) await deliver();
    return next;
  }

  private apply(current: IncidentRow, input: IncidentChange, actor: Actor, by: string): IncidentRow {
    assertChangeable(current);
    const now = this.core.clock.now();
    const { comments: _c, work_notes: _w, state, ...fields } = input;
    const next: IncidentRow = {
      ...current,
      ...stripUndefined(fields),
      sys_updated_on: now,
      sys_updated_by: by,
      sys_mod_count: current.sys_mod_count + 1,
    } as IncidentRow;
    const target = state ?? impliedState(current, input, actor);
    // An explicit state is always checked, even the one the incident is in: a move made twice is refused.
    if (target !== undefined) moveTo(next, current, target, input, actor, now);
    next.priority = priorityOf(next.impact as Level, next.urgency as Level);
    if (next.priority !== current.priority) next.target_resolution_at = this.targetFrom(current.sys_created_on, next.priority);
    next.active = isActive(next.state as IncidentState);
    return next;
  }

  private targetFrom(from: Date, priority: number): Date {
    const hours = this.core.config.incidents.targetResolutionHours[String(priority) as '1'];
    return new Date(from.getTime() + hours * 3_600_000);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
