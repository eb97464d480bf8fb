import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { Incidents } from './screenplay/incidents/tasks';
import { IncidentState } from './screenplay/incidents/states';
import { Requests, RequestNotes } from './screenplay/requests/tasks';
import { HISTORIC_TICKET, migrateFromDsms } from './screenplay/users/parties';
import { noteSysIds, Users } from './screenplay/users/tasks';
import type { FsmWorld } from './support/world';

Given(
  'DCC has migrated the accounts of {string} and {string} of {string} from DSMS, with a historic ticket raised by {string}',
  async function (this: FsmWorld, first: string, second: string, alias: string, raiser: string) {
    await migrateFromDsms(this, alias, [{ name: first }, { name: second }], 'initial', raiser);
  },
);

Then(
  'the administrator of {string} sees {string} and {string} waiting for review, inactive',
  async function (this: FsmWorld, alias: string, first: string, second: string) {
    const users = await Users.list(this.administratorOf(alias));
    assert.deepEqual(
      users
        .filter((u) => u.migrationReview === 'pending' && !u.active)
        .map((u) => u.name)
        .sort(),
      [first, second].sort(),
    );
    noteSysIds(this, users);
  },
);

Then('the historic ticket is closed and attributed to {string}', async function (this: FsmWorld, name: string) {
  const ticket = (await Incidents.list(this.lastActor(), {})).incidents.find((i) => i.shortDescription === HISTORIC_TICKET);
  assert.deepEqual(ticket && { state: ticket.state, raisedBy: ticket.raisedBy }, {
    state: IncidentState.Closed,
    raisedBy: this.user(name).actor.username,
  });
});

When(
  'the administrator of {string} reinstates {string} with the roles {listOfWords}',
  async function (this: FsmWorld, alias: string, name: string, roles: string[]) {
    this.expectSuccess(
      await Users.change(this.administratorOf(alias), this.user(name).sysId, { active: true, roles }),
      `Reinstating ${name}`,
    );
  },
);

When('the administrator of {string} declines {string}', async function (this: FsmWorld, alias: string, name: string) {
  this.expectSuccess(
    await Users.change(this.administratorOf(alias), this.user(name).sysId, { migration_review: 'declined' }),
    `Declining ${name}`,
  );
});

When(
  'DCC sends a later DSMS snapshot of {string} that renames {string} to {string}',
  async function (this: FsmWorld, alias: string, name: string, newName: string) {
    await migrateFromDsms(this, alias, [{ name, newName }], 'incremental');
  },
);

Then(
  'the administrator of {string} sees {string} still declined and inactive',
  async function (this: FsmWorld, alias: string, name: string) {
    const user = (await Users.list(this.administratorOf(alias))).find((u) => u.name === name);
    assert.deepEqual(user && { active: user.active, review: user.migrationReview, roles: user.roles }, {
      active: false,
      review: 'declined',
      roles: [],
    });
  },
);

When(
  'the administrator of {string} searches the knowledge base for {string}',
  async function (this: FsmWorld, alias: string, words: string) {
    this.notes.of(RequestNotes).found = await Requests.searchKnowledge(this.administratorOf(alias), words);
  },
);

Then('they find only the article {string}', function (this: FsmWorld, title: string) {
  assert.deepEqual(this.notes.of(RequestNotes).found, [title]);
});

When(
  'the administrator of {string} asks DCC to make {string} their {word} contact',
  async function (this: FsmWorld, alias: string, name: string, role: string) {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}@${this.party(alias).administrator.username.split('@')[1] ?? 'example.com'}`;
    const ordered = await Requests.orderItem(this.administratorOf(alias), 'Nominated Contacts update', {
      contact_role: role,
      contact_name: name,
      contact_email: email,
    });
    this.notes.of(RequestNotes).orderedItem = this.expectSuccess(ordered, 'Ordering a Nominated Contacts update');
  },
);

When("DCC's service desk fulfils that request", async function (this: FsmWorld) {
  await this.control.requestDesk(this.notes.of(RequestNotes).orderedItem.sysId, { state: 'fulfilled' });
});

Then('the {word} contact of {string} is {string}', async function (this: FsmWorld, role: string, alias: string, name: string) {
  const contacts = await Requests.nominatedContacts(this.administratorOf(alias));
  assert.equal(contacts.find((c) => c.role === role)?.name, name);
});
