import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { sampleFile } from '../fixtures/files';
import { IncidentState, stateOfLabel } from './screenplay/incidents/states';
import { changeOwnIncident, Incidents } from './screenplay/incidents/tasks';
import { Notifications } from './screenplay/notifications/tasks';
import type { FsmWorld } from './support/world';

When('the administrator of {string} comments {string} on their incident', async function (this: FsmWorld, alias: string, text: string) {
  await changeOwnIncident(this, this.administratorOf(alias), 'commenting on', { comments: text });
});

When(
  'the administrator of {string} attaches the file {string} to their incident',
  async function (this: FsmWorld, alias: string, name: string) {
    const admin = this.administratorOf(alias);
    this.expectSuccess(await Incidents.attach(admin, admin.lastIncident.sysId, sampleFile(name)), `Attaching ${name}`);
  },
);

Then('their incident shows the comment {string}', async function (this: FsmWorld, text: string) {
  const actor = this.lastActor();
  assert.ok((await Incidents.details(actor, actor.lastIncident.sysId)).comments.includes(text));
});

Then('their incident has the attachment {string}', async function (this: FsmWorld, name: string) {
  const actor = this.lastActor();
  assert.deepEqual((await Incidents.details(actor, actor.lastIncident.sysId)).attachments, [name]);
});

Then('their incident is {incidentState}', async function (this: FsmWorld, state: string) {
  const actor = this.lastActor();
  const now = this.expectSuccess(await Incidents.open(actor, actor.lastIncident.sysId), 'Opening the incident');
  assert.equal(now.state, stateOfLabel(state), `The incident is in state ${now.state}`);
});

Given(
  "DCC's service desk has put the incident of {string} on hold, asking {string}",
  async function (this: FsmWorld, alias: string, question: string) {
    const incident = this.party(alias).administrator.lastIncident;
    await this.control.serviceDesk(incident.sysId, { state: 2 });
    await this.control.serviceDesk(incident.sysId, { state: 3, on_hold_reason: 'awaiting_caller', comments: question });
  },
);

Given(
  "DCC's service desk has resolved the incident of {string} with {string}",
  async function (this: FsmWorld, alias: string, notes: string) {
    const incident = this.party(alias).administrator.lastIncident;
    await this.control.serviceDesk(incident.sysId, { state: 2 });
    await this.control.serviceDesk(incident.sysId, { state: 6, close_notes: notes });
  },
);

When("DCC's service desk comments {string} on the incident of {string}", async function (this: FsmWorld, text: string, alias: string) {
  await this.control.serviceDesk(this.party(alias).administrator.lastIncident.sysId, { comments: text });
});

When('the administrator of {string} confirms the resolution of their incident', async function (this: FsmWorld, alias: string) {
  await changeOwnIncident(this, this.administratorOf(alias), 'confirming the resolution of', { state: IncidentState.Closed });
});

When(
  'the administrator of {string} rejects the resolution of their incident because {string}',
  async function (this: FsmWorld, alias: string, reason: string) {
    await changeOwnIncident(this, this.administratorOf(alias), 'rejecting the resolution of', {
      state: IncidentState.InProgress,
      comments: reason,
    });
  },
);

When('{int} days pass on the platform', async function (this: FsmWorld, days: number) {
  await this.control.changeClock({ advance: `P${days}D` });
});

Then(
  'the administrator of {string} has a notification that their incident is {incidentState}',
  async function (this: FsmWorld, alias: string, state: string) {
    const admin = this.administratorOf(alias);
    const subjects = (await Notifications.list(admin)).map((n) => n.subject);
    assert.ok(subjects.includes(`${admin.lastIncident.number} is ${state}`), `Notifications: ${subjects.join('; ')}`);
  },
);

Then('the administrator of {string} has a notification {string} in the SSI', async function (this: FsmWorld, alias: string, text: string) {
  const subjects = (await Notifications.list(this.administratorOf(alias))).map((n) => n.subject);
  assert.ok(
    subjects.some((s) => s.includes(text)),
    `Notifications: ${subjects.join('; ')}`,
  );
});

When('the administrator of {string} marks the notification {string} as read', async function (this: FsmWorld, alias: string, text: string) {
  this.expectSuccess(await Notifications.markRead(this.administratorOf(alias), text), `Marking "${text}" as read`);
});

Then('the administrator of {string} has no unread notification {string}', async function (this: FsmWorld, alias: string, text: string) {
  const unread = (await Notifications.list(this.administratorOf(alias))).filter((n) => !n.read).map((n) => n.subject);
  assert.deepEqual(
    unread.filter((s) => s.includes(text)),
    [],
    `Unread: ${unread.join('; ')}`,
  );
});

Given('the administrator of {string} has turned email copies off', async function (this: FsmWorld, alias: string) {
  this.expectSuccess(await Notifications.setEmailCopies(this.administratorOf(alias), false), 'Turning email copies off');
});

Then('the administrator of {string} has an email {string}', async function (this: FsmWorld, alias: string, text: string) {
  const subjects = (await this.administratorOf(alias).inbox.read()).map((m) => m.subject);
  assert.ok(
    subjects.some((s) => s.includes(text)),
    `Emails: ${subjects.join('; ')}`,
  );
});

Then('the administrator of {string} has no email {string}', async function (this: FsmWorld, alias: string, text: string) {
  const subjects = (await this.administratorOf(alias).inbox.read()).map((m) => m.subject);
  assert.deepEqual(
    subjects.filter((s) => s.includes(text)),
    [],
  );
});
