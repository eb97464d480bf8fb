/**
 * What the caller is told when DCC's service desk changes their incident: a notification (and an
 * email copy, if they want one) for a new state and for each comment, delivered once the change commits.
 */
import { IncidentState, STATE_LABELS } from '../domain/incident';
import type { Queryable } from '../store/db';
import type { IncidentRow } from '../store/incidents';
import type { Core } from './context';
import { recordNotification } from './notifications';

/** Sends the email copy of a notification recorded in the transaction; called once it has committed. */
export type Delivery = () => Promise<void>;

export async function noticesToCaller(
  core: Core,
  tx: Queryable,
  before: IncidentRow,
  after: IncidentRow,
  input: { comments?: string },
): Promise<Delivery[]> {
  const record = { table: 'incident', sysId: after.sys_id };
  const notes: { subject: string; body: string }[] = [];
  if (after.state !== before.state) {
    const detail =
      after.state === IncidentState.OnHold
        ? 'DCC needs information from you: answer with a comment on the incident.'
        : after.state === IncidentState.Resolved
          ? `DCC has resolved it: ${after.close_notes ?? ''} Confirm the resolution, or reject it with a reason, within ${core.config.incidents.autoCloseDays} days.`
          : `It is now ${STATE_LABELS[after.state as IncidentState]}.`;
    notes.push({
      subject: `${after.number} is ${STATE_LABELS[after.state as IncidentState]}`,
      body: `${after.number} (${after.short_description}): ${detail}`,
    });
  }
  if (input.comments) notes.push({ subject: `DCC commented on ${after.number}`, body: input.comments });
  const deliveries: Delivery[] = [];
  for (const note of notes) deliveries.push(await recordNotification(core, tx, { accountId: after.caller_id, ...note, record }));
  return deliveries;
}
