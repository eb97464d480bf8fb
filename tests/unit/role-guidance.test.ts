/**
 * No role traps (issue 18): a refusal names the Job Type Role (and Region, for OMS) that grants the
 * action and who can give it; the catalogue offers only what the person may order, naming the rest
 * with the role that grants it; an administrator is told what to set up next until it is done.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Forbidden } from '../../simulators/domain/errors';
import { buildServices, type Services } from '../../simulators/services';
import type { Caller } from '../../simulators/services/context';
import { onboardParty } from '../../simulators/services/onboarding';
import type { Db } from '../../simulators/store/db';
import { administratorOf, testCore, testDatabases } from '../support';

const [database] = testDatabases();

function refusal(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof Forbidden, String(error));
    return error.detail;
  }
  assert.fail('was not refused');
}

describe('what grants an action, and who gives it', () => {
  let db: Db;
  let services: Services;
  let admin: Caller;
  let user: Caller;

  before(async () => {
    db = await (database ?? assert.fail('no database')).open();
    const core = await testCore(db);
    services = buildServices(core);
    const onboarded = await onboardParty(core, {
      name: 'Guided Energy',
      userRoles: ['IS'],
      regions: ['North'],
      gatewayConnected: false,
      administrator: { email: 'admin@guided-energy.example', name: 'Ann Admin' },
    });
    // As DCC onboards them: ORG_ADMIN and SERVICE_USER.
    admin = administratorOf(onboarded, core.config.onboarding.initialAdminRoles);
    user = { ...admin, accountId: '00000000000000000000000000000000', roles: ['SERVICE_USER'] };
  });
  after(() => db?.close());

  it('tells the first administrator refused OMS which role and Region grant it, and that they can give it themselves', () => {
    const said = refusal(() => services.oms.orders.assertMayOrder(admin));
    assert.match(said, /OMS_ORDERING with a Region/);
    assert.match(said, /You are an administrator: give it to yourself or a user on the Users page/);
    assert.doesNotMatch(said, /ask your organisation administrator/i);
    assert.match(
      refusal(() => services.oms.returns.assertMayReturn(admin)),
      /OMS_RETURNS with a Region/,
    );
  });

  it('tells a user without the role to ask their organisation administrator, and for administration that DCC sets up the first', () => {
    assert.match(
      refusal(() => services.oms.orders.assertMayOrder(user)),
      /OMS_ORDERING with a Region.*Ask your organisation administrator/,
    );
    const admin = refusal(() => services.users.assertMayAdminister(user));
    assert.match(
      admin,
      /needs the Job Type Role ORG_ADMIN\. Another administrator of your organisation can give it; DCC sets up a party's first administrator/,
    );
    assert.match(
      refusal(() => services.incidents.assertMayChange({ ...user, roles: ['OMS_ORDERING'] })),
      /SERVICE_USER/,
    );
  });

  it('offers the catalogue items the roles allow, and names the others with the role that grants them', () => {
    const offers = services.requests.offers(admin);
    const adt = offers.find((o) => o.item.name === 'ADT threshold submission');
    assert.equal(adt?.mayOrder, false);
    assert.match(adt?.howToGet ?? '', /FILE_SUBMITTER/);
    assert.equal(offers.find((o) => o.item.name === 'Nominated Contacts update')?.mayOrder, true);
    assert.ok(
      services.requests.offers({ ...admin, roles: [...admin.roles, 'FILE_SUBMITTER'] }).find((o) => o.item.file === 'adt')?.mayOrder,
    );
  });

  it('shows the administrator what to set up next until it is done, and nobody else', async () => {
    const first = await services.users.setupSteps(admin);
    assert.equal(first.length, 3, first.join('\n'));
    assert.match(first[0] ?? '', /Create your colleagues' accounts/);
    assert.match(first[1] ?? '', /OMS.*OMS_ORDERING or OMS_RETURNS with a Region/);
    assert.match(first[2] ?? '', /FILE_SUBMITTER/);
    assert.deepEqual(await services.users.setupSteps(user), []);
    await services.users.create(admin, {
      user_name: 'olly@guided-energy.example',
      name: 'Olly Orders',
      roles: 'OMS_ORDERING',
      region: 'North',
    });
    const later = await services.users.setupSteps({ ...admin, roles: [...admin.roles, 'FILE_SUBMITTER'] });
    assert.deepEqual(later, []);
  });
});
