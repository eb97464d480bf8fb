/** The OMS aggregates' state machines and the rules that go with their transitions, pure. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CONSIGNMENT,
  ConsignmentState,
  assertAmendable,
  deliveredAt,
  plannedDeliveryDate,
  respond,
} from '../../simulators/domain/consignment';
import { DomainError } from '../../simulators/domain/errors';
import { ORDER, OrderState, assertDeliveryMonth, placedState } from '../../simulators/domain/order';
import { RETURN, ReturnState, carrierSignal, returnCharge } from '../../simulators/domain/returns';
import type { StateMachine } from '../../simulators/domain/state-machine';
import { TRANSFER, TransferState, assertAllMoved, itemOutcome, transferredHubs } from '../../simulators/domain/transfer';
import { WorkingCalendar } from '../../simulators/domain/working-days';

function refusal(fn: () => unknown, status: number, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.status, status, error.message);
    assert.match(`${error.message} ${error.detail}`, message);
    return true;
  });
}

/** Every state and event: the move the table holds, or a 409 about the state; `from` lists exactly the states that move. */
function checkTotal<S extends string, E extends string>(machine: StateMachine<S, E>, states: Record<string, S>, events: E[]): void {
  for (const event of events) {
    for (const from of Object.values(states)) {
      if (machine.allows(from, event)) assert.ok(machine.from(event).includes(from), `${from} ${event}`);
      else refusal(() => machine.next(from, event, 'X1'), 409, /./);
    }
    assert.ok(
      machine.from(event).every((s) => Object.values(states).includes(s)),
      event,
    );
  }
}

const calendar = new WorkingCalendar(['2027-05-03']);
const at = (iso: string) => new Date(iso);

