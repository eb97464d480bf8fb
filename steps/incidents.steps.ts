import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { IncidentState } from './screenplay/incidents/states';
import { changeOwnIncident, Incidents, raiseIncident } from './screenplay/incidents/tasks';
import { assumeSetting } from './support/settings';
import type { FsmWorld } from './support/world';

When(
  'the administrator of {string} raises an incident {string} with impact {int} and urgency {int}',
  async function (this: FsmWorld, alias: string, summary: string, impact: number, urgency: number) {
    await raiseIncident(this, this.administratorOf(alias), {
      short_description: summary,
      impact: String(impact),
      urgency: String(urgency),
    });
  },
);

Given('the administrator of {string} has raised an incident {string}', async function (this: FsmWorld, alias: string, summary: string) {
  await raiseIncident(this, this.administratorOf(alias), { short_description: summary });
});

Then('the incident gets a number like INC0010001, in state New', function (this: FsmWorld) {
  const incident = this.lastActor().lastIncident;
  assert.match(incident.number, /^INC\d{7}$/);
  assert.deepEqual({ state: incident.state, active: incident.active }, { state: IncidentState.New, active: true });
});

Then('the incident has priority {int}', function (this: FsmWorld, priority: number) {
  assert.equal(this.lastActor().lastIncident.priority, priority);
});

When(
  'the administrator of {string} changes the urgency of their incident to {int}',
  async function (this: FsmWorld, alias: string, urgency: number) {
    await changeOwnIncident(this, this.administratorOf(alias), 'changing the urgency of', { urgency: String(urgency) });
  },
);

/** SM-03: the example's hours are the assumed defaults; the simulator's configuration and the clock must agree with them. */
Then('its Target Resolution Time is {int} hours after it was raised', function (this: FsmWorld, hours: number) {
  const incident = this.lastActor().lastIncident;
  assumeSetting(
    this,
    `incidents.targetResolutionHours for Category ${incident.priority}`,
    (config) => config.incidents.targetResolutionHours[String(incident.priority) as '1'],
    hours,
  );
  assert.equal(
    (Date.parse(incident.targetResolutionAt) - Date.parse(incident.raisedAt)) / 3_600_000,
    hours,
    `Raised ${incident.raisedAt}, due ${incident.targetResolutionAt}`,
  );
});

Then("it was raised at the time the platform's clock shows", async function (this: FsmWorld) {
  const { raisedAt } = this.lastActor().lastIncident;
  const now = Date.parse((await this.control.clock()).now);
  // The portal shows minutes: the time raised, as shown, is within the minute before the clock's.
  assert.ok(
    Date.parse(raisedAt) <= now && now - Date.parse(raisedAt) < 60_000,
    `Raised ${raisedAt}; the platform's clock shows ${new Date(now).toISOString()}`,
  );
});

Then(
  'it heads their list of active incidents of priority {int} or higher, which counts {int} incident(s)',
  async function (this: FsmWorld, priority: number, count: number) {
    const actor = this.lastActor();
    const page = await Incidents.list(actor, { activeOnly: true, maxPriority: priority, limit: 1 });
    assert.deepEqual({ first: page.incidents[0]?.number, total: page.total }, { first: actor.lastIncident.number, total: count });
  },
);

When('the administrator of {string} opens the incident of {string}', async function (this: FsmWorld, alias: string, owner: string) {
  const incident = this.administratorOf(owner).lastIncident;
  this.remember(await Incidents.open(this.administratorOf(alias), incident.sysId), `Opening ${incident.number}`);
});

When(
  'the administrator of {string} tries to raise the urgency of the incident of {string}',
  async function (this: FsmWorld, alias: string, owner: string) {
    const incident = this.administratorOf(owner).lastIncident;
    this.remember(await Incidents.change(this.administratorOf(alias), incident.sysId, { urgency: '1' }), `Changing ${incident.number}`);
  },
);

Then('they are told there is no such record', function (this: FsmWorld) {
  const refusal = this.takeRefusal();
  assert.deepEqual({ status: refusal.status, message: refusal.message.split(':')[0] }, { status: 404, message: 'No Record found' });
});

Then(
  'the incident of {string} is not in the list of the administrator of {string}',
  async function (this: FsmWorld, owner: string, alias: string) {
    const page = await Incidents.list(this.administratorOf(alias), {});
    const number = this.administratorOf(owner).lastIncident.number;
    assert.ok(!page.incidents.some((i) => i.number === number), `${number} is listed for ${alias}`);
  },
);

Then('the incident of {string} is unchanged', async function (this: FsmWorld, owner: string) {
  const actor = this.administratorOf(owner);
  assert.deepEqual(this.expectSuccess(await Incidents.open(actor, actor.lastIncident.sysId), 'Reopening the incident'), actor.lastIncident);
});
