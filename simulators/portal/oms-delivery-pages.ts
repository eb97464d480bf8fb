/**
 * The OMS pages after an order (OMS-04..10): a consignment with the carrier's events, its delivery
 * date to amend or confirm and the delivery to accept or reject; returns and their progress to triage
 * and charge; incoming CH transfers to accept or reject. Same service calls as the REST API, the
 * carrier sync before a consignment or return is shown included.
 */
import { Router } from 'express';
import { FAULT_REASONS, NO_FAULT_REASONS } from '../domain/oms';
import { TransferState } from '../domain/transfer';
import { escapeHtml as e } from '../http/html';
import type { PortalContext } from './handlers';
import { actionButton, details, field, form, select, table, type FormError } from './layout';
import { deviceList, eventsTable, formBody, numberOf, pounds, words } from './oms-view';
import type { Services as PortalServices } from '../services';
import type { Handlers } from './handlers';

const REJECTION_REASONS = ['damaged', 'wrong_quantity', 'wrong_variant', 'late'].map((r) => ({ value: r, label: words(r) }));
const RETURN_REASONS = [
  ...FAULT_REASONS.map((r) => ({ value: r, label: `${words(r)} (fault)` })),
  ...NO_FAULT_REASONS.map((r) => ({ value: r, label: `${words(r)} (no fault)` })),
];

