/** User administration within a party. The access matrix (every role × function × party) is tests/hardening/access-matrix.test.ts. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { dropSchema } from '../../simulators/store/db';
import { alertOf, FormAgent, type FormPage } from '../../clients/form-agent';
import { FsmApiClient } from '../../clients/fsm-api';
import { SimConfigSchema } from '../../simulators/config';
import { startSimulators, type Simulators } from '../../simulators/start';
import { assertRefused, newSignedInUser, signedInClient, startTestSimulators, TEST_PASSWORD, testPerson, type SignedIn } from '../support';

const postgresUrl = process.env.TEST_DATABASE_URL;

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
    assert.equal(
      (await admin.api.update('sys_user', id, { roles: ['SERVICE_USER', 'FILE_SUBMITTER'] })).body.result.roles,
      'SERVICE_USER,FILE_SUBMITTER',
    );
    assert.deepEqual((await user.me()).body.result.roles, ['SERVICE_USER', 'FILE_SUBMITTER'], 'a role change takes effect at once');
    assertRefused(await other.api.update('sys_user', id, { active: false }), 404, /No Record found/);
    assert.equal((await admin.api.update('sys_user', id, { active: 'false' })).body.result.active, 'false');
    assertRefused(await user.me(), 401, /User Not Authenticated/);
    assert.equal((await admin.api.update('sys_user', id, { active: true })).body.result.active, 'true');
  });

  it('refuses a password reset with a code sent before the account was deactivated, and keeps the password', async () => {
    const email = 'leaver@admin-energy.example';
    const user = await newUser(sims, admin, email, ['SERVICE_USER']);
    const id = (await user.me()).body.result.sys_id;
    const api = new FsmApiClient(sims.urls.fsm);
    assert.equal((await api.forgotPassword(email)).status, 202);
    const code = await testPerson(sims, email).readEmailCode();
    assert.equal((await admin.api.update('sys_user', id, { active: false })).status, 200);
    assertRefused(await api.resetPassword(email, code, 'Leaver-Password-2024!'), 401, /not right, or it has expired/);
    // Reinstated: the reset did not happen, the old password still signs in and the new one does not.
    assert.equal((await admin.api.update('sys_user', id, { active: true })).status, 200);
    assertRefused(await api.startLogin(email, 'Leaver-Password-2024!'), 401, /User Not Authenticated/);
    assert.equal((await api.startLogin(email, TEST_PASSWORD)).status, 200);
  });

  it('refuses unknown roles, duplicates, bad fields, and removing the last active administrator', async () => {
    assertRefused(
      await admin.api.create('sys_user', { user_name: 'x@admin-energy.example', name: 'X', roles: 'CHIEF_WIZARD' }),
      400,
      /Unknown Job Type Role: CHIEF_WIZARD/,
    );
    assertRefused(
      await admin.api.create('sys_user', { user_name: 'not-an-email', name: 'X', roles: 'SERVICE_USER' }),
      400,
      /corporate email/,
    );
    assertRefused(
      await admin.api.create('sys_user', { user_name: admin.username, name: 'X', roles: 'SERVICE_USER' }),
      409,
      /already exists/,
    );
    assertRefused(
      await admin.api.create('sys_user', { user_name: 'y@admin-energy.example', name: 'Y', roles: 'SERVICE_USER', password: 'x' }),
      400,
      /password/,
    );
    const me = (await admin.api.me()).body.result.sys_id;
    assertRefused(await admin.api.update('sys_user', me, { active: false }), 409, /last active administrator/);
    assertRefused(await admin.api.update('sys_user', me, { roles: 'SERVICE_USER' }), 409, /last active administrator/);
    const second = await newUser(sims, admin, 'deputy@admin-energy.example', ['ORG_ADMIN']);
    void second;
    assert.equal((await admin.api.update('sys_user', me, { roles: 'SERVICE_USER,ORG_ADMIN' })).status, 200);
  });

  it('refuses an address that has an account with one answer whichever party holds it, naming neither, in the API and the portal', async () => {
    const ours = { user_name: admin.username, name: 'X', roles: 'SERVICE_USER' };
    const theirs = { ...ours, user_name: other.username };
    const own = await admin.api.create('sys_user', ours);
    assertRefused(own, 409, /already exists/);
    const foreign = await admin.api.create('sys_user', theirs);
    assert.deepEqual([foreign.status, foreign.body], [own.status, own.body], "another party's account is answered as one of the own party");
    assert.doesNotMatch(JSON.stringify(foreign.body), /foreign|@/i, 'the answer names the address or its party');

    // The portal's form says the same.
    const portal = new FormAgent('about:blank#never');
    const prompt = await portal.submit(await portal.open(`${sims.urls.fsm}/portal/login`), {
      username: admin.username,
      password: TEST_PASSWORD,
    });
    assert.equal((await portal.submit(prompt, { code: await admin.person.app.code() })).url, `${sims.urls.fsm}/fsm`);
    const create = async (fields: Record<string, string>): Promise<FormPage> =>
      portal.submit(await portal.open(`${sims.urls.fsm}/portal/users/new`), fields);
    const [ownPage, foreignPage] = [await create(ours), await create(theirs)];
    assert.deepEqual([foreignPage.status, alertOf(foreignPage.html)], [ownPage.status, alertOf(ownPage.html)]);
    assert.equal(ownPage.status, 409);
    assert.match(alertOf(ownPage.html) ?? '', /already exists/);
    assert.doesNotMatch(alertOf(foreignPage.html) ?? '', /foreign|@/i);

    await assertOneCreationWins(admin, other, own);
  });

  it(
    'gives racing creations of one address on PostgreSQL (a pool, so they truly race) one account and the same answer',
    { skip: postgresUrl ? false : 'set TEST_DATABASE_URL=postgres://... to race on PostgreSQL' },
    async () => {
      const schema = `users_${randomBytes(6).toString('hex')}`;
      const onPostgres = await startSimulators({
        config: SimConfigSchema.parse({ passwords: { assumed: true, scryptCost: 1024 } }),
        control: true,
        logLevel: 'silent',
        databaseUrl: postgresUrl,
        schema,
      });
      try {
        const [first, second] = [await signedInClient(onPostgres, 'Race Energy'), await signedInClient(onPostgres, 'Race Power')];
        const taken = await first.api.create('sys_user', { user_name: second.username, name: 'X', roles: 'SERVICE_USER' });
        for (let round = 0; round < 3; round++) await assertOneCreationWins(first, second, taken, round);
      } finally {
        await onPostgres.stop();
        await dropSchema(String(postgresUrl), schema);
      }
    },
  );
});

/** Two parties creating one new address at once: one account, and to every other the answer for a taken address. */
async function assertOneCreationWins(
  a: SignedIn,
  b: SignedIn,
  taken: Awaited<ReturnType<FsmApiClient['create']>>,
  round = 0,
): Promise<void> {
  const racer = { user_name: `racer-${round}@elsewhere.example`, name: 'R', roles: 'SERVICE_USER' };
  const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).api.create('sys_user', racer)));
  assert.equal(answers.filter((r) => r.status === 201).length, 1, answers.map((r) => r.status).join(', '));
  for (const answer of answers) if (answer.status !== 201) assert.deepEqual([answer.status, answer.body], [taken.status, taken.body]);
}
