/** The OMS module in the portal (UseOms): stock, forecasts, orders, consignments and deliveries, returns, transfers. */
import type { ConsignmentView, OrderView, Outcome, ReturnView, UseOms } from '../abilities/use-fsm';
import { escapeRegExp, type PageResult, type Portal } from './portal';

/** A state as the pages write it ("Tolerance exception") back to its code ("tolerance_exception"). */
const code = (words: string): string => words.trim().toLowerCase().replaceAll(' ', '_');

/** The last part of the page's path: the sys_id of the record it shows. */
const sysIdOf = (url: string): string => new URL(url).pathname.split('/').pop() ?? '';

export class OmsInPortal implements UseOms {
  constructor(private readonly portal: Portal) {}

  async stock(): Promise<{ variant: string; status: string; count: number }[]> {
    const { portal } = this;
    portal.expectOk(await portal.open('/portal/oms'), 'Opening Communications Hubs');
    const rows = await portal.tableRows('Communications Hubs in your stock');
    return rows.map((r) => ({ variant: r.Variant ?? '', status: code(r.Status ?? ''), count: Number(r.Count) }));
  }

  async submitForecast(region: string, variant: string, months: { month: string; quantity: number }[]): Promise<Outcome<{ version: number }>> {
    const { portal } = this;
    portal.expectOk(await portal.open('/portal/oms/forecasts/new'), 'Opening the forecast form');
    await portal.choose('Region', region);
    await portal.choose('Variant', variant);
    for (const { month, quantity } of months) {
      const input = portal.page.getByLabel(`Quantity for ${month}`, { exact: true });
      if ((await input.count()) === 0) throw new Error(`[fsm-harness] The forecast form offers no month ${month}: the portal only forecasts the months of the horizon.`);
      await input.fill(String(quantity));
    }
    return portal.outcome(await portal.press('Submit the forecast'), async () => {
      const said = await portal.page.getByRole('status').innerText();
      return { version: Number(/version (\d+)/.exec(said)?.[1]) };
    });
  }

  async placeOrder(order: { region: string; variant: string; deliveryMonth: string; location: string; quantity: number }): Promise<Outcome<OrderView>> {
    const { portal } = this;
    portal.expectOk(await portal.open('/portal/oms/orders/new'), 'Opening the order form');
    await portal.choose('Region', order.region);
    await portal.choose('Variant', order.variant);
    await portal.fill({ 'Delivery month': order.deliveryMonth, 'Delivery location': order.location, Quantity: String(order.quantity) });
    return portal.outcome(await portal.press('Place the order'), () => this.readOrder());
  }

  async confirmOrder(orderSysId: string): Promise<Outcome<ConsignmentView>> {
    const { portal } = this;
    const opened = await portal.open(`/portal/oms/orders/${orderSysId}`);
    if (opened.status >= 400) return portal.outcome(opened, () => this.readConsignment());
    return portal.outcome(await portal.press('Confirm the order'), () => this.readConsignment());
  }

  async consignment(sysId: string): Promise<Outcome<ConsignmentView>> {
    return this.portal.outcome(await this.portal.open(`/portal/oms/consignments/${sysId}`), () => this.readConsignment());
  }

  async amendDelivery(sysId: string, date: string): Promise<Outcome<ConsignmentView>> {
    const { portal } = this;
    const opened = await portal.open(`/portal/oms/consignments/${sysId}`);
    if (opened.status >= 400) return portal.outcome(opened, () => this.readConsignment());
    await portal.fill({ 'New delivery date': date });
    return portal.outcome(await portal.press('Move the delivery'), () => this.readConsignment());
  }

  async respondToDelivery(sysId: string, response: { decision: 'accept' } | { decision: 'reject'; reason: string; quantity: number }): Promise<Outcome<ConsignmentView>> {
    const { portal } = this;
    const opened = await portal.open(`/portal/oms/consignments/${sysId}`);
    if (opened.status >= 400) return portal.outcome(opened, () => this.readConsignment());
    let answered: PageResult;
    if (response.decision === 'accept') {
      answered = await portal.press('Accept the delivery');
    } else {
      await portal.choose('Reason for rejecting', response.reason);
      await portal.fill({ 'Hubs to reject': String(response.quantity) });
      answered = await portal.press('Reject hubs');
    }
    return portal.outcome(answered, () => this.readConsignment());
  }

