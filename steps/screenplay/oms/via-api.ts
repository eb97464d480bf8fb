/** The OMS module over its API (where it is: clients/dcc-apis.ts). */
import { resultOf } from '../../../clients/http';
import type { CallTheApi } from '../abilities/call-the-api';
import { outcomeOf, type Outcome } from '../outcome';
import type { ConsignmentView, DeliveryResponse, IncomingTransfer, NewOrder, OrderView, ReturnView } from './tasks';

type Row = Record<string, unknown>;

export const omsViaApi = {
  async stock(api: CallTheApi): Promise<{ variant: string; status: string; count: number }[]> {
    return resultOf(await api.oms('GET', '/stock'), 200, 'Reading the stock of Communications Hubs');
  },

  async submitForecast(
    api: CallTheApi,
    region: string,
    variant: string,
    months: { month: string; quantity: number }[],
  ): Promise<Outcome<{ version: number }>> {
    return outcomeOf(await api.oms<Row>('POST', '/forecasts', { region, variant, months }), 201, ({ result }) => ({
      version: Number(result.version),
    }));
  },

  async placeOrder(api: CallTheApi, o: NewOrder): Promise<Outcome<OrderView>> {
    const body = { region: o.region, variant: o.variant, delivery_month: o.deliveryMonth, location: o.location, quantity: o.quantity };
    return outcomeOf(await api.oms<Row>('POST', '/orders', body), 201, ({ result }) => order(result));
  },

  async confirmOrder(api: CallTheApi, orderSysId: string): Promise<Outcome<ConsignmentView>> {
    return outcomeOf(await api.oms<Row>('POST', `/orders/${orderSysId}/confirm`), 200, ({ result }) => consignment(result));
  },

  async consignment(api: CallTheApi, sysId: string): Promise<Outcome<ConsignmentView>> {
    return outcomeOf(await api.oms<Row>('GET', `/consignments/${sysId}`), 200, ({ result }) => consignment(result));
  },

  async amendDelivery(api: CallTheApi, sysId: string, date: string): Promise<Outcome<ConsignmentView>> {
    return outcomeOf(await api.oms<Row>('POST', `/consignments/${sysId}/amend`, { delivery_date: date }), 200, ({ result }) =>
      consignment(result),
    );
  },

  async respondToDelivery(api: CallTheApi, sysId: string, response: DeliveryResponse): Promise<Outcome<ConsignmentView>> {
    return outcomeOf(await api.oms<Row>('POST', `/consignments/${sysId}/respond`, response), 200, ({ result }) => consignment(result));
  },

  async raiseReturn(api: CallTheApi, deviceId: string, reason: string): Promise<Outcome<ReturnView>> {
    return outcomeOf(await api.oms<Row>('POST', '/returns', { device_id: deviceId, reason }), 201, ({ result }) => returned(result));
  },

  async returnProgress(api: CallTheApi, sysId: string): Promise<Outcome<ReturnView>> {
    return outcomeOf(await api.oms<Row>('GET', `/returns/${sysId}`), 200, ({ result }) => returned(result));
  },

  async incomingTransfers(api: CallTheApi): Promise<IncomingTransfer[]> {
    const transfers = resultOf<Row[]>(await api.oms('GET', '/transfers'), 200, 'Reading the transfers of hubs to the party');
    return transfers.map((t) => ({
      sysId: String(t.sys_id),
      fromParty: String(t.from_party),
      devices: (t.device_ids as string[]).length,
      state: String(t.state),
    }));
  },

  async answerTransfer(api: CallTheApi, sysId: string, accept: boolean): Promise<Outcome<{ state: string }>> {
    return outcomeOf(await api.oms<Row>('POST', `/transfers/${sysId}/${accept ? 'accept' : 'reject'}`, {}), 200, ({ result }) => ({
      state: String(result.state),
    }));
  },
};

const order = (r: Row): OrderView => ({
  sysId: String(r.sys_id),
  number: String(r.number),
  state: String(r.state),
  quantity: Number(r.quantity),
});

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
