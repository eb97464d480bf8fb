/** Tasks on incidents, as a User performs them (SM-01, SM-02). */
import { buildIncident, type IncidentRequest } from '../../../fixtures/incidents';
import type { FsmWorld } from '../../support/world';
import type { IncidentSummary } from '../abilities/use-fsm';
import type { Actor } from '../actor';

export async function raiseIncident(world: FsmWorld, actor: Actor, details: Partial<IncidentRequest>): Promise<IncidentSummary> {
  const outcome = await actor.fsm.raiseIncident(buildIncident(world.faker, details));
  const incident = world.expectSuccess(outcome, `${actor.name} raising an incident`);
  actor.incidents.push(incident);
  return incident;
}
