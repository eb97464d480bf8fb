import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { Actor } from './screenplay/actor';
import { IncidentState } from './screenplay/incidents/states';
import type { FsmWorld } from './support/world';

/** Legacy IDs and addresses of migrated people, made unique per scenario. */
function migrated(world: FsmWorld, alias: string, name: string) {
  const domain = world.party(alias).administrator.username.split('@')[1] ?? 'example.com';
  return { legacy_id: `DSMS-${name.toUpperCase()}`, email: `${name.toLowerCase()}.${world.tag}@${domain}`, name };
}

Given('DCC has migrated the accounts of {string} and {string} of {string} from DSMS, with a historic ticket raised by {string}', async function (this: FsmWorld, first: string, second: string, alias: string, raiser: string) {
  const accounts = [migrated(this, alias, first), migrated(this, alias, second)];
  const ticket = { legacy_number: `IM${this.faker.string.numeric(8)}`, raised_by: `DSMS-${raiser.toUpperCase()}`, short_description: 'Meter offline (from DSMS)', opened_at: '2025-03-01T09:00:00Z', closed_at: '2025-03-02T10:00:00Z' };
  await this.control.importDsmsExport({ party_id: this.party(alias).onboarded.party.id, snapshot: 'initial', accounts, tickets: [ticket] });
  const control = this.control;
  for (const a of accounts) {
    const actor = new Actor(`"${a.name}"`, a.email, '', this.newFsmAbility(), this.faker, { read: () => control.mailbox(a.email) }, control.timeSource());
    this.users.set(a.name, { actor, sysId: '' });
  }
});

Then('the administrator of {string} sees {string} and {string} waiting for review, inactive', async function (this: FsmWorld, alias: string, first: string, second: string) {
  const users = await this.administratorOf(alias).fsm.users();
  const waiting = users.filter((u) => u.migrationReview === 'pending' && !u.active).map((u) => u.name);
  assert.deepEqual(waiting.sort(), [first, second].sort());
  for (const u of users) {
    const known = this.users.get(u.name);
    if (known) known.sysId = u.sysId;
  }
});

Then('the historic ticket is closed and attributed to {string}', async function (this: FsmWorld, name: string) {
  const page = await this.lastActor().fsm.listIncidents({});
  const ticket = page.incidents.find((i) => i.shortDescription === 'Meter offline (from DSMS)');
  assert.deepEqual(ticket && { state: ticket.state, raisedBy: ticket.raisedBy }, { state: IncidentState.Closed, raisedBy: this.user(name).actor.username });
});

When('the administrator of {string} reinstates {string} with the roles {listOfWords}', async function (this: FsmWorld, alias: string, name: string, roles: string[]) {
  this.expectSuccess(await this.administratorOf(alias).fsm.changeUser(this.user(name).sysId, { active: true, roles }), `Reinstating ${name}`);
});

When('the administrator of {string} declines {string}', async function (this: FsmWorld, alias: string, name: string) {
  this.expectSuccess(await this.administratorOf(alias).fsm.changeUser(this.user(name).sysId, { migration_review: 'declined' }), `Declining ${name}`);
});

When('DCC sends a later DSMS snapshot of {string} that renames {string} to {string}', async function (this: FsmWorld, alias: string, name: string, newName: string) {
  const renamed = { ...migrated(this, alias, name), name: newName };
  await this.control.importDsmsExport({ party_id: this.party(alias).onboarded.party.id, snapshot: 'incremental', accounts: [renamed], tickets: [] });
});

Then('the administrator of {string} sees {string} still declined and inactive', async function (this: FsmWorld, alias: string, name: string) {
  const user = (await this.administratorOf(alias).fsm.users()).find((u) => u.name === name);
  assert.deepEqual(user && { active: user.active, review: user.migrationReview, roles: user.roles }, { active: false, review: 'declined', roles: [] });
});

When('the administrator of {string} searches the knowledge base for {string}', async function (this: FsmWorld, alias: string, words: string) {
  this.lastSearch = await this.administratorOf(alias).fsm.searchKnowledge(words);
});

Then('they find only the article {string}', function (this: FsmWorld, title: string) {
  assert.deepEqual(this.lastSearch, [title]);
});

When('the administrator of {string} asks DCC to make {string} their {word} contact', async function (this: FsmWorld, alias: string, name: string, role: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@${this.party(alias).administrator.username.split('@')[1] ?? 'example.com'}`;
  const ordered = await this.administratorOf(alias).fsm.orderItem('Nominated Contacts update', { contact_role: role, contact_name: name, contact_email: email });
  this.lastOrderedItem = this.expectSuccess(ordered, 'Ordering a Nominated Contacts update').sysId;
});

When('DCC\'s service desk fulfils that request', async function (this: FsmWorld) {
  assert.ok(this.lastOrderedItem, 'No request was ordered in this scenario');
  await this.control.requestDesk(this.lastOrderedItem, { state: 'fulfilled' });
});

Then('the {word} contact of {string} is {string}', async function (this: FsmWorld, role: string, alias: string, name: string) {
  const contacts = await this.administratorOf(alias).fsm.nominatedContacts();
  assert.equal(contacts.find((c) => c.role === role)?.name, name);
});
