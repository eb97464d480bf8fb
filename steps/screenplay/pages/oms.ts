/** The OMS module in the portal (UseOms): stock, forecasts, orders, consignments and deliveries, returns, transfers. */
import type { ConsignmentView, OrderView, Outcome, ReturnView, UseOms } from '../abilities/use-fsm';
import { notYet, type Portal } from './portal';

export class OmsInPortal implements UseOms {
  constructor(private readonly portal: Portal) {}

  stock(): Promise<{ variant: string; status: string; count: number }[]> {
    return notYet('viewing CH stock');
  }

  submitForecast(_region: string, _variant: string, _months: { month: string; quantity: number }[]): Promise<Outcome<{ version: number }>> {
    return notYet('submitting a forecast');
  }

  placeOrder(_order: { region: string; variant: string; deliveryMonth: string; location: string; quantity: number }): Promise<Outcome<OrderView>> {
    return notYet('placing an order');
  }

  confirmOrder(_orderSysId: string): Promise<Outcome<ConsignmentView>> {
    return notYet('confirming an order');
  }

  consignment(_sysId: string): Promise<Outcome<ConsignmentView>> {
    return notYet('tracking a consignment');
  }

  amendDelivery(_sysId: string, _date: string): Promise<Outcome<ConsignmentView>> {
    return notYet('amending a delivery');
  }

  respondToDelivery(_sysId: string, _response: { decision: 'accept' } | { decision: 'reject'; reason: string; quantity: number }): Promise<Outcome<ConsignmentView>> {
    return notYet('responding to a delivery');
  }

  raiseReturn(_deviceId: string, _reason: string): Promise<Outcome<ReturnView>> {
    return notYet('raising a return');
  }

  returnProgress(_sysId: string): Promise<Outcome<ReturnView>> {
    return notYet('following a return');
  }

  incomingTransfers(): Promise<{ sysId: string; fromParty: string; devices: number; state: string }[]> {
    return notYet('listing incoming transfers');
  }

  answerTransfer(_sysId: string, _accept: boolean): Promise<Outcome<{ state: string }>> {
    return notYet('answering a transfer');
  }
}
