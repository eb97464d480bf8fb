import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { sampleFile } from '../fixtures/files';
import { IncidentState, stateOfLabel } from './screenplay/incidents/states';
import type { FsmWorld } from './support/world';


When('the administrator of {string} comments {string} on their incident', async function (this: FsmWorld, alias: string, text: string) {
  const admin = this.administratorOf(alias);
  this.expectSuccess(await admin.fsm.changeIncident(admin.lastIncident.sysId, { comments: text }), 'Commenting on the incident');
});

When('the administrator of {string} attaches the file {string} to their incident', async function (this: FsmWorld, alias: string, name: string) {
  const admin = this.administratorOf(alias);
  this.expectSuccess(await admin.fsm.attachToIncident(admin.lastIncident.sysId, sampleFile(name)), `Attaching ${name}`);
});

Then('their incident shows the comment {string}', async function (this: FsmWorld, text: string) {
  const actor = this.lastActor();
  assert.ok((await actor.fsm.incidentDetails(actor.lastIncident.sysId)).comments.includes(text));
});

Then('their incident has the attachment {string}', async function (this: FsmWorld, name: string) {
  const actor = this.lastActor();
  assert.deepEqual((await actor.fsm.incidentDetails(actor.lastIncident.sysId)).attachments, [name]);
});

Then('their incident is {incidentState}', async function (this: FsmWorld, state: string) {
  const actor = this.lastActor();
  const now = this.expectSuccess(await actor.fsm.openIncident(actor.lastIncident.sysId), 'Opening the incident');
  assert.equal(now.state, stateOfLabel(state), `The incident is in state ${now.state}`);
});

Given('DCC\'s service desk has put the incident of {string} on hold, asking {string}', async function (this: FsmWorld, alias: string, question: string) {
  const incident = this.party(alias).administrator.lastIncident;
  await this.control.serviceDesk(incident.sysId, { state: 2 });
  await this.control.serviceDesk(incident.sysId, { state: 3, on_hold_reason: 'awaiting_caller', comments: question });
});

Given('DCC\'s service desk has resolved the incident of {string} with {string}', async function (this: FsmWorld, alias: string, notes: string) {
  const incident = this.party(alias).administrator.lastIncident;
  await this.control.serviceDesk(incident.sysId, { state: 2 });
  await this.control.serviceDesk(incident.sysId, { state: 6, close_notes: notes });
});

When('DCC\'s service desk comments {string} on the incident of {string}', async function (this: FsmWorld, text: string, alias: string) {
  await this.control.serviceDesk(this.party(alias).administrator.lastIncident.sysId, { comments: text });
});

When('the administrator of {string} confirms the resolution of their incident', async function (this: FsmWorld, alias: string) {
  const admin = this.administratorOf(alias);
  this.expectSuccess(await admin.fsm.changeIncident(admin.lastIncident.sysId, { state: IncidentState.Closed }), 'Confirming the resolution');
});

When('the administrator of {string} rejects the resolution of their incident because {string}', async function (this: FsmWorld, alias: string, reason: string) {
  const admin = this.administratorOf(alias);
  this.expectSuccess(await admin.fsm.changeIncident(admin.lastIncident.sysId, { state: IncidentState.InProgress, comments: reason }), 'Rejecting the resolution');
});

When('{int} days pass on the platform', async function (this: FsmWorld, days: number) {
  await this.control.changeClock({ advance: `P${days}D` });
});

Then('the administrator of {string} has a notification that their incident is {incidentState}', async function (this: FsmWorld, alias: string, state: string) {
  const admin = this.administratorOf(alias);
  const subjects = (await admin.fsm.notifications()).map((n) => n.subject);
  assert.ok(subjects.includes(`${admin.lastIncident.number} is ${state}`), `Notifications: ${subjects.join('; ')}`);
});

Then('the administrator of {string} has a notification {string} in the SSI', async function (this: FsmWorld, alias: string, text: string) {
  const subjects = (await this.administratorOf(alias).fsm.notifications()).map((n) => n.subject);
  assert.ok(subjects.some((s) => s.includes(text)), `Notifications: ${subjects.join('; ')}`);
});

Given('the administrator of {string} has turned email copies off', async function (this: FsmWorld, alias: string) {
  this.expectSuccess(await this.administratorOf(alias).fsm.setEmailCopies(false), 'Turning email copies off');
});

Then('the administrator of {string} has an email {string}', async function (this: FsmWorld, alias: string, text: string) {
  const subjects = (await this.administratorOf(alias).inbox.read()).map((m) => m.subject);
  assert.ok(subjects.some((s) => s.includes(text)), `Emails: ${subjects.join('; ')}`);
});

Then('the administrator of {string} has no email {string}', async function (this: FsmWorld, alias: string, text: string) {
  const subjects = (await this.administratorOf(alias).inbox.read()).map((m) => m.subject);
  assert.deepEqual(subjects.filter((s) => s.includes(text)), []);
});
