/**
 * State changes raced (issue 14): each change re-reads and checks the current owner and state inside
 * its transaction, so the same change fired several times at once wins once, the others are told why
 * with a 409, and the stock adds up. On PGlite and (with TEST_DATABASE_URL) on PostgreSQL, where the
 * transactions really run at the same time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Faker, en } from '@faker-js/faker';
import { buildAdtFile, signFile, TEST_SIGNING_PUBLIC_KEY } from '../../fixtures/signed-files';
import { CATALOG } from '../../simulators/domain/catalog';
import { DomainError } from '../../simulators/domain/errors';
import type { ShipmentEvent } from '../../simulators/domain/shipments';
import type { AttachmentService } from '../../simulators/services/attachments';
import { buildServices } from '../../simulators/services';
import type { Carrier } from '../../simulators/services/carrier';
import type { Caller, Core } from '../../simulators/services/context';
import type { IncidentService } from '../../simulators/services/incidents';
import type { OmsService } from '../../simulators/services/oms';
import { onboardParty } from '../../simulators/services/onboarding';
import type { RequestService } from '../../simulators/services/requests';
import type { Db } from '../../simulators/store/db';
import { administratorOf, testCore, testDatabases } from '../support';

const N = 6;
const TRANSFER = CATALOG.find((i) => i.onOrder === 'ch-transfer')?.sys_id ?? '';
const ADT = CATALOG.find((i) => i.file === 'adt')?.sys_id ?? '';
const CONTACTS = CATALOG.find((i) => i.onFulfil === 'nominated-contact')?.sys_id ?? '';
const USER_IDS = ['90-B3-D5-1F-30-0A-00-00'];
const ROLES = ['ORG_ADMIN', 'SERVICE_USER', 'FILE_SUBMITTER', 'OMS_ORDERING', 'OMS_RETURNS'];

/** The carrier in memory: it keeps due dates, tells the events a test gives it, and can be slow to answer. */
class MemoryCarrier implements Carrier {
  readonly dueOn = new Map<string, string>();
  readonly said = new Map<string, ShipmentEvent[]>();
  private held: { left: number; arrive: () => void; gate: Promise<void> } | undefined;

  async register(s: { reference: string; due_on: string }): Promise<void> {
    this.dueOn.set(s.reference, s.due_on);
  }

  async amend(reference: string, dueOn: string): Promise<void> {
    await this.late();
    this.dueOn.set(reference, dueOn);
  }

  async events(reference: string): Promise<ShipmentEvent[]> {
    const answer = this.said.get(reference) ?? [];
    await this.late();
    return answer;
  }

  private async late(): Promise<void> {
    const held = this.held;
    if (!held || held.left === 0) return;
    held.left -= 1;
    if (held.left === 0) held.arrive();
    await held.gate;
  }

  /** The next `n` calls (amendments land, events are answered) only at `release`; `arrived` settles once all n were made. */
  hold(n: number): { arrived: Promise<void>; release: () => void } {
    let arrive = () => undefined as void;
    let release = () => undefined as void;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.held = { left: n, arrive, gate };
    return { arrived, release };
  }
}

