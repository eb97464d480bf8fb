/** User administration within a party. The access matrix (every role × function × party) is tests/hardening/access-matrix.test.ts. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FsmApiClient } from '../../clients/fsm-api';
import type { Simulators } from '../../simulators/start';
import { assertRefused, newSignedInUser, signedInClient, startTestSimulators, type SignedIn } from './support';


/** Creates a user through the admin API and signs them in with the emailed one-time password. */
async function newUser(sims: Simulators, admin: SignedIn, email: string, roles: string[]): Promise<FsmApiClient> {
  return (await newSignedInUser(sims, admin.api, { user_name: email, name: 'New User', roles: roles.join(','), region: 'North' })).api;
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
