/**
 * In-life returns of hubs (OMS-07..09): an RMA and a collection booked at the carrier; the carrier's
 * word (collected, received) recorded by an explicit, idempotent sync, which triages a received
 * return and fixes its charge; DCC's engineers may triage it again. Reading a return changes nothing.
 */
import { z } from 'zod';
import { InvalidInput, NotFound } from '../domain/errors';
import { assertReturnable, HubStatus } from '../domain/hubs';
import { formatNumber, newSysId, SYS_ID } from '../domain/ids';
import { FAULT_REASONS, NO_FAULT_REASONS } from '../domain/oms';
import {
  carrierSignal,
  expectedTriage,
  isFault,
  RETURN,
  ReturnState,
  returnCharge,
  TRIAGE_OUTCOMES,
  type TriageOutcome,
} from '../domain/returns';
import type { ShipmentEvent } from '../domain/shipments';
import { assertNotHeld } from '../domain/transfer';
import type { Queryable } from '../store/db';
import { findHub, heldHubs, setHubStatus } from '../store/hubs';
import { nextOmsNumber } from '../store/oms';
import { findReturn, insertReturn, listReturns, moveReturn, recordTriage, type ReturnRow } from '../store/returns';
import type { Caller, Core } from './context';
import { parseInput } from './validate';

const Return = z.object({ device_id: z.string().max(30), reason: z.enum([...FAULT_REASONS, ...NO_FAULT_REASONS]) }).strict();
const Triage = z.object({ outcome: z.enum(TRIAGE_OUTCOMES) }).strict();

export class ReturnService {
  constructor(private readonly core: Core) {}

  private now = () => this.core.clock.now();

  /** Raising a return needs this component: the portal asks before it shows the form. */
  assertMayReturn(caller: Caller): void {
    this.core.roles.require(caller.roles, 'oms.returns');
  }

  /**
   * An in-life return of a party's hub (OMS-07, OMS-08): an RMA, and a collection at the carrier,
   * booked first, so that a carrier that cannot be reached leaves the hub as it was.
   */
  async raise(caller: Caller, body: unknown): Promise<ReturnRow> {
    this.assertMayReturn(caller);
    const input = parseInput(Return, body);
    await this.returnable(this.core.db, caller.partyId, input.device_id);
    const rma = formatNumber('RMA', await nextOmsNumber(this.core.db, 'rma_number'));
    await this.core.carrier.register({ reference: rma, kind: 'return', quantity: 1, due_on: this.now().toISOString().slice(0, 10) });
    return this.core.db.transaction(async (tx) => {
      const hub = await this.returnable(tx, caller.partyId, input.device_id, true);
      const r: ReturnRow = {
        sys_id: newSysId(),
        rma_number: rma,
        party_id: caller.partyId,
        device_id: input.device_id.toUpperCase(),
        variant: hub.variant,
        reason: input.reason,
        fault: isFault(input.reason),
        state: ReturnState.RmaIssued,
        triage_outcome: null,
        charge_pence: null,
      };
      await setHubStatus(tx, r.device_id, HubStatus.Returning, this.now());
      await insertReturn(tx, r, this.now());
      return r;
    });
  }

  /** A return as recorded (OMS-09): a read, which changes nothing (`sync` records the carrier's word). */
  async progress(caller: Caller, sysId: string): Promise<ReturnRow> {
    this.core.roles.require(caller.roles, 'oms.read');
    return this.find(this.core.db, caller.partyId, sysId);
  }

  /** The caller's party's returns, newest first. */
  async list(caller: Caller): Promise<ReturnRow[]> {
    this.core.roles.require(caller.roles, 'oms.read');
    return listReturns(this.core.db, caller.partyId);
  }

  /**
   * Records what the carrier says of the return, and gives its events: collected, then received,
   * which triages it with its charge. Idempotent, and it moves a return on only from where it found
   * it: a second sync, or a reading that lands late, changes nothing. Run before the return is shown.
   */
  async sync(caller: Caller, sysId: string): Promise<ShipmentEvent[]> {
    this.core.roles.require(caller.roles, 'oms.read');
    const row = await this.find(this.core.db, caller.partyId, sysId);
    const events = await this.core.carrier.events(row.rma_number);
    const signal = carrierSignal(events);
    if (!signal || !RETURN.allows(row.state, signal)) return events;
    if (signal === 'carrier_received') await this.triage(row.sys_id, expectedTriage(row.fault), signal);
    else await moveReturn(this.core.db, row.sys_id, { from: RETURN.from(signal), to: RETURN.next(row.state, signal) }, this.now());
    return events;
  }

  /** DCC's engineers overrule the triage of a return the carrier delivered to them (the service-desk persona). */
  async triageAgain(sysId: string, body: unknown): Promise<ReturnRow> {
    const { outcome } = parseInput(Triage, body);
    if (!SYS_ID.test(sysId)) throw new NotFound('Return');
    return this.triage(sysId, outcome, 'triage_again');
  }

  /**
   * Records a triage outcome and its charge, with the return's row locked: the first, once the
   * carrier has delivered the return (a sync that finds it triaged already leaves that one), or
   * DCC's, which only a triaged return can have.
   */
  private async triage(sysId: string, outcome: TriageOutcome, event: 'carrier_received' | 'triage_again'): Promise<ReturnRow> {
    return this.core.db.transaction(async (tx) => {
      const row = await findReturn(tx, null, sysId, true);
      if (!row) throw new NotFound('Return');
      if (event === 'carrier_received' && !RETURN.allows(row.state, event)) return row;
      const state = RETURN.next(row.state, event, row.rma_number);
      const charge = returnCharge(outcome, row.variant, this.core.config.oms.charges);
      const triaged = (await recordTriage(tx, row.sys_id, { state, outcome, charge }, this.now())) ?? row;
      await setHubStatus(tx, row.device_id, HubStatus.Returned, this.now());
      return triaged;
    });
  }

  /** A hub of the party that is not already on its way back, nor held for a pending transfer. */
  private async returnable(db: Queryable, partyId: string, deviceId: string, forUpdate = false): Promise<{ variant: string }> {
    const hub = await findHub(db, partyId, deviceId.toUpperCase(), forUpdate);
    if (!hub)
      throw new InvalidInput(
        `${deviceId.slice(0, 30)} is not a hub of your party`,
        'Check the device ID (EUI-64) on the hub.',
        'device_id',
      );
    assertReturnable(deviceId, hub.status);
    assertNotHeld(await heldHubs(db, [deviceId.toUpperCase()]), 'device_id');
    return hub;
  }

  private async find(db: Queryable, partyId: string, sysId: string): Promise<ReturnRow> {
    const row = SYS_ID.test(sysId) ? await findReturn(db, partyId, sysId) : undefined;
    if (!row) throw new NotFound('Return');
    return row;
  }
}
