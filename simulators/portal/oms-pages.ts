/**
 * OMS (OMS-01..11, UEPT-FSM-05): stock, forecasts, orders and tolerance exceptions, consignments and deliveries, returns and triage, transfers. Mounted at /portal/oms.
 * This module holds the OMS home, forecasts and orders; deliveries, returns and transfers are in oms-delivery-pages.ts.
 * Every page and form calls the same OMS services as the REST API (fsm/oms-api.ts).
 */
import { Router } from 'express';
import { LEGACY_VARIANTS, ORDERABLE_VARIANTS } from '../domain/oms';
import { ORDER, OrderState } from '../domain/order';
import { REGIONS } from '../domain/party';
import { escapeHtml as e } from '../http/html';
import type { SimConfig } from '../config';
import type { PortalContext } from './handlers';
import { actionButton, details, field, form, link, select, table, type FormError } from './layout';
import { omsDeliveryPages } from './oms-delivery-pages';
import { formBody, monthsError, numberOf, orderTermsNote, words } from './oms-view';
import type { Services as PortalServices } from '../services';
import type { Handlers } from './handlers';

const regionOptions = REGIONS.map((r) => ({ value: r, label: `${r} Region` }));
const variantOptions = [
  ...ORDERABLE_VARIANTS.map((v) => ({ value: v, label: v })),
  ...LEGACY_VARIANTS.map((v) => ({ value: v, label: `${v} (legacy ordering system)` })),
];