export function omsDeliveryPages({ page, action }: Handlers, { oms }: PortalServices): Router {
  const router = Router();

  const consignmentPage = async ({ viewer, req, caller }: PortalContext, error?: FormError) => {
    const events = await oms.deliveries.sync(caller, String(req.params.sysId));
    const c = { ...(await oms.deliveries.consignment(caller, String(req.params.sysId))), events };
    const base = `/portal/oms/consignments/${c.sys_id}`;
    const input = req.method === 'POST' ? formBody(req.body) : {};
    const facts = details([
      ['Number', c.number],
      ['State', words(c.state)],
      ['Quantity', String(c.quantity)],
      ['Delivery date', c.delivery_date],
      ['Accepted quantity', c.accepted_quantity === null ? 'Not yet decided' : String(c.accepted_quantity)],
      ...(c.rejection_reason ? ([['Rejection reason', words(c.rejection_reason)]] as [string, string][]) : []),
    ]);
    const onlyIf = (name: string) =>
      error?.field === name || (name === 'state' && error && !['delivery_date', 'reason', 'quantity'].includes(error.field ?? ''))
        ? error
        : undefined;
    const stateError = onlyIf('state') ? `<p class="error" role="alert">${e(error?.message ?? '')}</p>` : '';
    const amend = `<h2>Delivery date</h2><p>You can move or confirm the delivery until a few working days before it.</p>
${form(viewer, `${base}/amend`, field({ name: 'delivery_date', label: 'New delivery date', type: 'date', value: input.delivery_date }, onlyIf('delivery_date')), 'Move the delivery', onlyIf('delivery_date'))}
${actionButton(viewer, `${base}/confirm`, 'Confirm the delivery date')}`;
    const respond = `<h2>Accept or reject the delivery</h2><p>Answer within the acceptance window after the carrier delivers it.</p>
${actionButton(viewer, `${base}/respond`, 'Accept the delivery', { decision: 'accept' })}
${form(viewer, `${base}/respond`, `<input type="hidden" name="decision" value="reject">${select('reason', 'Reason for rejecting', REJECTION_REASONS, input.reason, error)}${field({ name: 'quantity', label: 'Hubs to reject', type: 'number', value: input.quantity }, error)}`, 'Reject hubs', onlyIf('reason') ?? onlyIf('quantity'))}`;
    return {
      title: `Consignment ${c.number}`,
      body: `${stateError}${facts}${eventsTable(c.events)}${deviceList(c.device_ids)}${amend}${respond}`,
    };
  };

  router.get(
    '/consignments/:sysId',
    page((ctx) => consignmentPage(ctx)),
  );
  const back = (sysId: string, message: string) => ({ redirect: `/portal/oms/consignments/${sysId}`, message });
  router.post(
    '/consignments/:sysId/amend',
    action(async ({ req, caller }) => {
      const c = await oms.deliveries.amend(caller, String(req.params.sysId), { delivery_date: formBody(req.body).delivery_date });
      return back(c.sys_id, `The delivery of ${c.number} moved to ${c.delivery_date}.`);
    }, consignmentPage),
  );
  router.post(
    '/consignments/:sysId/confirm',
    action(async ({ req, caller }) => {
      const c = await oms.deliveries.confirm(caller, String(req.params.sysId));
      return back(c.sys_id, `The delivery of ${c.number} on ${c.delivery_date} is confirmed.`);
    }, consignmentPage),
  );
  router.post(
    '/consignments/:sysId/respond',
    action(async ({ req, caller }) => {
      const input = formBody(req.body);
      const answer =
        input.decision === 'reject'
          ? { decision: input.decision, reason: input.reason, quantity: numberOf(input.quantity) }
          : { decision: input.decision };
      const c = await oms.deliveries.respond(caller, String(req.params.sysId), answer);
      return back(c.sys_id, `${c.number} ${c.state}: ${c.accepted_quantity ?? 0} hubs join your stock.`);
    }, consignmentPage),
  );

  const returnForm = async ({ viewer, req, caller }: PortalContext, error?: FormError) => {
    oms.returns.assertMayReturn(caller);
    const input = req.method === 'POST' ? formBody(req.body) : {};
    const fields = `${field({ name: 'device_id', label: 'Device ID', hint: "The hub's EUI-64, as on its label, e.g. 00-1A-2B-3C-4D-5E-6F-70.", value: input.device_id, autocomplete: 'off' }, error)}${select('reason', 'Reason for the return', RETURN_REASONS, input.reason, error)}`;
    return {
      title: 'Return a hub',
      body: `<p>DCC issues a Return Material Authorisation (RMA) and the carrier collects the hub.</p>${form(viewer, '/portal/oms/returns', fields, 'Raise the return', error)}`,
    };
  };

  router.get(
    '/returns/new',
    page((ctx) => returnForm(ctx)),
  );
  router.post(
    '/returns',
    action(async ({ req, caller }) => {
      const input = formBody(req.body);
      const r = await oms.returns.raise(caller, { device_id: input.device_id, reason: input.reason });
      return {
        redirect: `/portal/oms/returns/${r.sys_id}`,
        message: `Return Material Authorisation ${r.rma_number} issued: the carrier will collect the hub.`,
      };
    }, returnForm),
  );

  router.get(
    '/returns/:sysId',
    page(async ({ req, caller }) => {
      const events = await oms.returns.sync(caller, String(req.params.sysId));
      const r = { ...(await oms.returns.progress(caller, String(req.params.sysId))), events };
      const facts = details([
        ['RMA number', r.rma_number],
        ['Device ID', r.device_id],
        ['Variant', r.variant],
        ['Reason', `${words(r.reason)} (${r.fault ? 'fault' : 'no fault'})`],
        ['State', words(r.state)],
        ['Triage outcome', r.triage_outcome ? words(r.triage_outcome) : 'Not triaged yet'],
        ['Charge', r.charge_pence === null ? 'None until triage' : pounds(r.charge_pence)],
      ]);
      return { title: `Return ${r.rma_number}`, body: `${facts}${eventsTable(r.events)}` };
    }),
  );

  const transfersPage = async ({ viewer, caller }: PortalContext, error?: FormError) => {
    const transfers = await oms.transfers.incoming(caller);
    const rows = transfers.map((t) => {
      const hubs = `${t.device_ids.length} hub${t.device_ids.length === 1 ? '' : 's'}`;
      const answer =
        t.state === TransferState.Pending
          ? `${actionButton(viewer, `/portal/oms/transfers/${t.sys_id}/accept`, `Accept the ${hubs} from ${t.from_party}`)}${actionButton(viewer, `/portal/oms/transfers/${t.sys_id}/reject`, `Reject the ${hubs} from ${t.from_party}`)}`
          : 'Answered';
      return [e(t.sys_id), e(t.from_party), e(String(t.device_ids.length)), e(t.device_ids.join(', ')), e(words(t.state)), answer];
    });
    const problem = error ? `<p class="error" role="alert">${e(error.message)}</p>` : '';
    return {
      title: 'Transfers of hubs to your organisation',
      body: `${problem}<p>The hubs become yours when you accept a transfer.</p>${table('Transfers to your organisation, oldest first', ['Reference', 'From', 'Hubs', 'Device IDs', 'State', 'Answer'], rows, 'No transfers.')}`,
    };
  };

  router.get(
    '/transfers',
    page((ctx) => transfersPage(ctx)),
  );
  for (const answer of ['accept', 'reject'] as const) {
    router.post(
      `/transfers/:sysId/${answer}`,
      action(async ({ req, caller }) => {
        const t = await oms.transfers.answer(caller, String(req.params.sysId), answer === 'accept');
        return {
          redirect: '/portal/oms/transfers',
          message: `Transfer ${t.state}: ${t.devices} hub${t.devices === 1 ? '' : 's'}${answer === 'accept' ? ' joined your stock' : ' stay with the sending party'}.`,
        };
      }, transfersPage),
    );
  }

  return router;
}
