/**
 * OMS reads do not write (issue 15): reading an order, a consignment, a return, the stock or the
 * transfers issues only plain SELECTs; the carrier's word is recorded by an explicit sync, which is
 * idempotent: a second sync writes nothing, and one after DCC's triage does not undo it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_SIGNING_PUBLIC_KEY } from '../../fixtures/signed-files';
import type { ShipmentEvent } from '../../simulators/domain/shipments';
import type { Caller, Core } from '../../simulators/services/context';
import { OmsService } from '../../simulators/services/oms';
import { onboardParty } from '../../simulators/services/onboarding';
import type { Db, Queryable } from '../../simulators/store/db';
import { administratorOf, testCore, testDatabases } from '../support';

const ROLES = ['ORG_ADMIN', 'OMS_ORDERING', 'OMS_RETURNS'];
const WRITE = /^\s*(?!SELECT\b)|\bFOR (NO KEY )?UPDATE\b/i;

/** The database, noting every statement that is not a plain SELECT (a write, or a lock taken to write). */
function recording(db: Db, writes: string[]): Db {
  const note = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      if (WRITE.test(sql)) writes.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
      return q.query(sql, params);
    },
  });
  return {
    kind: db.kind,
    ...note(db),
    transaction: (work) => db.transaction((tx) => work(note(tx))),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  } as Db;
}

for (const database of testDatabases()) {
  describe(`OMS reads and carrier syncs on ${database.name}`, { skip: database.skip }, () => {
    let db: Db;
    let oms: OmsService;
    let caller: Caller;
    const said = new Map<string, ShipmentEvent[]>();
    const writes: string[] = [];
    /** What the work wrote, by its first words. */
    const written = async (work: () => Promise<unknown>) => {
      writes.length = 0;
      await work();
      return [...writes];
    };

    before(async () => {
      db = await database.open();
      const base = await testCore(db);
      base.clock.change({ set: '2026-12-01T10:00:00Z', freeze: true });
      const carrier = {
        register: async () => undefined,
        amend: async () => undefined,
        events: async (reference: string) => said.get(reference) ?? [],
      };
      const core: Core = { ...base, db: recording(db, writes), carrier };
      oms = new OmsService(core);
      const onboarded = await onboardParty(core, {
        name: 'Reader Energy',
        userRoles: ['IS'],
        regions: ['North'],
        gatewayConnected: false,
        userIds: [],
        signingKey: TEST_SIGNING_PUBLIC_KEY,
        administrator: { email: 'admin@reader-energy.example', name: 'Ann Admin' },
      });
      caller = administratorOf(onboarded, ROLES);
    });
    after(async () => {
      await db?.close();
      await database.dispose();
    });

    it('reads a delivered consignment without recording the delivery; the sync records it once', async () => {
      const placed = await oms.orders.place(caller, {
        region: 'North',
        variant: '4G-SB',
        delivery_month: '2027-04',
        location: 'Leeds depot',
        quantity: 10,
      });
      await oms.orders.decide(placed.sys_id, { decision: 'approve' });
      const c = await oms.orders.confirm(caller, placed.sys_id);
      said.set(c.number, [{ status: 'delivered', at: '2026-12-01T09:00:00Z' }]);
      const reads = [
        () => oms.deliveries.consignment(caller, c.sys_id),
        () => oms.orders.orderOf(caller, placed.sys_id),
        () => oms.orders.list(caller),
        () => oms.hubs.stock(caller),
        () => oms.transfers.incoming(caller),
      ];
      for (const read of reads) assert.deepEqual(await written(read), []);
      assert.equal((await oms.deliveries.consignment(caller, c.sys_id)).state, 'planned');
      assert.deepEqual(await written(() => oms.deliveries.sync(caller, c.sys_id)), ['UPDATE consignment SET']);
      assert.deepEqual(await written(() => oms.deliveries.sync(caller, c.sys_id)), []);
      const delivered = await oms.deliveries.consignment(caller, c.sys_id);
      assert.deepEqual([delivered.state, delivered.delivered_at?.toISOString()], ['delivered', '2026-12-01T09:00:00.000Z']);
    });

    it("reads a received return without triaging it; the sync triages it once and does not undo DCC's triage", async () => {
      const device = '00-1B-C5-0C-00-00-0A-01';
      await oms.hubs.install(caller.partyId, '4G-DB', [device]);
      const r = await oms.returns.raise(caller, { device_id: device, reason: 'no_power' });
      said.set(r.rma_number, [
        { status: 'collected', at: '2026-12-01T09:00:00Z' },
        { status: 'received', at: '2026-12-01T09:30:00Z' },
      ]);
      for (const read of [() => oms.returns.progress(caller, r.sys_id), () => oms.returns.list(caller)])
        assert.deepEqual(await written(read), []);
      assert.equal((await oms.returns.progress(caller, r.sys_id)).state, 'rma_issued');
      assert.deepEqual(await written(() => oms.returns.sync(caller, r.sys_id)), [
        'SELECT * FROM',
        'UPDATE ch_return SET',
        'UPDATE device SET',
      ]);
      assert.deepEqual(await written(() => oms.returns.sync(caller, r.sys_id)), []);
      await oms.returns.triageAgain(r.sys_id, { outcome: 'no_fault_found' });
      await oms.returns.sync(caller, r.sys_id);
      const read = await oms.returns.progress(caller, r.sys_id);
      assert.deepEqual([read.state, read.triage_outcome, read.charge_pence], ['triaged', 'no_fault_found', 827]);
      assert.deepEqual(await oms.hubs.stock(caller), [{ variant: '4G-DB', status: 'returned', count: 1 }]);
    });
  });
}