export function omsPages(config: SimConfig, handlers: Handlers, services: PortalServices): Router {
  const { page, action } = handlers;
  const { oms } = services;
  const router = Router();

  router.get(
    '/',
    page(async ({ caller }) => {
      const stock = await oms.hubs.stock(caller);
      const [orders, returns] = [await oms.orders.list(caller), await oms.returns.list(caller)];
      const actions = `<ul><li>${link('/portal/oms/forecasts/new', 'Submit a forecast')}</li><li>${link('/portal/oms/orders/new', 'Place an order')}</li><li>${link('/portal/oms/returns/new', 'Return a hub')}</li><li>${link('/portal/oms/transfers', 'Transfers of hubs to your organisation')}</li></ul>`;
      const stockTable = table(
        'Communications Hubs in your stock',
        ['Variant', 'Status', 'Count'],
        stock.map((s) => [e(s.variant), e(words(s.status)), e(String(s.count))]),
        'You have no Communications Hubs in stock.',
      );
      const orderTable = table(
        'Your orders, newest first',
        ['Order', 'Variant', 'Region', 'Delivery month', 'Quantity', 'State'],
        orders.map((o) => [
          link(`/portal/oms/orders/${o.sys_id}`, o.number),
          e(o.variant),
          e(o.region),
          e(o.delivery_month),
          e(String(o.quantity)),
          e(words(o.state)),
        ]),
        'You have placed no orders.',
      );
      const returnTable = table(
        'Your returns, newest first',
        ['RMA', 'Device ID', 'Reason', 'State'],
        returns.map((r) => [link(`/portal/oms/returns/${r.sys_id}`, r.rma_number), e(r.device_id), e(words(r.reason)), e(words(r.state))]),
        'You have returned no hubs.',
      );
      return {
        title: 'Communications Hubs',
        body: `<h2>What you can do</h2>${actions}<h2>Stock</h2>${stockTable}<h2>Orders</h2>${orderTable}<h2>Returns</h2>${returnTable}`,
      };
    }),
  );

  const forecastForm = async ({ viewer, req, caller }: PortalContext, error?: FormError) => {
    oms.orders.assertMayOrder(caller);
    const input = req.method === 'POST' ? formBody(req.body) : {};
    // The months that can be ordered: a forecast for a month inside the lead time could never be ordered against.
    const terms = oms.orders.orderTerms();
    const months = terms.months;
    const grouped = monthsError(error);
    const note = grouped?.field === 'months' ? `<p class="error" id="f-months-error">${e(grouped.message)}</p>` : '';
    const monthFields = months
      .map((m) =>
        field({
          name: `month_${m}`,
          label: `Quantity for ${m}`,
          type: 'number',
          required: false,
          value: input[`month_${m}`] ?? '',
          attrs: 'min="0"',
        }),
      )
      .join('');
    const fields = `${select('region', 'Region', regionOptions, input.region, error)}${select('variant', 'Variant', variantOptions, input.variant, error)}
<fieldset${note ? ' aria-describedby="f-months-error"' : ''}><legend>Hubs you expect to order, by delivery month (leave a month blank to skip it)</legend>${note}${monthFields}</fieldset>`;
    return {
      title: 'Submit a forecast',
      body: `<p>Each forecast you submit for a Region and variant is a new version; orders are checked against the latest.</p>${orderTermsNote(terms)}${form(viewer, '/portal/oms/forecasts', fields, 'Submit the forecast', error)}`,
    };
  };

  router.get(
    '/forecasts/new',
    page((ctx) => forecastForm(ctx)),
  );
  router.post(
    '/forecasts',
    action(async ({ req, caller }) => {
      const input = formBody(req.body);
      const months = oms.orders
        .orderTerms()
        .months.flatMap((month) => (input[`month_${month}`]?.trim() ? [{ month, quantity: numberOf(input[`month_${month}`]) }] : []));
      const { version } = await oms.orders.submitForecast(caller, { region: input.region, variant: input.variant, months });
      return {
        redirect: '/portal/oms',
        message: `Forecast version ${version} of ${input.variant} hubs in the ${input.region} Region submitted, for ${months.length} month${months.length === 1 ? '' : 's'}.`,
      };
    }, forecastForm),
  );

  const orderForm = async ({ viewer, req, caller }: PortalContext, refusal?: FormError) => {
    oms.orders.assertMayOrder(caller);
    // A month the service cannot read is the delivery month here.
    const error = refusal?.field === 'month' ? { ...refusal, field: 'delivery_month' } : refusal;
    const input = req.method === 'POST' ? formBody(req.body) : {};
    const terms = oms.orders.orderTerms();
    const { leadTimeMonths, packSize } = terms;
    const fields = `${select('region', 'Region', regionOptions, input.region, error)}${select('variant', 'Variant', variantOptions, input.variant, error)}
${field({ name: 'delivery_month', label: 'Delivery month', hint: `As YYYY-MM, ${terms.months[0] ?? ''} or later (at least ${leadTimeMonths} months ahead), up to ${terms.months.at(-1) ?? ''}.`, value: input.delivery_month, autocomplete: 'off' }, error)}
${field({ name: 'location', label: 'Delivery location', value: input.location }, error)}
${field({ name: 'quantity', label: 'Quantity', type: 'number', hint: `Hubs, in multiples of the pack size, ${packSize}.`, value: input.quantity }, error)}`;
    return {
      title: 'Place an order',
      body: `${orderTermsNote(terms)}${form(viewer, '/portal/oms/orders', fields, 'Place the order', error)}`,
    };
  };

  router.get(
    '/orders/new',
    page((ctx) => orderForm(ctx)),
  );
  router.post(
    '/orders',
    action(async ({ req, caller }) => {
      const input = formBody(req.body);
      const order = await oms.orders.place(caller, {
        region: input.region,
        variant: input.variant,
        delivery_month: input.delivery_month,
        location: input.location,
        quantity: numberOf(input.quantity),
      });
      const waiting =
        order.state === OrderState.ToleranceException
          ? ': it is outside the tolerance of your forecast, so it waits for DCC to approve it'
          : '';
      return { redirect: `/portal/oms/orders/${order.sys_id}`, message: `Order ${order.number} placed${waiting}.` };
    }, orderForm),
  );

  const orderPage = async ({ viewer, req, caller }: PortalContext, error?: FormError) => {
    const order = await oms.orders.orderOf(caller, String(req.params.sysId));
    const facts = details([
      ['Number', order.number],
      ['State', words(order.state)],
      ['Region', order.region],
      ['Variant', order.variant],
      ['Delivery month', order.delivery_month],
      ['Delivery location', order.location],
      ['Quantity', String(order.quantity)],
      ['Forecast for that month', order.forecast_quantity === null ? 'No forecast' : String(order.forecast_quantity)],
      ...(order.decision_reason ? ([["DCC's reason", order.decision_reason]] as [string, string][]) : []),
    ]);
    const exception =
      order.state === OrderState.ToleranceException
        ? '<p><strong>Tolerance exception:</strong> the quantity is outside the tolerance of your latest forecast. DCC must approve it before you can confirm it.</p>'
        : '';
    // A refusal shows even when the order has moved on (confirmed already), so the person learns why.
    const problem = error ? `<p class="error" role="alert">${e(error.message)}</p>` : '';
    // Confirming is offered only where the order's state allows it (not a tolerance exception waiting for DCC, nor a rejected order).
    const next = order.consignment
      ? `${problem}<p>Consignment: ${link(`/portal/oms/consignments/${order.consignment.sys_id}`, order.consignment.number)}</p>`
      : ORDER.allows(order.state, 'confirm')
        ? `<h2>Confirm</h2><p>Confirming the order creates its consignment at the carrier.</p>${problem}${actionButton(viewer, `/portal/oms/orders/${order.sys_id}/confirm`, 'Confirm the order')}`
        : problem;
    return { title: `Order ${order.number}`, body: `${facts}${exception}${next}` };
  };

  router.get(
    '/orders/:sysId',
    page((ctx) => orderPage(ctx)),
  );
  router.post(
    '/orders/:sysId/confirm',
    action(async ({ req, caller }) => {
      const consignment = await oms.orders.confirm(caller, String(req.params.sysId));
      return {
        redirect: `/portal/oms/consignments/${consignment.sys_id}`,
        message: `Order confirmed: consignment ${consignment.number} is planned for ${consignment.delivery_date}.`,
      };
    }, orderPage),
  );

  router.use(omsDeliveryPages(handlers, services));
  return router;
}