  async raiseReturn(deviceId: string, reason: string): Promise<Outcome<ReturnView>> {
    const { portal } = this;
    portal.expectOk(await portal.open('/portal/oms/returns/new'), 'Opening the return form');
    await portal.fill({ 'Device ID': deviceId });
    await portal.choose('Reason for the return', reason);
    return portal.outcome(await portal.press('Raise the return'), () => this.readReturn());
  }

  async returnProgress(sysId: string): Promise<Outcome<ReturnView>> {
    return this.portal.outcome(await this.portal.open(`/portal/oms/returns/${sysId}`), () => this.readReturn());
  }

  async incomingTransfers(): Promise<{ sysId: string; fromParty: string; devices: number; state: string }[]> {
    const { portal } = this;
    portal.expectOk(await portal.open('/portal/oms/transfers'), 'Opening the transfers to your organisation');
    const rows = await portal.tableRows('Transfers to your organisation, oldest first');
    return rows.map((r) => ({ sysId: r.Reference ?? '', fromParty: r.From ?? '', devices: Number(r.Hubs), state: code(r.State ?? '') }));
  }

  async answerTransfer(sysId: string, accept: boolean): Promise<Outcome<{ state: string }>> {
    const { portal } = this;
    portal.expectOk(await portal.open('/portal/oms/transfers'), 'Opening the transfers to your organisation');
    const row = this.transferRow(sysId);
    return portal.outcome(await portal.press(accept ? /^Accept the / : /^Reject the /, row), async () => {
      const answered = (await portal.tableRows('Transfers to your organisation, oldest first')).find((r) => r.Reference === sysId);
      if (!answered) throw await portal.notOnPage(`transfer ${sysId} after it was answered`);
      return { state: code(answered.State ?? '') };
    });
  }

  private transferRow(sysId: string) {
    return this.portal.page.getByRole('table', { name: 'Transfers to your organisation, oldest first' }).getByRole('row').filter({ has: this.portal.page.getByRole('cell', { name: new RegExp(`^${escapeRegExp(sysId)}$`) }) });
  }

  private async readOrder(): Promise<OrderView> {
    const { portal } = this;
    return { sysId: sysIdOf(portal.page.url()), number: await portal.definition('Number'), state: code(await portal.definition('State')), quantity: Number(await portal.definition('Quantity')) };
  }

  private async readConsignment(): Promise<ConsignmentView> {
    const { portal } = this;
    const accepted = await portal.definition('Accepted quantity');
    const deviceList = portal.page.getByRole('list', { name: 'Advance Shipment Notice' });
    return {
      sysId: sysIdOf(portal.page.url()),
      number: await portal.definition('Number'),
      state: code(await portal.definition('State')),
      quantity: Number(await portal.definition('Quantity')),
      deliveryDate: await portal.definition('Delivery date'),
      deviceIds: (await deviceList.getByRole('listitem').allInnerTexts()).map((id) => id.trim()),
      acceptedQuantity: /^\d+$/.test(accepted) ? Number(accepted) : null,
      events: (await portal.tableRows('Carrier events, oldest first')).map((r) => code(r.Status ?? '')),
    };
  }

  private async readReturn(): Promise<ReturnView> {
    const { portal } = this;
    const outcome = await portal.definition('Triage outcome');
    const charge = /^£(\d+)\.(\d\d)$/.exec(await portal.definition('Charge'));
    return {
      sysId: sysIdOf(portal.page.url()),
      rmaNumber: await portal.definition('RMA number'),
      state: code(await portal.definition('State')),
      triageOutcome: outcome === 'Not triaged yet' ? null : code(outcome),
      chargePence: charge ? Number(charge[1]) * 100 + Number(charge[2]) : null,
    };
  }
}
