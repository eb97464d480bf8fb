/** Service requests: the catalogue, ADT files through their signed workflow, and quarantine answered by a Quarantine Command Action. */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Faker, en } from '@faker-js/faker';
import type { FsmApiClient } from '../../clients/fsm-api';
import { SimControlClient } from '../../clients/sim-control';
import { buildAdtFile, buildQcaFile, signFile, TEST_SIGNING_PUBLIC_KEY } from '../../fixtures/signed-files';
import { CATALOG } from '../../simulators/domain/catalog';
import type { Simulators } from '../../simulators/start';
import { thresholdsOf } from '../../simulators/store/requests';
import { assertRefused, signedInClient, startTestSimulators, type SignedIn } from '../support';

const ADT = CATALOG.find((i) => i.file === 'adt')?.sys_id ?? '';
const QCA = CATALOG.find((i) => i.file === 'qca')?.sys_id ?? '';
const USER_IDS = ['90-B3-D5-1F-30-01-00-00', '90-B3-D5-1F-30-01-00-01'];
const faker = new Faker({ locale: [en] });
const text = (s: string) => new TextEncoder().encode(s);

describe('service requests', () => {
  let sims: Simulators;
  let party: SignedIn;
  before(async () => {
    sims = await startTestSimulators();
    party = await signedInClient(sims, 'Signed Energy', { party: { userIds: USER_IDS, signingKey: TEST_SIGNING_PUBLIC_KEY } });
    const me = (await party.api.me()).body.result.sys_id;
    await party.api.update('sys_user', me, { roles: 'ORG_ADMIN,SERVICE_USER,FILE_SUBMITTER' });
  });
  after(() => sims?.stop());

  async function orderAndSubmit(api: FsmApiClient, item: string, csv: string, signature: string, variables: Record<string, string> = {}) {
    const ordered = await api.orderNow(item, variables);
    assert.equal(ordered.status, 200, JSON.stringify(ordered.body));
    const ritm = ordered.body.result.items[0]?.sys_id ?? '';
    await api.attach(ritm, 'thresholds.csv', 'text/csv', text(csv), 'sc_req_item');
    await api.attach(ritm, 'thresholds.csv.sig', 'text/plain', text(signature), 'sc_req_item');
    return { ritm, submitted: await api.submitRequestItem(ritm) };
  }

  it('lists the catalogue and refuses orders without the variables an item needs', async () => {
    const items = (await party.api.request<{ result: { name: string }[] }>('GET', '/api/sn_sc/servicecatalog/items')).body.result.map(
      (i) => i.name,
    );
    assert.deepEqual(
      items,
      CATALOG.map((i) => i.name),
    );
    assertRefused(await party.api.orderNow(QCA, {}), 400, /Missing: incident_number/);
    assertRefused(await party.api.orderNow(ADT, { colour: 'red' }), 400, /Unknown: colour/);
    assertRefused(await party.api.orderNow('0'.repeat(32)), 404, /No Record found/);
  });

  it('applies a validly signed ADT file, all rows in one go', async () => {
    const csv = buildAdtFile(faker, USER_IDS);
    const { ritm, submitted } = await orderAndSubmit(party.api, ADT, csv, signFile(csv));
    assert.equal(submitted.body.result.state, 'in_progress', JSON.stringify(submitted.body));
    assert.equal((await thresholdsOf(sims.core.db, party.partyId)).length, 4);
    assertRefused(await party.api.submitRequestItem(ritm), 409, /already accepted/);
    const listed = await party.api.list('sc_req_item', { sysparm_query: `sys_id=${ritm}` });
    assert.equal(listed.body.result[0]?.state, 'in_progress');
  });

  it('rejects a file signed with another key, or changed after signing, and applies nothing', async () => {
    const before = await thresholdsOf(sims.core.db, party.partyId);
    const csv = buildAdtFile(faker, USER_IDS, [{ value: '777' }]);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const foreign = await orderAndSubmit(
      party.api,
      ADT,
      csv,
      signFile(csv, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    );
    assert.match(foreign.submitted.body.result.rejection_reason, /does not match/);
    const truncated = await orderAndSubmit(party.api, ADT, csv.slice(0, -5), signFile(csv));
    assert.equal(truncated.submitted.body.result.state, 'rejected');
    assert.deepEqual(await thresholdsOf(sims.core.db, party.partyId), before);
  });

  it("rejects bad rows with a reason each: another party's User ID, wrong type, out of range, formula", async () => {
    const before = await thresholdsOf(sims.core.db, party.partyId);
    const csv = buildAdtFile(faker, USER_IDS, [
      { userId: USER_IDS[0], value: '600' },
      { userId: '11-22-33-44-55-66-77-88' },
      { thresholdType: 'User Panic' },
      { value: '0' },
      { userId: '=HYPERLINK("http://x")' },
    ]);
    const { submitted } = await orderAndSubmit(party.api, ADT, csv, signFile(csv));
    assert.equal(submitted.body.result.state, 'rejected');
    assert.deepEqual(
      submitted.body.result.row_problems.map((p) => p.row),
      [3, 4, 5, 6],
    );
    assert.match(submitted.body.result.row_problems[0]?.reason ?? '', /not one of your party's User IDs/);
    assert.match(submitted.body.result.row_problems[3]?.reason ?? '', /spreadsheet formula/);
    assert.deepEqual(await thresholdsOf(sims.core.db, party.partyId), before);
  });

  it('refuses a submission without its file, its signature, or with the wrong layout, leaving the item open', async () => {
    const ordered = await party.api.orderNow(ADT);
    const ritm = ordered.body.result.items[0]?.sys_id ?? '';
    assertRefused(await party.api.submitRequestItem(ritm), 400, /Attach the ADT CSV file/);
    await party.api.attach(ritm, 'adt.csv', 'text/csv', text('user,value\nx,1\n'), 'sc_req_item');
    assertRefused(await party.api.submitRequestItem(ritm), 400, /Attach the detached signature/);
    await party.api.attach(ritm, 'adt.csv.sig', 'text/plain', text(signFile('user,value\nx,1\n')), 'sc_req_item');
    assertRefused(await party.api.submitRequestItem(ritm), 400, /first line must be the header user_id,threshold_type,value/);
    assert.equal((await party.api.get('sc_req_item', ritm)).body.result.state, 'submitted');
  });

  it('answers a quarantine incident with a Quarantine Command Action; release stays off without the flag', async () => {
    const desk = new SimControlClient(sims.urls.fsm);
    const incident = await desk.raiseQuarantine(party.partyId, 'Messages from 90-B3-D5-1F-30-01-00-00 were quarantined.');
    assert.equal((await party.api.get('incident', incident.sys_id)).body.result.state, '3');
    const release = buildQcaFile(['MSG-0001-AAAA'], 'release');
    const refused = await orderAndSubmit(party.api, QCA, release, signFile(release), { incident_number: incident.number });
    assert.match(refused.submitted.body.result.row_problems[0]?.reason ?? '', /release is not available/);
    const remove = buildQcaFile(['MSG-0001-AAAA', 'MSG-0002-BBBB']);
    const accepted = await orderAndSubmit(party.api, QCA, remove, signFile(remove), { incident_number: incident.number });
    assert.equal(accepted.submitted.body.result.state, 'in_progress');
    const after = (await party.api.get('incident', incident.sys_id)).body.result;
    assert.equal(after.state, '2');
    const wrong = await orderAndSubmit(party.api, QCA, remove, signFile(remove), { incident_number: 'INC9999999' });
    assert.match(wrong.submitted.body.result.rejection_reason, /not a quarantine incident of your party/);
  });
});
