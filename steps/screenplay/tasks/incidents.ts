/** Tasks on incidents, as a User performs them (SM-01, SM-02, SM-03). */
import { buildIncident, type IncidentRequest } from '../../../fixtures/incidents';
import type { FsmWorld } from '../../support/world';
import type { IncidentChange, IncidentSummary } from '../abilities/use-fsm';
import type { Actor } from '../actor';

export async function raiseIncident(world: FsmWorld, actor: Actor, details: Partial<IncidentRequest>): Promise<IncidentSummary> {
  const request = buildIncident(world.faker, details);
  world.logFixture(`incident raised by ${actor.name}`, request);
  const outcome = await actor.fsm.raiseIncident(request);
  const incident = world.expectSuccess(outcome, `${actor.name} raising an incident`);
  actor.incidents.push(incident);
  return incident;
}

/** Changes the actor's last incident, which they then know as the platform now shows it. */
export async function changeOwnIncident(world: FsmWorld, actor: Actor, change: IncidentChange): Promise<IncidentSummary> {
  const { sysId, number } = actor.lastIncident;
  const incident = world.expectSuccess(await actor.fsm.changeIncident(sysId, change), `${actor.name} changing ${number}`);
  actor.incidents.splice(-1, 1, incident);
  return incident;
}
