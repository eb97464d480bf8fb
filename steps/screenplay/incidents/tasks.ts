/**
 * Incidents (SM-01, SM-02, SM-03), as a User raises and follows them: each task over the REST API
 * (via-api.ts) and on the portal (in-portal.ts), joined here; plus the tasks that remember what the
 * actor raised. A change of `state` confirms a resolution (Closed), rejects it (In Progress, with the
 * reason as `comments`) or cancels the incident.
 */
import { buildIncident, type IncidentRequest } from '../../../fixtures/incidents';
import type { FsmWorld } from '../../support/world';
import type { Actor } from '../actor';
import { tasksOf } from '../modes';
import { incidentsInPortal } from './in-portal';
import { incidentsViaApi } from './via-api';

export interface IncidentSummary {
  sysId: string;
  number: string;
  shortDescription: string;
  impact: number;
  urgency: number;
  priority: number;
  state: number;
  active: boolean;
  /** Who raised it (sys_created_by): the original raiser for a migrated ticket. */
  raisedBy: string;
  /** When it was raised (sys_created_on), ISO 8601 UTC; '' where the view does not show it (the portal's list). */
  raisedAt: string;
  /** Its Target Resolution Time (SM-03), ISO 8601 UTC; '' when it has none (a migrated ticket). */
  targetResolutionAt: string;
}

export interface IncidentChange {
  impact?: string;
  urgency?: string;
  short_description?: string;
  comments?: string;
  state?: number;
}

export interface IncidentFilter {
  activeOnly?: boolean;
  /** Priority this high or higher (1 is the highest). */
  maxPriority?: number;
  limit?: number;
}

export interface IncidentPage {
  total: number;
  incidents: IncidentSummary[];
}

/** What the actor sees of an incident beyond its fields: the comments, oldest first, and the attached files. */
export interface IncidentDetails {
  comments: string[];
  attachments: string[];
}

export const Incidents = tasksOf(incidentsViaApi, incidentsInPortal);

/** Raises an incident of the scenario's fixture data (with `details`), which the actor then knows as raised. */
export async function raiseIncident(world: FsmWorld, actor: Actor, details: Partial<IncidentRequest>): Promise<IncidentSummary> {
  const request = buildIncident(world.faker, details);
  world.logFixture(`incident raised by ${actor.name}`, request);
  const incident = world.expectSuccess(await Incidents.raise(actor, request), `${actor.name} raising an incident`);
  actor.incidents.push(incident);
  return incident;
}

/** Changes the actor's last incident (`doing`: "commenting on"...), which they then know as the platform now shows it. */
export async function changeOwnIncident(world: FsmWorld, actor: Actor, doing: string, change: IncidentChange): Promise<IncidentSummary> {
  const { sysId, number } = actor.lastIncident;
  const incident = world.expectSuccess(await Incidents.change(actor, sysId, change), `${actor.name} ${doing} ${number}`);
  actor.incidents.splice(-1, 1, incident);
  return incident;
}
