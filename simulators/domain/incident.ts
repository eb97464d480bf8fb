/**
 * Incident rules in ServiceNow's shape: impact × urgency → priority (= SEC Incident Category),
 * the state model, who may move an incident between states and what each move sets.
 */
import { Conflict, InvalidInput } from './errors';

export const IncidentState = {
  New: 1,
  InProgress: 2,
  OnHold: 3,
  Resolved: 6,
  Closed: 7,
  Canceled: 8,
} as const;
export type IncidentState = (typeof IncidentState)[keyof typeof IncidentState];

export const STATE_LABELS: Record<IncidentState, string> = {
  1: 'New',
  2: 'In Progress',
  3: 'On Hold',
  6: 'Resolved',
  7: 'Closed',
  8: 'Canceled',
};

/** The state number of a label as the platform shows it ("In Progress" → 2), or undefined. */
export function stateOfLabel(label: string): IncidentState | undefined {
  const found = Object.entries(STATE_LABELS).find(([, shown]) => shown === label);
  return found ? (Number(found[0]) as IncidentState) : undefined;
}

export const ON_HOLD_REASONS = ['awaiting_caller', 'awaiting_change', 'awaiting_problem', 'awaiting_vendor'] as const;
export type OnHoldReason = (typeof ON_HOLD_REASONS)[number];

/** 1 High, 2 Medium, 3 Low. */
export type Level = 1 | 2 | 3;

/** ServiceNow's default priority lookup: rows are impact, columns urgency. */
const PRIORITY_MATRIX: readonly (readonly [number, number, number])[] = [
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
];

export function priorityOf(impact: Level, urgency: Level): number {
  const row = PRIORITY_MATRIX[impact - 1];
  const priority = row?.[urgency - 1];
  if (priority === undefined) throw new InvalidInput('impact and urgency must each be 1 (High), 2 (Medium) or 3 (Low)');
  return priority;
}

export function isState(value: number): value is IncidentState {
  return Object.values(IncidentState).includes(value as IncidentState);
}

/** `user` is a person of the raising party; `service_desk` is DCC. */
export type Actor = 'user' | 'service_desk';

/**
 * Legal transitions and who may make them. A User may cancel what DCC has not started, and confirm
 * (close) or reject (back to In Progress) a resolution; DCC's service desk works the incident.
 */
const TRANSITIONS: Record<IncidentState, Partial<Record<IncidentState, readonly Actor[]>>> = {
  1: { 2: ['service_desk'], 3: ['service_desk'], 6: ['service_desk'], 8: ['user', 'service_desk'] },
  2: { 3: ['service_desk'], 6: ['service_desk'], 8: ['service_desk'] },
  3: { 2: ['user', 'service_desk'], 6: ['service_desk'], 8: ['service_desk'] },
  6: { 2: ['user', 'service_desk'], 7: ['user', 'service_desk'] },
  7: {},
  8: {},
};

/**
 * DCC's service desk may set In Progress or On Hold again while it works an incident; any other move
 * to the state an incident is in already was made before (a second confirmation, rejection or
 * resolution, sent twice or by two people at once) and is refused rather than counted again.
 */
export function assertTransition(from: IncidentState, to: IncidentState, actor: Actor): void {
  if (from === to) {
    if (actor === 'service_desk' && (to === IncidentState.InProgress || to === IncidentState.OnHold)) return;
    throw new Conflict(`The incident is already ${STATE_LABELS[to]}`, 'Someone may have just changed it: look at it again.', 'state');
  }
  const allowed = TRANSITIONS[from][to];
  if (!allowed) {
    throw new Conflict(
      `An incident cannot move from ${STATE_LABELS[from]} to ${STATE_LABELS[to]}`,
      `From ${STATE_LABELS[from]} it can move to: ${legalTargets(from).join(', ') || 'nothing (it is final)'}.`,
      'state',
    );
  }
  if (!allowed.includes(actor)) {
    throw new Conflict(`Only DCC's service desk can move an incident from ${STATE_LABELS[from]} to ${STATE_LABELS[to]}`, '', 'state');
  }
}

function legalTargets(from: IncidentState): string[] {
  return Object.keys(TRANSITIONS[from]).map((s) => STATE_LABELS[Number(s) as IncidentState]);
}

export function isActive(state: IncidentState): boolean {
  return state !== IncidentState.Closed && state !== IncidentState.Canceled;
}

/** The fields of an incident the state rules read and set (the store's row has these and more). */
export interface IncidentLifecycle {
  number: string;
  state: number;
  on_hold_reason: string | null;
  close_notes: string | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  reopen_count: number;
}

/** A closed or canceled incident is final: no field, state or comment of it changes any more. */
export function assertChangeable(current: Pick<IncidentLifecycle, 'number' | 'state'>): void {
  if (isActive(current.state as IncidentState)) return;
  throw new Conflict(
    `${current.number} is ${current.state === IncidentState.Closed ? 'closed' : 'canceled'} and can no longer change`,
    'Raise a new incident and mention this one.',
    'state',
  );
}

/** A User's comment on an incident on hold awaiting them answers DCC: it goes back to In Progress. */
export function impliedState(current: IncidentLifecycle, input: { comments?: string }, actor: Actor): IncidentState | undefined {
  const answersDcc =
    actor === 'user' && input.comments && current.state === IncidentState.OnHold && current.on_hold_reason === 'awaiting_caller';
  return answersDcc ? IncidentState.InProgress : undefined;
}

/**
 * Moves `next` (the incident with the change's fields applied) from `current`'s state to `target`.
 * An illegal move, or one without the reason it needs (a User's comment to reject a resolution, an
 * on-hold reason, close notes), is refused; a move sets what it implies (reopen count, resolution
 * and closing times, clearing the on-hold reason).
 */
export function moveTo(
  next: IncidentLifecycle,
  current: IncidentLifecycle,
  target: number,
  input: { comments?: string },
  actor: Actor,
  now: Date,
): void {
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
      throw new InvalidInput('Say why the resolution does not work, in a comment', 'Send the comments field with the reason.', 'comments');
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
