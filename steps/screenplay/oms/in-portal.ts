/** The OMS module in the portal: stock, forecasts, orders, consignments and deliveries, returns, transfers. */
import { harnessMessage } from '../../../clients/messages';
import type { InPortal } from '../modes';
import type { Outcome } from '../outcome';
import { escapeRegExp, type PageResult, type Portal } from '../pages/portal';
import type { ConsignmentView, DeliveryResponse, IncomingTransfer, NewOrder, OrderView, ReturnView } from './tasks';
import type { omsViaApi } from './via-api';

/** A state as the pages write it ("Tolerance exception") back to its code ("tolerance_exception"). */
const code = (words: string): string => words.trim().toLowerCase().replaceAll(' ', '_');

/** The last part of the page's path: the sys_id of the record it shows. */
const sysIdOf = (url: string): string => new URL(url).pathname.split('/').pop() ?? '';

export const omsInPortal: InPortal<typeof omsViaApi> = {
  async stock(portal: Portal): Promise<{ variant: string; status: string; count: number }[]> {
    portal.expectOk(await portal.open('/portal/oms'), 'Opening Communications Hubs');
    const rows = await portal.tableRows('Communications Hubs in your stock');
    return rows.map((r) => ({ variant: r.Variant ?? '', status: code(r.Status ?? ''), count: Number(r.Count) }));
  },

  async submitForecast(
    portal: Portal,
    region: string,
    variant: string,
    months: { month: string; quantity: number }[],
  ): Promise<Outcome<{ version: number }>> {
    portal.expectOk(await portal.open('/portal/oms/forecasts/new'), 'Opening the forecast form');
    await portal.choose('Region', region);
    await portal.choose('Variant', variant);
    for (const { month, quantity } of months) {
      const input = portal.page.getByLabel(`Quantity for ${month}`, { exact: true });
      if ((await input.count()) === 0)
        throw new Error(harnessMessage(`The forecast form offers no month ${month}: the portal only forecasts the months of the horizon.`));
      await input.fill(String(quantity));
    }
    return portal.outcome(await portal.press('Submit the forecast'), async () => {
      const said = await portal.page.getByRole('status').innerText();
      return { version: Number(/version (\d+)/.exec(said)?.[1]) };
    });
  },

  async placeOrder(portal: Portal, order: NewOrder): Promise<Outcome<OrderView>> {
    portal.expectOk(await portal.open('/portal/oms/orders/new'), 'Opening the order form');
    await portal.choose('Region', order.region);
    await portal.choose('Variant', order.variant);
    await portal.fill({ 'Delivery month': order.deliveryMonth, 'Delivery location': order.location, Quantity: String(order.quantity) });
    return portal.outcome(await portal.press('Place the order'), () => readOrder(portal));
  },

  async confirmOrder(portal: Portal, orderSysId: string): Promise<Outcome<ConsignmentView>> {
    const opened = await portal.open(`/portal/oms/orders/${orderSysId}`);
    if (opened.status >= 400) return portal.outcome(opened, () => readConsignment(portal));
    // The portal offers no confirmation where the order's state allows none (a tolerance exception waiting for DCC):
    // the page's word for that state is the refusal, as the API's 409 is.
    if ((await portal.page.getByRole('button', { name: 'Confirm the order', exact: true }).count()) === 0)
      return { ok: false, status: 409, message: `Not offered: the order is ${await portal.definition('State')}` };
    return portal.outcome(await portal.press('Confirm the order'), () => readConsignment(portal));
  },

  async consignment(portal: Portal, sysId: string): Promise<Outcome<ConsignmentView>> {
    return portal.outcome(await portal.open(`/portal/oms/consignments/${sysId}`), () => readConsignment(portal));
  },

  async amendDelivery(portal: Portal, sysId: string, date: string): Promise<Outcome<ConsignmentView>> {
    const opened = await portal.open(`/portal/oms/consignments/${sysId}`);
    if (opened.status >= 400) return portal.outcome(opened, () => readConsignment(portal));
    await portal.fill({ 'New delivery date': date });
    return portal.outcome(await portal.press('Move the delivery'), () => readConsignment(portal));
  },

  async respondToDelivery(portal: Portal, sysId: string, response: DeliveryResponse): Promise<Outcome<ConsignmentView>> {
    const opened = await portal.open(`/portal/oms/consignments/${sysId}`);
    if (opened.status >= 400) return portal.outcome(opened, () => readConsignment(portal));
    let answered: PageResult;
    if (response.decision === 'accept') {
      answered = await portal.press('Accept the delivery');
    } else {
      await portal.choose('Reason for rejecting', response.reason);
      await portal.fill({ 'Hubs to reject': String(response.quantity) });
      answered = await portal.press('Reject hubs');
    }
    return portal.outcome(answered, () => readConsignment(portal));
  },

  async raiseReturn(portal: Portal, deviceId: string, reason: string): Promise<Outcome<ReturnView>> {
    portal.expectOk(await portal.open('/portal/oms/returns/new'), 'Opening the return form');
    await portal.fill({ 'Device ID': deviceId });
    await portal.choose('Reason for the return', reason);
    return portal.outcome(await portal.press('Raise the return'), () => readReturn(portal));
  },

  async returnProgress(portal: Portal, sysId: string): Promise<Outcome<ReturnView>> {
    return portal.outcome(await portal.open(`/portal/oms/returns/${sysId}`), () => readReturn(portal));
  },

  async incomingTransfers(portal: Portal): Promise<IncomingTransfer[]> {
    portal.expectOk(await portal.open('/portal/oms/transfers'), 'Opening the transfers to your organisation');
    const rows = await portal.tableRows('Transfers to your organisation, oldest first');
    return rows.map((r) => ({ sysId: r.Reference ?? '', fromParty: r.From ?? '', devices: Number(r.Hubs), state: code(r.State ?? '') }));
  },

  async answerTransfer(portal: Portal, sysId: string, accept: boolean): Promise<Outcome<{ state: string }>> {
    portal.expectOk(await portal.open('/portal/oms/transfers'), 'Opening the transfers to your organisation');
    const row = transferRow(portal, sysId);
    return portal.outcome(await portal.press(accept ? /^Accept the / : /^Reject the /, row), async () => {
      const answered = (await portal.tableRows('Transfers to your organisation, oldest first')).find((r) => r.Reference === sysId);
      if (!answered) throw await portal.notOnPage(`transfer ${sysId} after it was answered`);
      return { state: code(answered.State ?? '') };
    });
  },
};

function transferRow(portal: Portal, sysId: string) {
  return portal.page
    .getByRole('table', { name: 'Transfers to your organisation, oldest first' })
    .getByRole('row')
    .filter({ has: portal.page.getByRole('cell', { name: new RegExp(`^${escapeRegExp(sysId)}$`) }) });
}

async function readOrder(portal: Portal): Promise<OrderView> {
  return {
    sysId: sysIdOf(portal.page.url()),
    number: await portal.definition('Number'),
    state: code(await portal.definition('State')),
    quantity: Number(await portal.definition('Quantity')),
  };
}

async function readConsignment(portal: Portal): Promise<ConsignmentView> {
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

async function readReturn(portal: Portal): Promise<ReturnView> {
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