describe('OMS state machines', () => {
  it('are total: every state meets every event with a move or a 409', () => {
    checkTotal(ORDER, OrderState, ['approve', 'reject', 'confirm']);
    checkTotal(CONSIGNMENT, ConsignmentState, ['amend', 'confirm_delivery', 'carrier_delivered', 'accept', 'reject']);
    checkTotal(RETURN, ReturnState, ['carrier_collected', 'carrier_received', 'triage_again']);
    checkTotal(TRANSFER, TransferState, ['accept', 'reject']);
  });

  it("moves an order through DCC's decision to confirmation, each once, in the platform's words", () => {
    assert.equal(placedState(1050, 1000, 10), 'submitted');
    assert.equal(placedState(1500, 1000, 10), 'tolerance_exception');
    assert.equal(placedState(10, undefined, 10), 'tolerance_exception');
    assert.equal(ORDER.next('tolerance_exception', 'approve', 'ORD1'), 'submitted');
    refusal(
      () => ORDER.next('tolerance_exception', 'confirm', 'ORD1'),
      409,
      /ORD1 is tolerance exception and cannot be confirmed DCC must approve the tolerance exception first/,
    );
    refusal(() => ORDER.next('confirmed', 'confirm', 'ORD1'), 409, /ORD1 is confirmed and cannot be confirmed/);
    refusal(() => ORDER.next('submitted', 'reject', 'ORD1'), 409, /ORD1 is not waiting for a decision/);
    refusal(
      () => assertDeliveryMonth('2027-03', at('2026-12-01T10:00:00Z'), { leadTimeMonths: 4, horizonMonths: 24 }),
      400,
      /inside the 4-month lead time/,
    );
    refusal(
      () => assertDeliveryMonth('2029-01', at('2026-12-01T10:00:00Z'), { leadTimeMonths: 4, horizonMonths: 24 }),
      400,
      /beyond the forecast horizon/,
    );
  });

  it('plans, amends, delivers and answers a consignment within its windows', () => {
    assert.equal(plannedDeliveryDate('2027-05', calendar), '2027-05-04');
    const c = { number: 'CON1', state: ConsignmentState.Planned, delivery_date: '2027-05-12', quantity: 10, delivered_at: null };
    refusal(() => assertAmendable(c, '2027-05-08', at('2027-04-20T10:00:00Z'), calendar, 5), 400, /not a working day/);
    refusal(() => assertAmendable(c, '2027-05-12', at('2027-04-20T10:00:00Z'), calendar, 5), 409, /already due on 2027-05-12/);
    refusal(() => assertAmendable(c, '2027-05-14', at('2027-05-06T10:00:00Z'), calendar, 5), 409, /cut-off was 2027-05-05/);
    refusal(
      () => assertAmendable({ ...c, state: 'delivered' }, '2027-05-14', at('2027-04-20T10:00:00Z'), calendar, 5),
      409,
      /CON1 is delivered: its delivery can no longer change/,
    );
    refusal(() => CONSIGNMENT.next('delivery_confirmed', 'confirm_delivery', 'CON1'), 409, /CON1 is already delivery confirmed/);
    assert.equal(
      deliveredAt([
        { status: 'picked', at: 'a' },
        { status: 'delivered', at: 'b' },
      ]),
      'b',
    );
    refusal(
      () => respond(c, { decision: 'accept' }, at('2027-05-12T15:00:00Z'), calendar, 2),
      409,
      /CON1 has not been delivered yet; it is planned/,
    );
    const delivered = { ...c, state: ConsignmentState.Delivered, delivered_at: at('2027-05-12T00:00:00Z') };
    assert.deepEqual(respond(delivered, { decision: 'reject', quantity: 4 }, at('2027-05-14T10:00:00Z'), calendar, 2), {
      state: 'rejected',
      accepted: 6,
    });
    refusal(
      () => respond(delivered, { decision: 'reject', quantity: 11 }, at('2027-05-12T15:00:00Z'), calendar, 2),
      400,
      /CON1 held 10 hubs; you cannot reject 11/,
    );
    refusal(
      () => respond(delivered, { decision: 'accept' }, at('2027-05-17T10:00:00Z'), calendar, 2),
      409,
      /window to accept or reject CON1 closed on 2027-05-17/,
    );
    refusal(
      () => respond({ ...delivered, state: 'accepted' }, { decision: 'reject', quantity: 1 }, at('2027-05-12T15:00:00Z'), calendar, 2),
      409,
      /CON1 was already accepted/,
    );
  });

  it("moves a return on from the carrier's latest word, and triages it again only once triaged", () => {
    assert.deepEqual(
      ['collected', 'in_transit', 'received', 'rejected_by_carrier'].map((status) => carrierSignal([{ status, at: '' }])),
      ['carrier_collected', 'carrier_collected', 'carrier_received', undefined],
    );
    assert.equal(carrierSignal([]), undefined);
    assert.equal(RETURN.next('collected', 'carrier_received'), 'triaged');
    assert.equal(RETURN.allows('triaged', 'carrier_received'), false);
    refusal(() => RETURN.next('collected', 'triage_again', 'RMA1'), 409, /RMA1 has not been triaged yet; it is collected/);
    const charges = { redeployable: 827, singleBand: 3087, dualBand: 5875 };
    assert.deepEqual(
      [
        returnCharge('not_redeployable', '4G-DB', charges),
        returnCharge('not_redeployable', '4G-SB', charges),
        returnCharge('no_fault_found', '4G-DB', charges),
      ],
      [5875, 3087, 827],
    );
  });

  it('answers a transfer once, and accepts it only with every hub still held for it', () => {
    assert.equal(TRANSFER.next('pending', 'accept'), 'accepted');
    refusal(() => TRANSFER.next('rejected', 'accept'), 409, /This transfer was already rejected/);
    assert.deepEqual(itemOutcome('accepted'), { state: 'fulfilled', reason: null });
    assert.deepEqual(transferredHubs(' 00-1b-c5-0c-00-00-00-01, 00-1B-C5-0C-00-00-00-01,,'), ['00-1B-C5-0C-00-00-00-01']);
    refusal(() => assertAllMoved(['A', 'B'], ['A']), 409, /can no longer be accepted: B is no longer held/);
  });
});
