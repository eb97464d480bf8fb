/**
 * Incident rules in ServiceNow's shape: impact × urgency → priority (= SEC Incident Category),
 * the state model and who may move an incident between states.
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
