/** User administration within a party, and the access matrix: every Job Type Role, every function, own and foreign party. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FsmApiClient } from '../../clients/fsm-api';
import type { ApiResponse } from '../../clients/http';
import { answerPrompt, oneTimePasswordIn } from '../../clients/login-answers';
import { SimControlClient } from '../../clients/sim-control';
import { CATALOG } from '../../simulators/domain/catalog';
import type { Simulators } from '../../simulators/start';
import { loadRoleCatalogue } from '../../simulators/start';
import { assertRefused, signedInClient, startTestSimulators, testPerson, type SignedIn } from './support';


/** Creates a user through the admin API and signs them in with the emailed one-time password. */
async function newUser(sims: Simulators, admin: SignedIn, email: string, roles: string[]): Promise<FsmApiClient> {
  const created = await admin.api.create('sys_user', { user_name: email, name: 'New User', roles: roles.join(','), region: 'North' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const mail = await new SimControlClient(sims.urls.fsm).mailbox(email);
  const otp = oneTimePasswordIn(mail.map((m) => m.text)) ?? '';
  const api = new FsmApiClient(sims.urls.fsm);
  const person = testPerson(sims, email);
  const { response } = await api.answerPrompts(await api.startLogin(email, otp), (p) => answerPrompt(person, p));
  assert.equal(response.body.result.status, 'authenticated', JSON.stringify(response.body));
  return api;
}

describe('user administration', () => {
  let sims: Simulators;
  let admin: SignedIn;
  let other: SignedIn;
  before(async () => {
    sims = await startTestSimulators();
    admin = await signedInClient(sims, 'Admin Energy');
    other = await signedInClient(sims, 'Foreign Power');
  });
  after(() => sims?.stop());

  it('creates, amends, deactivates and reinstates users of the own party only', async () => {
    const user = await newUser(sims, admin, 'sam@admin-energy.example', ['SERVICE_USER']);
    const id = (await user.me()).body.result.sys_id;
    assert.equal((await admin.api.update('sys_user', id, { roles: ['SERVICE_USER', 'FILE_SUBMITTER'] })).body.result.roles, 'SERVICE_USER,FILE_SUBMITTER');
    assert.deepEqual((await user.me()).body.result.roles, ['SERVICE_USER', 'FILE_SUBMITTER'], 'a role change takes effect at once');
    assertRefused(await other.api.update('sys_user', id, { active: false }), 404, /No Record found/);
    assert.equal((await admin.api.update('sys_user', id, { active: 'false' })).body.result.active, 'false');
    assertRefused(await user.me(), 401, /User Not Authenticated/);
    assert.equal((await admin.api.update('sys_user', id, { active: true })).body.result.active, 'true');
  });

  it('refuses unknown roles, duplicates, bad fields, and removing the last active administrator', async () => {
    assertRefused(await admin.api.create('sys_user', { user_name: 'x@admin-energy.example', name: 'X', roles: 'CHIEF_WIZARD' }), 400, /Unknown Job Type Role: CHIEF_WIZARD/);
    assertRefused(await admin.api.create('sys_user', { user_name: 'not-an-email', name: 'X', roles: 'SERVICE_USER' }), 400, /corporate email/);
    assertRefused(await admin.api.create('sys_user', { user_name: admin.username, name: 'X', roles: 'SERVICE_USER' }), 409, /already exists/);
    assertRefused(await admin.api.create('sys_user', { user_name: 'y@admin-energy.example', name: 'Y', roles: 'SERVICE_USER', password: 'x' }), 400, /password/);
    const me = (await admin.api.me()).body.result.sys_id;
    assertRefused(await admin.api.update('sys_user', me, { active: false }), 409, /last active administrator/);
    assertRefused(await admin.api.update('sys_user', me, { roles: 'SERVICE_USER' }), 409, /last active administrator/);
    const second = await newUser(sims, admin, 'deputy@admin-energy.example', ['ORG_ADMIN']);
    void second;
    assert.equal((await admin.api.update('sys_user', me, { roles: 'SERVICE_USER,ORG_ADMIN' })).status, 200);
  });
});

describe('access matrix', () => {
  const catalogue = loadRoleCatalogue('config/role-catalogue.json');
  let sims: Simulators;
  let admin: SignedIn;
  let foreignIncident: string;
  before(async () => {
    sims = await startTestSimulators();
    admin = await signedInClient(sims, 'Matrix Energy');
    const foreign = await signedInClient(sims, 'Elsewhere Gas');
    foreignIncident = String((await foreign.api.create('incident', { short_description: 'Foreign incident' })).body.result.sys_id);
  });
  after(() => sims?.stop());

  const FUNCTIONS: { name: string; component: string; call: (api: FsmApiClient, ids: { incident: string; user: string }) => Promise<ApiResponse> }[] = [
    { name: 'list incidents', component: 'incidents.read', call: (api) => api.list('incident') },
    { name: 'raise an incident', component: 'incidents.write', call: (api) => api.create('incident', { short_description: 'Matrix check' }) },
    { name: 'comment on an incident', component: 'incidents.write', call: (api, ids) => api.update('incident', ids.incident, { comments: 'matrix' }) },
    { name: 'list attachments', component: 'incidents.read', call: (api) => api.request('GET', '/api/now/attachment') },
    { name: 'attach a file', component: 'incidents.write', call: (api, ids) => api.attach(ids.incident, 'a.txt', 'text/plain', new TextEncoder().encode('x')) },
    { name: 'list users', component: 'accounts.read', call: (api) => api.list('sys_user') },
    { name: 'create a user', component: 'accounts.admin', call: (api) => api.create('sys_user', { user_name: `m${Math.random().toString(36).slice(2)}@matrix-energy.example`, name: 'M', roles: 'REPORTS' }) },
    { name: 'amend a user', component: 'accounts.admin', call: (api, ids) => api.update('sys_user', ids.user, { name: 'Renamed' }) },
    { name: 'read notifications', component: 'notifications.read', call: (api) => api.notifications() },
    { name: 'list request items', component: 'requests.read', call: (api) => api.list('sc_req_item') },
    { name: 'order from the catalogue', component: 'requests.write', call: (api) => api.orderNow(CATALOG[3]?.sys_id ?? '', { contact_role: 'Security', contact_name: 'Sam', contact_email: 'sam@matrix-energy.example' }) },
  ];

  it('grants each function exactly to the roles whose Functional Components include it, in the own party', async () => {
    const ownIncident = String((await admin.api.create('incident', { short_description: 'Own incident' })).body.result.sys_id);
    const ownUser = (await admin.api.me()).body.result.sys_id;
    const mismatches: string[] = [];
    for (const role of catalogue.roleNames) {
      const api = await newUser(sims, admin, `${role.toLowerCase()}@matrix-energy.example`, [role]);
      for (const fn of FUNCTIONS) {
        const response = await fn.call(api, { incident: ownIncident, user: ownUser });
        const allowed = catalogue.grants([role], fn.component);
        const ok = allowed ? response.status < 300 : response.status === 403;
        if (!ok) mismatches.push(`${role} / ${fn.name}: expected ${allowed ? '2xx' : '403'}, got ${response.status}`);
        const foreign = await fn.call(api, { incident: foreignIncident, user: ownUser });
        if (fn.name === 'comment on an incident' && allowed && foreign.status !== 404) mismatches.push(`${role} / ${fn.name} on a foreign incident: got ${foreign.status}`);
      }
      const foreignRead = await api.get('incident', foreignIncident);
      const expected = catalogue.grants([role], 'incidents.read') ? 404 : 403;
      if (foreignRead.status !== expected) mismatches.push(`${role} / read a foreign incident: expected ${expected}, got ${foreignRead.status}`);
    }
    assert.deepEqual(mismatches, []);
  });
});
