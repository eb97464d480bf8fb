/**
 * An in-life return of a hub (OMS-07..09): an RMA is issued, the carrier collects the hub and
 * delivers it to DCC, which triages it; DCC's engineers may triage it again. The triage fixes the
 * DP238 charge. Collection and receipt are the carrier's word, recorded by a sync.
 */
import { Conflict } from './errors';
import { FAULT_REASONS } from './oms';
import type { ShipmentEvent } from './shipments';
import { StateMachine, stateWords } from './state-machine';

export const ReturnState = { RmaIssued: 'rma_issued', Collected: 'collected', Triaged: 'triaged' } as const;
export type ReturnState = (typeof ReturnState)[keyof typeof ReturnState];
export type ReturnEvent = 'carrier_collected' | 'carrier_received' | 'triage_again';

export const RETURN = new StateMachine<ReturnState, ReturnEvent>(
  {
    carrier_collected: { rma_issued: 'collected' },
    carrier_received: { rma_issued: 'triaged', collected: 'triaged' },
    triage_again: { triaged: 'triaged' },
  },
  (from, event, rma) =>
    event === 'triage_again'
      ? new Conflict(
          `${rma} has not been triaged yet; it is ${stateWords(from)}`,
          'A triage can be overruled once the carrier has delivered the return to DCC.',
          'state',
        )
      : new Conflict(`${rma} is already ${stateWords(from)}`, '', 'state'),
);

export const TRIAGE_OUTCOMES = ['redeployable', 'not_redeployable', 'no_fault_found'] as const;
export type TriageOutcome = (typeof TRIAGE_OUTCOMES)[number];

export function isFault(reason: string): boolean {
  return (FAULT_REASONS as readonly string[]).includes(reason);
}

/** Triage before DCC's engineers say otherwise: a hub returned without fault can be deployed again. */
export function expectedTriage(fault: boolean): TriageOutcome {
  return fault ? 'not_redeployable' : 'redeployable';
}

/** DP238 charges, in pence: the redeployable charge when DCC can deploy the hub again, else by band. */
export function returnCharge(
  outcome: TriageOutcome,
  variant: string,
  charges: { redeployable: number; singleBand: number; dualBand: number },
): number {
  if (outcome !== 'not_redeployable') return charges.redeployable;
  return variant.endsWith('DB') ? charges.dualBand : charges.singleBand;
}

/** What the carrier's latest event means for the return, if anything. */
export function carrierSignal(events: readonly ShipmentEvent[]): ReturnEvent | undefined {
  const stage = events.at(-1)?.status;
  if (stage === 'received') return 'carrier_received';
  return stage === 'collected' || stage === 'in_transit' ? 'carrier_collected' : undefined;
}
