import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { Given, Then, When } from '@cucumber/cucumber';
import { buildAdtFile, buildQcaFile } from '../fixtures/signed-files';
import { Incidents } from './screenplay/incidents/tasks';
import { RequestNotes, submitSignedFile } from './screenplay/requests/tasks';
import { Users } from './screenplay/users/tasks';
import type { FsmWorld } from './support/world';

Given(
  'the administrator of {string} gives themselves the roles {listOfWords}',
  async function (this: FsmWorld, alias: string, roles: string[]) {
    this.expectSuccess(
      await Users.change(this.administratorOf(alias), this.administratorSysId(alias), { roles }),
      'Changing their own roles',
    );
  },
);

When("the administrator of {string} submits a signed ADT file for the party's User IDs", async function (this: FsmWorld, alias: string) {
  await submitSignedFile(
    this,
    this.administratorOf(alias),
    'ADT',
    buildAdtFile(this.faker, this.party(alias).onboarded.party.userIds ?? []),
  );
});

When('the administrator of {string} submits an ADT file signed with another key', async function (this: FsmWorld, alias: string) {
  const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await submitSignedFile(
    this,
    this.administratorOf(alias),
    'ADT',
    buildAdtFile(this.faker, this.party(alias).onboarded.party.userIds ?? []),
    { otherKey },
  );
});

When(
  "the administrator of {string} submits a signed ADT file whose row {int} names another party's User ID",
  async function (this: FsmWorld, alias: string, row: number) {
    const own = this.party(alias).onboarded.party.userIds ?? [];
    const rows = Array.from({ length: row - 1 }, (_, i) => ({
      userId: i === row - 2 ? '11-22-33-44-55-66-77-88' : own[0],
      thresholdType: i % 2 ? 'User Quarantine' : 'User Warning',
    }));
    await submitSignedFile(this, this.administratorOf(alias), 'ADT', buildAdtFile(this.faker, own, rows));
  },
);

Given('DCC has raised a quarantine incident for {string}', async function (this: FsmWorld, alias: string) {
  const party = this.party(alias);
  const raised = await this.control.raiseQuarantine(party.onboarded.party.id, 'Messages from your User ID were quarantined.');
  const incident = this.expectSuccess(await Incidents.open(party.administrator, raised.sys_id), 'Opening the quarantine incident');
  party.administrator.incidents.push(incident);
});

When(
  'the administrator of {string} answers the quarantine with a signed Quarantine Command Action to {word} the messages',
  async function (this: FsmWorld, alias: string, action: string) {
    const admin = this.administratorOf(alias);
    const csv = buildQcaFile([`MSG-${this.tag}-0001`], action === 'release' ? 'release' : 'delete');
    await submitSignedFile(this, admin, 'QCA', csv, { variables: { incident_number: admin.lastIncident.number } });
  },
);

Then('the request is accepted and passed to DCC', function (this: FsmWorld) {
  const { state, rejectionReason } = this.notes.of(RequestNotes).request;
  assert.deepEqual({ state, reason: rejectionReason }, { state: 'in_progress', reason: '' });
});

Then('the request is rejected because {string}', function (this: FsmWorld, reason: string) {
  const { state, rejectionReason } = this.notes.of(RequestNotes).request;
  assert.ok(state === 'rejected' && rejectionReason.includes(reason), `The request is ${state}; the platform said: ${rejectionReason}`);
});

Then('the request is rejected, row {int} because {string}', function (this: FsmWorld, row: number, reason: string) {
  const { state, rowProblems } = this.notes.of(RequestNotes).request;
  assert.ok(
    state === 'rejected' && rowProblems.find((p) => p.row === row)?.reason.includes(reason),
    `The request is ${state}; row problems: ${JSON.stringify(rowProblems)}`,
  );
});
