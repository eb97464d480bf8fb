/** The store and the use cases over it, on PGlite and (with TEST_DATABASE_URL) on PostgreSQL. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEncodedQuery } from '../../simulators/domain/encoded-query';
import { DomainError } from '../../simulators/domain/errors';
import type { Caller, Core } from '../../simulators/services/context';
import { IncidentService } from '../../simulators/services/incidents';
import { onboardParty } from '../../simulators/services/onboarding';
import type { Db } from '../../simulators/store/db';
import { migrate } from '../../simulators/store/migrate';
import { findIncident } from '../../simulators/store/incidents';
import { listRecords } from '../../simulators/store/records';
import { INCIDENT } from '../../simulators/store/tables';
import { testCore, testDatabases } from '../support';

async function rejects(work: Promise<unknown>, status: number): Promise<DomainError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    assert.equal(error.status, status, error.message);
    return error;
  }
  assert.fail(`expected a ${status} refusal`);
}

function party(name: string) {
  const slug = name.toLowerCase().replace(/\W+/g, '-');
  return {
    name,
    userRoles: ['IS'],
    regions: ['North'],
    gatewayConnected: false,
    administrator: { email: `admin@${slug}.example`, name: 'Ann Admin' },
  };
}

for (const database of testDatabases()) {
  describe(`store on ${database.name}`, { skip: database.skip }, () => {
    let db: Db;
    let core: Core;
    let incidents: IncidentService;
    let alice: Caller;
    let bob: Caller;

    before(async () => {
      db = await database.open();
      core = await testCore(db);
      incidents = new IncidentService(core);
      const [a, b] = [await onboardParty(core, party('Alpha Energy')), await onboardParty(core, party('Beta Power'))];
      alice = {
        accountId: a.administrator.sysId,
        partyId: a.party.id,
        username: a.administrator.username,
        roles: a.administrator.roles,
        amr: ['pwd'],
      };
      bob = {
        accountId: b.administrator.sysId,
        partyId: b.party.id,
        username: b.administrator.username,
        roles: b.administrator.roles,
        amr: ['pwd'],
      };
    });
    after(async () => {
      await db?.close();
      await database.dispose();
    });

    it('applies migrations once', async () => {
      assert.deepEqual(await migrate(db), []);
    });

    it('refuses a second party of the same name and writes nothing', async () => {
      const again = { ...party('Alpha Energy'), administrator: { email: 'other@alpha.example', name: 'Other' } };
      await rejects(onboardParty(core, again), 409);
      const rows = await db.query(`SELECT count(*)::int AS n FROM account WHERE username = 'other@alpha.example'`);
      assert.deepEqual(rows, [{ n: 0 }]);
    });

    it('numbers incidents from one sequence and computes priority', async () => {
      const first = await incidents.raise(alice, { short_description: 'Alerts missing', impact: '1', urgency: '2' });
      const second = await incidents.raise(bob, { short_description: 'Hub offline', impact: 3, urgency: 3 });
      assert.match(first.number, /^INC\d{7}$/);
      assert.equal(Number(second.number.slice(3)), Number(first.number.slice(3)) + 1);
      assert.equal(first.priority, 2);
      assert.equal(second.priority, 5);
    });

    it("lists one party's incidents, filtered, sorted, paged and counted", async () => {
      for (const [impact, urgency] of [
        [1, 1],
        [2, 1],
        [3, 3],
      ]) {
        await incidents.raise(alice, { short_description: `Paging check ${impact}${urgency}`, impact, urgency });
      }
      const query = parseEncodedQuery('active=true^priority<=2^short_descriptionSTARTSWITHPaging^ORDERBYDESCnumber');
      const page = await listRecords(db, INCIDENT, alice.partyId, { query, limit: 1, offset: 0, fields: ['number', 'priority'] });
      assert.equal(page.total, 2);
      assert.deepEqual(Object.keys(page.rows[0] ?? {}), ['number', 'priority']);
      assert.equal(page.rows[0]?.priority, 2);
      const none = await listRecords(db, INCIDENT, bob.partyId, { query, limit: 10, offset: 0 });
      assert.equal(none.total, 0);
    });

    it('reads ORs, INs and LIKEs with bound values, never as SQL', async () => {
      const query = parseEncodedQuery(`short_descriptionLIKE'; DROP TABLE incident; --^ORpriorityIN1,5`);
      const page = await listRecords(db, INCIDENT, alice.partyId, { query, limit: 100, offset: 0 });
      assert.deepEqual(page.rows.map((r) => r.priority).sort(), [1, 5]);
    });

    it("updates only within the caller's party and leaves a refused record unchanged", async () => {
      const incident = await incidents.raise(alice, { short_description: 'Firmware stuck' });
      await rejects(incidents.update(bob, incident.sys_id, { urgency: 1 }), 404);
      await rejects(incidents.update(alice, incident.sys_id, { state: 6 }), 409);
      await rejects(incidents.update(alice, incident.sys_id, { urgency: 1, colour: 'red' }), 400);
      assert.deepEqual(await findIncident(db, alice.partyId, incident.sys_id), incident);
      const canceled = await incidents.update(alice, incident.sys_id, { state: '8', close_notes: 'Raised in error' });
      assert.equal(canceled.active, false);
      assert.equal(canceled.sys_mod_count, 1);
      await rejects(incidents.update(alice, incident.sys_id, { state: 2 }), 409);
    });

    it('refuses incidents without the Functional Component', async () => {
      await rejects(incidents.raise({ ...alice, roles: ['SERVICE_READONLY'] }, { short_description: 'Read-only user' }), 403);
    });

    it('rolls back every row of a failed transaction', async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query(`UPDATE party SET name = 'Renamed' WHERE id = $1`, [alice.partyId]);
          throw new Error('boom');
        }),
        /boom/,
      );
      const rows = await db.query<{ name: string }>('SELECT name FROM party WHERE id = $1', [alice.partyId]);
      assert.equal(rows[0]?.name, 'Alpha Energy');
    });
  });
}
