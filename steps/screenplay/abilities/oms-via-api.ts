/**
 * UseOms over the platform's OMS API (`/api/x_dcc/oms`). Actions give an Outcome, for a step to judge
 * a refusal; reads (stock, transfers) throw on any answer but 200, so that "sees none" never passes
 * on a refusal or a server error.
 */
import type { FsmApiClient } from '../../../clients/fsm-api';
import { platformSaid, resultOf, type ApiResponse } from '../../../clients/http';
import type { ConsignmentView, OrderView, Outcome, ReturnView, UseOms } from './use-fsm';

type Row = Record<string, unknown>;

function outcome<T>(response: ApiResponse<{ result: Row }>, ok: number, view: (row: Row) => T): Outcome<T> {
  if (response.status === ok) return { ok: true, value: view(response.body.result) };
  return { ok: false, status: response.status, message: platformSaid(response) };
}

const order = (r: Row): OrderView => ({ sysId: String(r.sys_id), number: String(r.number), state: String(r.state), quantity: Number(r.quantity) });
const consignment = (r: Row): ConsignmentView => ({
  sysId: String(r.sys_id),
  number: String(r.number),
  state: String(r.state),
  quantity: Number(r.quantity),
  deliveryDate: String(r.delivery_date),
  deviceIds: (r.device_ids as string[] | undefined) ?? [],
  acceptedQuantity: r.accepted_quantity === null || r.accepted_quantity === undefined ? null : Number(r.accepted_quantity),
  events: ((r.events as { status: string }[] | undefined) ?? []).map((e) => e.status),
});
const returned = (r: Row): ReturnView => ({
  sysId: String(r.sys_id),
  rmaNumber: String(r.rma_number),
  state: String(r.state),
  triageOutcome: r.triage_outcome ? String(r.triage_outcome) : null,
  chargePence: r.charge_pence === null || r.charge_pence === undefined ? null : Number(r.charge_pence),
});

export class OmsViaApi implements UseOms {
  constructor(private readonly api: FsmApiClient) {}

  async stock() {
    return resultOf<{ variant: string; status: string; count: number }[]>(await this.api.oms('GET', '/stock'), 200, 'Reading the stock of Communications Hubs');
  }

  async submitForecast(region: string, variant: string, months: { month: string; quantity: number }[]) {
    return outcome(await this.api.oms<Row>('POST', '/forecasts', { region, variant, months }), 201, (r) => ({ version: Number(r.version) }));
  }

  async placeOrder(o: { region: string; variant: string; deliveryMonth: string; location: string; quantity: number }) {
    return outcome(await this.api.oms<Row>('POST', '/orders', { region: o.region, variant: o.variant, delivery_month: o.deliveryMonth, location: o.location, quantity: o.quantity }), 201, order);
  }

  async confirmOrder(orderSysId: string) {
    return outcome(await this.api.oms<Row>('POST', `/orders/${orderSysId}/confirm`), 200, consignment);
  }

  async consignment(sysId: string) {
    return outcome(await this.api.oms<Row>('GET', `/consignments/${sysId}`), 200, consignment);
  }

  async amendDelivery(sysId: string, date: string) {
    return outcome(await this.api.oms<Row>('POST', `/consignments/${sysId}/amend`, { delivery_date: date }), 200, consignment);
  }

  async respondToDelivery(sysId: string, response: { decision: 'accept' } | { decision: 'reject'; reason: string; quantity: number }) {
    return outcome(await this.api.oms<Row>('POST', `/consignments/${sysId}/respond`, response), 200, consignment);
  }

  async raiseReturn(deviceId: string, reason: string) {
    return outcome(await this.api.oms<Row>('POST', '/returns', { device_id: deviceId, reason }), 201, returned);
  }

  async returnProgress(sysId: string) {
    return outcome(await this.api.oms<Row>('GET', `/returns/${sysId}`), 200, returned);
  }

  async incomingTransfers() {
    const transfers = resultOf<Row[]>(await this.api.oms('GET', '/transfers'), 200, 'Reading the transfers of hubs to the party');
    return transfers.map((t) => ({ sysId: String(t.sys_id), fromParty: String(t.from_party), devices: (t.device_ids as string[]).length, state: String(t.state) }));
  }

  async answerTransfer(sysId: string, accept: boolean) {
    return outcome(await this.api.oms<Row>('POST', `/transfers/${sysId}/${accept ? 'accept' : 'reject'}`, {}), 200, (r) => ({ state: String(r.state) }));
  }
}
