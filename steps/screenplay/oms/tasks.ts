/**
 * The OMS module (OMS-01..11), as a party's ordering and returns staff use it: stock, forecasts,
 * orders, consignments and deliveries, returns, transfers of hubs between parties. Each task over the
 * OMS API (via-api.ts) and on the portal (in-portal.ts), joined here; and what the scenario notes.
 */
import { tasksOf } from '../modes';
import { noted } from '../notes';
import { omsInPortal } from './in-portal';
import { omsViaApi } from './via-api';

export interface OrderView {
  sysId: string;
  number: string;
  state: string;
  quantity: number;
}

export interface ConsignmentView {
  sysId: string;
  number: string;
  state: string;
  quantity: number;
  deliveryDate: string;
  /** The Advance Shipment Notice's device IDs. */
  deviceIds: string[];
  acceptedQuantity: number | null;
  /** The carrier's events so far, oldest first. */
  events: string[];
}

export interface ReturnView {
  sysId: string;
  rmaNumber: string;
  state: string;
  triageOutcome: string | null;
  chargePence: number | null;
}

export interface NewOrder {
  region: string;
  variant: string;
  deliveryMonth: string;
  location: string;
  quantity: number;
}

export type DeliveryResponse = { decision: 'accept' } | { decision: 'reject'; reason: string; quantity: number };

/** A transfer of hubs to the actor's party (OMS-10), waiting for an answer or answered. */
export interface IncomingTransfer {
  sysId: string;
  fromParty: string;
  devices: number;
  state: string;
}

export const Oms = tasksOf(omsViaApi, omsInPortal);

/** What a scenario knows of its OMS business: the order placed last, its consignment, the return, the hubs installed. */
export class OmsNotes {
  private placed: OrderView | undefined;
  private planned: ConsignmentView | undefined;
  private raised: ReturnView | undefined;
  /** Hubs installed at the scenario's party, for returns and transfers. */
  readonly installedDevices: string[] = [];

  get order(): OrderView {
    return noted(this.placed, 'No order was placed in this scenario.');
  }
  set order(order: OrderView) {
    this.placed = order;
  }

  get consignment(): ConsignmentView {
    return noted(this.planned, 'No order was confirmed in this scenario.');
  }
  set consignment(consignment: ConsignmentView) {
    this.planned = consignment;
  }

  get returned(): ReturnView {
    return noted(this.raised, 'No return was raised in this scenario.');
  }
  set returned(returned: ReturnView) {
    this.raised = returned;
  }
}
