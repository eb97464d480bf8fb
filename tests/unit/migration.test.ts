/** Migration review (ACC-04), knowledge (SM-08) and nominated contacts (SM-08). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FsmApiClient } from '../../clients/fsm-api';
import { send } from '../../clients/http';
import { answerPrompt, oneTimePasswordIn } from '../../clients/login-answers';
import { SimControlClient } from '../../clients/sim-control';
import { CATALOG } from '../../simulators/domain/catalog';
import type { Simulators } from '../../simulators/start';
import { assertRefused, signedInClient, startTestSimulators, testPerson, type SignedIn } from '../support';

describe('migration from DSMS', () => {
  let sims: Simulators;
  let admin: SignedIn;
  let control: SimControlClient;
  const accounts = [
    { legacy_id: 'U1', email: 'ann@migrate-energy.example', name: 'Ann' },
    { legacy_id: 'U2', email: 'bob@migrate-energy.example', name: 'Bob' },
  ];
  const tickets = [
    {
      legacy_number: 'IM00012345',
      raised_by: 'U1',
      short_description: 'Meter offline',
      opened_at: '2025-03-01T09:00:00Z',
      closed_at: '2025-03-02T10:00:00Z',
    },
  ];
  const users = async () => (await admin.api.list('sys_user', { sysparm_query: 'migrated=true^ORDERBYuser_name' })).body.result;

  before(async () => {
    sims = await startTestSimulators();
    admin = await signedInClient(sims, 'Migrate Energy');
    control = new SimControlClient(sims.urls.fsm);
  });
  after(() => sims?.stop());

  it('brings accounts in inactive for review, and tickets as closed incidents of their original raiser', async () => {
    const result = await control.importDsmsExport({ party_id: admin.partyId, snapshot: 'initial', accounts, tickets });
    assert.deepEqual([result.accountsAdded, result.ticketsAdded], [2, 1]);
    assert.deepEqual(
      (await users()).map((u) => [u.user_name, u.active, u.migration_review]),
      [
        ['ann@migrate-energy.example', 'false', 'pending'],
        ['bob@migrate-energy.example', 'false', 'pending'],
      ],
    );
    const [history] = (await admin.api.list('incident', { sysparm_query: 'legacy_number=IM00012345' })).body.result;
    assert.deepEqual(
      [history?.state, history?.sys_created_by, history?.sys_created_on],
      ['7', 'ann@migrate-energy.example', '2025-03-01 09:00:00'],
    );
  });

  it('lets the administrator reinstate with roles or decline; a reinstated user signs in with an emailed password', async () => {
    const [ann, bob] = await users();
    assertRefused(await admin.api.update('sys_user', String(ann?.sys_id), { active: true }), 400, /at least one Job Type Role/);
    assert.equal(
      (await admin.api.update('sys_user', String(ann?.sys_id), { active: true, roles: 'SERVICE_USER' })).body.result.migration_review,
      'reinstated',
    );
    assert.equal(
      (await admin.api.update('sys_user', String(bob?.sys_id), { migration_review: 'declined' })).body.result.migration_review,
      'declined',
    );
    const otp = oneTimePasswordIn((await control.mailbox('ann@migrate-energy.example')).map((m) => m.text)) ?? '';
    const api = new FsmApiClient(sims.urls.fsm);
    const { response } = await api.answerPrompts(await api.startLogin('ann@migrate-energy.example', otp), (p) =>
      answerPrompt(testPerson(sims, 'ann@migrate-energy.example'), p),
    );
    assert.equal(response.body.result.status, 'authenticated');
  });

  it("updates names and addresses from an incremental snapshot without undoing the administrator's decisions", async () => {
    const incremental = [
      { legacy_id: 'U1', email: 'ann@migrate-energy.example', name: 'Ann Smith' },
      { legacy_id: 'U2', email: 'robert@migrate-energy.example', name: 'Robert' },
      { legacy_id: 'U3', email: 'cy@migrate-energy.example', name: 'Cy' },
    ];
    const result = await control.importDsmsExport({ party_id: admin.partyId, snapshot: 'incremental', accounts: incremental, tickets });
    assert.deepEqual([result.accountsAdded, result.accountsUpdated, result.ticketsAdded], [1, 2, 0]);
    assert.deepEqual(
      (await users()).map((u) => [u.user_name, u.name, u.active, u.roles, u.migration_review]),
      [
        ['ann@migrate-energy.example', 'Ann Smith', 'true', 'SERVICE_USER', 'reinstated'],
        ['cy@migrate-energy.example', 'Cy', 'false', '', 'pending'],
        ['robert@migrate-energy.example', 'Robert', 'false', '', 'declined'],
      ],
    );
  });

  it('refuses a bad export whole, naming the problem, and changes nothing', async () => {
    const before = (await users()).length;
    const bad = async (body: Record<string, unknown>) =>
      send('POST', `${sims.urls.fsm}/__sim/migrations`, { json: { party_id: admin.partyId, snapshot: 'incremental', ...body } });
    assertRefused(await bad({ accounts: [accounts[0], accounts[0]] }), 400, /more than once/);
    assertRefused(
      await bad({
        accounts: [{ legacy_id: 'U9', email: 'nine@migrate-energy.example', name: 'Nine' }],
        tickets: [{ ...tickets[0], legacy_number: 'IM1', raised_by: 'NOBODY' }],
      }),
      400,
      /raised_by NOBODY/,
    );
    assertRefused(await bad({ accounts: [{ legacy_id: 'U8', email: admin.username, name: 'Clash' }] }), 409, /already has an account/);
    assertRefused(await bad({ accounts: [], tickets: [{ ...tickets[0], opened_at: 'last Tuesday' }] }), 400, /ISO 8601/);
    assert.equal((await users()).length, before);
  });
});

describe('knowledge and nominated contacts', () => {
  let sims: Simulators;
  let admin: SignedIn;
  before(async () => {
    sims = await startTestSimulators();
    admin = await signedInClient(sims, 'Know Energy');
  });
  after(() => sims?.stop());

  it('finds knowledge articles by their words', async () => {
    const found = await admin.api.list('kb_knowledge', { sysparm_query: 'short_descriptionLIKEquarantine^ORtextLIKEquarantine' });
    assert.deepEqual(
      found.body.result.map((a) => a.short_description),
      ['Answering a quarantine incident with a Quarantine Command Action'],
    );
    assert.equal(found.headers.get('x-total-count'), '1');
  });

  it('keeps the nominated contacts DCC fulfilled from a catalogue request', async () => {
    const item = CATALOG.find((i) => i.onFulfil === 'nominated-contact')?.sys_id ?? '';
    const ordered = await admin.api.orderNow(item, {
      contact_role: 'Security',
      contact_name: 'Sam Secure',
      contact_email: 'sam@know-energy.example',
    });
    const contacts = () => admin.api.request<{ result: { role: string; name: string }[] }>('GET', '/api/x_dcc/contacts');
    assert.deepEqual((await contacts()).body.result, []);
    await new SimControlClient(sims.urls.fsm).requestDesk(ordered.body.result.items[0]?.sys_id ?? '', { state: 'fulfilled' });
    assert.deepEqual(
      (await contacts()).body.result.map((c) => [c.role, c.name]),
      [['Security', 'Sam Secure']],
    );
  });
});