/** Fires the same change `n` times at once: what won, and the refusals, each of which must be a 409. */
async function race<T>(work: () => Promise<T>, n = N): Promise<{ won: T[]; refused: DomainError[] }> {
  const settled = await Promise.allSettled(Array.from({ length: n }, () => work()));
  const won = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const refused = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  for (const error of refused) {
    assert.ok(
      error instanceof DomainError,
      `expected a refusal, got ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    assert.equal(error.status, 409, `${error.message} ${error.detail}`);
  }
  return { won, refused: refused as DomainError[] };
}

/** Exactly one of the racers won, and every other was told why, in words like `reason`. */
function wonOnce<T>(result: { won: T[]; refused: DomainError[] }, reason: RegExp): T {
  assert.equal(result.won.length, 1, `${result.won.length} of the racers won: ${JSON.stringify(result.won)}`);
  for (const error of result.refused) assert.match(`${error.message} ${error.detail}`, reason);
  return result.won[0] as T;
}

function party(name: string) {
  const slug = name.toLowerCase().replace(/\W+/g, '-');
  return {
    name,
    userRoles: ['IS'],
    regions: ['North'],
    gatewayConnected: false,
    userIds: USER_IDS,
    signingKey: TEST_SIGNING_PUBLIC_KEY,
    administrator: { email: `admin@${slug}.example`, name: 'Ann Admin' },
  };
}

async function refusal(work: Promise<unknown>, status: number, reason: RegExp): Promise<void> {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.status, status, error.message);
    assert.match(`${error.message} ${error.detail}`, reason);
    return true;
  });
}

for (const database of testDatabases()) {
  describe(`state changes raced on ${database.name}`, { skip: database.skip }, () => {
    let db: Db;
    let core: Core;
    let carrier: MemoryCarrier;
    let oms: OmsService;
    let incidents: IncidentService;
    let requests: RequestService;
    let attachments: AttachmentService;
    let [a, b, c]: Caller[] = [];
    let hubs = 0;
    const sender = () => a as Caller;
    /** New hubs installed at the sender's premises. */
    const install = async (count: number): Promise<string[]> => {
      const ids = Array.from(
        { length: count },
        () =>
          `00-1B-C5-0C-00-00-${(++hubs)
            .toString(16)
            .toUpperCase()
            .padStart(4, '0')
            .replace(/(..)(..)/, '$1-$2')}`,
      );
      await oms.hubs.install(sender().partyId, '4G-SB', ids);
      return ids;
    };
    const transfer = async (to: string, ids: string[]) =>
      (await requests.order(sender(), TRANSFER, { variables: { receiving_party: to, device_ids: ids.join(', ') } })).item;
    const transferTo = async (who: Caller, itemSysId: string) => {
      const [t] = await db.query<{ sys_id: string }>('SELECT sys_id FROM ch_transfer WHERE request_item = $1 AND to_party = $2', [
        itemSysId,
        who.partyId,
      ]);
      return t?.sys_id ?? '';
    };
    const stock = (who: Caller) => oms.hubs.stock(who);
    /** A return's progress as its GET reads it: the carrier's word recorded first, then the return. */
    const progress = async (who: Caller, sysId: string) => {
      const events = await oms.returns.sync(who, sysId);
      return { ...(await oms.returns.progress(who, sysId)), events };
    };
    /** An order of 10 hubs for April 2027 (outside tolerance: there is no forecast), approved by DCC when asked. */
    const order = async (approved: boolean) => {
      const placed = await oms.orders.place(sender(), {
        region: 'North',
        variant: '4G-SB',
        delivery_month: '2027-04',
        location: 'Leeds depot',
        quantity: 10,
      });
      return approved ? oms.orders.decide(placed.sys_id, { decision: 'approve' }) : placed;
    };

    before(async () => {
      db = await database.open();
      const base = await testCore(db);
      base.clock.change({ set: '2026-12-01T10:00:00Z', freeze: true });
      carrier = new MemoryCarrier();
      core = { ...base, carrier };
      ({ oms, incidents, requests, attachments } = buildServices(core));
      [a, b, c] = await Promise.all(
        ['Sender Energy', 'Receiver Power', 'Third Gas'].map(async (name) => administratorOf(await onboardParty(core, party(name)), ROLES)),
      );
    });
    after(async () => {
      await db?.close();
      await database.dispose();
    });

    describe('CH transfers', () => {
      it('holds a hub for its pending transfer: a second transfer of it is refused, and a stale acceptance cannot take it', async () => {
        const [x = '', y = ''] = await install(2);
        const toB = await transfer('Receiver Power', [x]);
        await refusal(transfer('Third Gas', [x]), 409, new RegExp(`${x} is already in pending transfer ${toB.number}`));
        // A transfer recorded before hubs were held for their transfer, of a hub another one holds.
        const toC = await transfer('Third Gas', [y]);
        await db.query('UPDATE ch_transfer SET device_ids = $2 WHERE request_item = $1', [toC.sys_id, [x]]);
        await refusal(
          oms.transfers.answer(c as Caller, await transferTo(c as Caller, toC.sys_id), true),
          409,
          new RegExp(`can no longer be accepted.*${x}`),
        );
        assert.deepEqual(await stock(c as Caller), []);
        assert.deepEqual(await oms.transfers.answer(b as Caller, await transferTo(b as Caller, toB.sys_id), true), {
          state: 'accepted',
          devices: 1,
        });
        assert.deepEqual(await oms.transfers.answer(c as Caller, await transferTo(c as Caller, toC.sys_id), false), {
          state: 'rejected',
          devices: 1,
        });
        assert.deepEqual(await stock(b as Caller), [{ variant: '4G-SB', status: 'in_stock', count: 1 }]);
        assert.deepEqual(await stock(c as Caller), []);
      });

      it('holds the hub against a return, and frees it when the transfer is rejected', async () => {
        const [x = ''] = await install(1);
        const item = await transfer('Receiver Power', [x]);
        await refusal(
          oms.returns.raise(sender(), { device_id: x, reason: 'no_power' }),
          409,
          new RegExp(`${x} is already in pending transfer ${item.number}`),
        );
        await refusal(requests.desk.decide(item.sys_id, { state: 'fulfilled' }), 409, /waits for the receiving party/);
        await oms.transfers.answer(b as Caller, await transferTo(b as Caller, item.sys_id), false);
        assert.equal((await oms.returns.raise(sender(), { device_id: x, reason: 'no_power' })).state, 'rma_issued');
        await refusal(transfer('Receiver Power', [x]), 400, /not yours to transfer/);
      });

      it('puts a hub in one of several transfers ordered at once', async () => {
        const [x = ''] = await install(1);
        const { number } = wonOnce(
          await race(() => transfer('Receiver Power', [x])),
          new RegExp(`${x} is already in pending transfer RITM\\d+`),
        );
        const pending = await db.query<{ number: string }>(
          `SELECT i.number FROM ch_transfer t JOIN sc_req_item i ON i.sys_id = t.request_item WHERE $1 = ANY(t.device_ids) AND t.state = 'pending'`,
          [x],
        );
        assert.deepEqual(pending, [{ number }]);
      });

      it('answers a transfer once when it is accepted and rejected at once', async () => {
        const ids = await install(3);
        const item = await transfer('Third Gas', ids);
        const sysId = await transferTo(c as Caller, item.sys_id);
        const before = await stock(c as Caller);
        let i = 0;
        const answer = wonOnce(
          await race(() => oms.transfers.answer(c as Caller, sysId, i++ % 2 === 0)),
          /This transfer was already (accepted|rejected)/,
        );
        const held = (before[0]?.count ?? 0) + (answer.state === 'accepted' ? 3 : 0);
        assert.deepEqual(
          (await stock(c as Caller)).map((s) => s.count),
          held ? [held] : [],
        );
        assert.equal((await requests.item(sender(), item.sys_id)).state, answer.state === 'accepted' ? 'fulfilled' : 'rejected');
      });
    });

    describe('orders and consignments', () => {
      it('decides a tolerance exception once', async () => {
        const placed = await order(false);
        wonOnce(await race(() => oms.orders.decide(placed.sys_id, { decision: 'approve' })), /is not waiting for a decision/);
      });

      it('confirms an order once, into one consignment', async () => {
        const placed = await order(true);
        wonOnce(await race(() => oms.orders.confirm(sender(), placed.sys_id)), /is confirmed and cannot be confirmed/);
        assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM consignment WHERE order_id = $1', [placed.sys_id]), [{ n: 1 }]);
      });

      it('amends a delivery once when the same amendment is sent at once, and the carrier is told the date recorded', async () => {
        const consignment = await oms.orders.confirm(sender(), (await order(true)).sys_id);
        wonOnce(
          await race(() => oms.deliveries.amend(sender(), consignment.sys_id, { delivery_date: '2027-04-14' })),
          /is already due on 2027-04-14/,
        );
        const [recorded] = await db.query<{ d: string }>('SELECT delivery_date::text AS d FROM consignment WHERE sys_id = $1', [
          consignment.sys_id,
        ]);
        assert.deepEqual([recorded?.d, carrier.dueOn.get(consignment.number)], ['2027-04-14', '2027-04-14']);
      });

      it('refuses an amendment asked against a delivery date changed meanwhile, and the carrier keeps the date recorded', async () => {
        const consignment = await oms.orders.confirm(sender(), (await order(true)).sys_id);
        const late = carrier.hold(1);
        const first = oms.deliveries.amend(sender(), consignment.sys_id, { delivery_date: '2027-04-13' });
        await late.arrived;
        assert.equal(
          (await oms.deliveries.amend(sender(), consignment.sys_id, { delivery_date: '2027-04-15' })).delivery_date,
          '2027-04-15',
        );
        late.release();
        await refusal(first, 409, /delivery date was changed to 2027-04-15 meanwhile/);
        const [recorded] = await db.query<{ d: string }>('SELECT delivery_date::text AS d FROM consignment WHERE sys_id = $1', [
          consignment.sys_id,
        ]);
        assert.deepEqual([recorded?.d, carrier.dueOn.get(consignment.number)], ['2027-04-15', '2027-04-15']);
      });

      it('confirms a delivery once', async () => {
        const consignment = await oms.orders.confirm(sender(), (await order(true)).sys_id);
        wonOnce(await race(() => oms.deliveries.confirm(sender(), consignment.sys_id)), /is already delivery confirmed/);
      });

      it('accepts a delivery once, and the stock grows by the consignment once', async () => {
        const consignment = await oms.orders.confirm(sender(), (await order(true)).sys_id);
        carrier.said.set(consignment.number, [{ status: 'delivered', at: '2026-12-01T09:00:00Z' }]);
        const before = (await stock(sender())).find((s) => s.status === 'in_stock')?.count ?? 0;
        wonOnce(
          await race(() => oms.deliveries.respond(sender(), consignment.sys_id, { decision: 'accept' })),
          new RegExp(`${consignment.number} was already accepted`),
        );
        assert.equal((await stock(sender())).find((s) => s.status === 'in_stock')?.count, before + 10);
      });

      it('numbers forecasts submitted at once one after another', async () => {
        const sent = await race(() =>
          oms.orders.submitForecast(sender(), { region: 'South', variant: '4G-DB', months: [{ month: '2027-01', quantity: 10 }] }),
        );
        assert.deepEqual(
          sent.won.map((f) => f.version).sort((x, y) => x - y),
          Array.from({ length: N }, (_, i) => i + 1),
        );
      });
    });

    describe('returns', () => {
      it('raises one return of a hub asked for at once', async () => {
        const [x = ''] = await install(1);
        wonOnce(
          await race(() => oms.returns.raise(sender(), { device_id: x, reason: 'no_power' })),
          new RegExp(`${x} is already being returned`),
        );
        assert.deepEqual(await db.query('SELECT status FROM device WHERE device_id = $1', [x]), [{ status: 'returning' }]);
      });

      it("triages a received return once: a late reading of its progress does not undo DCC's triage", async () => {
        const [x = ''] = await install(1);
        const r = await oms.returns.raise(sender(), { device_id: x, reason: 'no_power' });
        carrier.said.set(r.rma_number, [{ status: 'received', at: '2026-12-01T09:00:00Z' }]);
        const late = carrier.hold(N);
        const readings = Array.from({ length: N }, () => progress(sender(), r.sys_id));
        await late.arrived;
        assert.equal((await progress(sender(), r.sys_id)).triage_outcome, 'not_redeployable');
        assert.equal((await oms.returns.triageAgain(r.sys_id, { outcome: 'no_fault_found' })).triage_outcome, 'no_fault_found');
        late.release();
        for (const reading of await Promise.all(readings))
          assert.deepEqual([reading.state, reading.triage_outcome], ['triaged', 'no_fault_found']);
        assert.deepEqual(await db.query('SELECT state, triage_outcome FROM ch_return WHERE sys_id = $1', [r.sys_id]), [
          { state: 'triaged', triage_outcome: 'no_fault_found' },
        ]);
      });

      it('does not take a triaged return back to collected when an older reading lands late', async () => {
        const [x = ''] = await install(1);
        const r = await oms.returns.raise(sender(), { device_id: x, reason: 'removed_no_fault' });
        carrier.said.set(r.rma_number, [{ status: 'collected', at: '2026-12-01T09:00:00Z' }]);
        const late = carrier.hold(1);
        const reading = progress(sender(), r.sys_id);
        await late.arrived;
        carrier.said.set(r.rma_number, [
          { status: 'collected', at: '2026-12-01T09:00:00Z' },
          { status: 'received', at: '2026-12-01T09:30:00Z' },
        ]);
        assert.equal((await progress(sender(), r.sys_id)).state, 'triaged');
        late.release();
        await reading;
        assert.deepEqual(await db.query('SELECT state, triage_outcome FROM ch_return WHERE sys_id = $1', [r.sys_id]), [
          { state: 'triaged', triage_outcome: 'redeployable' },
        ]);
      });
    });

    describe('service requests', () => {
      it('accepts a signed file once when it is submitted at once', async () => {
        const { item } = await requests.order(sender(), ADT, {});
        const csv = buildAdtFile(new Faker({ locale: [en], seed: 14 }), USER_IDS);
        for (const [fileName, contentType, content] of [
          ['adt.csv', 'text/csv', csv],
          ['adt.csv.sig', 'text/plain', signFile(csv)],
        ] as const) {
          await attachments.attach(sender(), {
            tableName: 'sc_req_item',
            tableSysId: item.sys_id,
            fileName,
            contentType,
            content: new TextEncoder().encode(content),
          });
        }
        assert.equal(wonOnce(await race(() => requests.files.submit(sender(), item.sys_id)), /was already accepted/).state, 'in_progress');
      });

      it('lets DCC fulfil an item once', async () => {
        const { item } = await requests.order(sender(), CONTACTS, {
          variables: { contact_role: 'Security', contact_name: 'Sam Secure', contact_email: 'sam@sender-energy.example' },
        });
        wonOnce(
          await race(() => requests.desk.decide(item.sys_id, { state: 'fulfilled' })),
          new RegExp(`${item.number} was already fulfilled`),
        );
        await refusal(
          requests.desk.decide(item.sys_id, { state: 'rejected', reason: 'Too late' }),
          409,
          /is fulfilled and cannot be rejected/,
        );
        assert.equal((await requests.desk.decide(item.sys_id, { state: 'closed' })).state, 'closed');
      });
    });

    describe('incidents', () => {
      const raised = async () => {
        const incident = await incidents.raise(sender(), { short_description: 'Hub offline in Leeds' });
        await incidents.serviceDesk(incident.sys_id, { state: 2 });
        return incident.sys_id;
      };

      it('resolves an incident once, and its caller confirms the resolution once', async () => {
        const id = await raised();
        wonOnce(await race(() => incidents.serviceDesk(id, { state: 6, close_notes: 'Hub restarted' })), /already Resolved/);
        wonOnce(await race(() => incidents.update(sender(), id, { state: 7 })), /is closed and can no longer change/);
      });

      it('rejects a resolution once when the rejection is sent at once', async () => {
        const id = await raised();
        await incidents.serviceDesk(id, { state: 6, close_notes: 'Hub restarted' });
        const reopened = wonOnce(
          await race(() => incidents.update(sender(), id, { state: 2, comments: 'Still offline' })),
          /already In Progress/,
        );
        assert.equal(reopened.reopen_count, 1);
        assert.deepEqual(
          await db.query(`SELECT count(*)::int AS n FROM journal_entry WHERE element_id = $1 AND element = 'comments'`, [id]),
          [{ n: 1 }],
        );
      });
    });
  });
}
