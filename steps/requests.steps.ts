import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { Given, Then, When } from '@cucumber/cucumber';
import { buildAdtFile, buildQcaFile, signFile } from '../fixtures/signed-files';
import type { FsmWorld } from './support/world';

const ADT_ITEM = 'ADT threshold submission';
const QCA_ITEM = 'Quarantine Command Action';

Given('the administrator of {string} gives themselves the roles {listOfWords}', async function (this: FsmWorld, alias: string, roles: string[]) {
  const party = this.party(alias);
  this.expectSuccess(await this.administratorOf(alias).fsm.changeUser(party.onboarded.administrator.sysId, { roles }), 'Changing their own roles');
});

When('the administrator of {string} submits a signed ADT file for the party\'s User IDs', async function (this: FsmWorld, alias: string) {
  const csv = buildAdtFile(this.faker, this.party(alias).onboarded.party.userIds ?? []);
  this.lastRequest = this.expectSuccess(await this.administratorOf(alias).fsm.submitSignedFile(ADT_ITEM, { name: 'adt.csv', csv, signature: signFile(csv) }), 'Submitting the ADT file');
});

When('the administrator of {string} submits an ADT file signed with another key', async function (this: FsmWorld, alias: string) {
  const csv = buildAdtFile(this.faker, this.party(alias).onboarded.party.userIds ?? []);
  const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  this.lastRequest = this.expectSuccess(await this.administratorOf(alias).fsm.submitSignedFile(ADT_ITEM, { name: 'adt.csv', csv, signature: signFile(csv, other) }), 'Submitting the ADT file');
});

When('the administrator of {string} submits a signed ADT file whose row {int} names another party\'s User ID', async function (this: FsmWorld, alias: string, row: number) {
  const own = this.party(alias).onboarded.party.userIds ?? [];
  const rows = Array.from({ length: row - 1 }, (_, i) => ({ userId: i === row - 2 ? '11-22-33-44-55-66-77-88' : own[0], thresholdType: i % 2 ? 'User Quarantine' : 'User Warning' }));
  const csv = buildAdtFile(this.faker, own, rows);
  this.lastRequest = this.expectSuccess(await this.administratorOf(alias).fsm.submitSignedFile(ADT_ITEM, { name: 'adt.csv', csv, signature: signFile(csv) }), 'Submitting the ADT file');
});

Given('DCC has raised a quarantine incident for {string}', async function (this: FsmWorld, alias: string) {
  const party = this.party(alias);
  const raised = await this.control.raiseQuarantine(party.onboarded.party.id, 'Messages from your User ID were quarantined.');
  const incident = this.expectSuccess(await party.administrator.fsm.openIncident(raised.sys_id), 'Opening the quarantine incident');
  party.administrator.incidents.push(incident);
});

When('the administrator of {string} answers the quarantine with a signed Quarantine Command Action to {word} the messages', async function (this: FsmWorld, alias: string, action: string) {
  const admin = this.administratorOf(alias);
  const csv = buildQcaFile([`MSG-${this.tag}-0001`], action === 'release' ? 'release' : 'delete');
  const outcome = await admin.fsm.submitSignedFile(QCA_ITEM, { name: 'qca.csv', csv, signature: signFile(csv) }, { incident_number: admin.lastIncident.number });
  this.lastRequest = this.expectSuccess(outcome, 'Submitting the Quarantine Command Action');
});

Then('the request is accepted and passed to DCC', function (this: FsmWorld) {
  assert.deepEqual({ state: this.request().state, reason: this.request().rejectionReason }, { state: 'in_progress', reason: '' });
});

Then('the request is rejected because {string}', function (this: FsmWorld, reason: string) {
  assert.equal(this.request().state, 'rejected');
  assert.ok(this.request().rejectionReason.includes(reason), `The platform said: ${this.request().rejectionReason}`);
});

Then('the request is rejected, row {int} because {string}', function (this: FsmWorld, row: number, reason: string) {
  assert.equal(this.request().state, 'rejected');
  const problem = this.request().rowProblems.find((p) => p.row === row);
  assert.ok(problem?.reason.includes(reason), `Row problems: ${JSON.stringify(this.request().rowProblems)}`);
});
