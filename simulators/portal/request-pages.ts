/**
 * Service catalogue and requests (SM-04, SM-05, SM-06): the catalogue by category (`?id=sc_home`), an
 * item's order form (`?id=sc_cat_item&sys_id=`), the person's requests (`?id=my_requests`) and a
 * request item's ticket page with its file upload (`?id=ticket&table=sc_req_item&sys_id=`). Forms post
 * to /portal/catalog and /portal/requests, whose old page addresses redirect. Every rule is the
 * RequestService's (and the Attachment API's `attach`): these handlers only read forms and render.
 */
import { Router } from 'express';
import type { CatalogItem } from '../domain/catalog';
import { byCategory } from '../domain/catalog-categories';
import { errorSummary } from '../http/forms';
import { escapeHtml as e } from '../http/html';
import type { SimConfig } from '../config';
import type { Upload } from '../services/request-files';
import type { RequestItemRow } from '../services/requests';
import type { PortalContext } from './handlers';
import { details, field, form, link, table, type FormError } from './layout';
import { spPaths, type SpPaths } from './sp-paths';
import { queryText, type SpPage } from './sp-router';
import type { Services as PortalServices } from '../services';
import type { Handlers } from './handlers';

/** A request item's state as a person reads it. */
export const REQUEST_STATES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    submitted: 'Waiting for your file',
    validating: 'Validating',
    in_progress: 'In progress',
    fulfilled: 'Fulfilled',
    rejected: 'Rejected',
    closed: 'Closed',
  }),
);
/** The upload form's inputs: the CSV file and its detached signature. */
const UPLOADS = [
  { name: 'file', label: 'File', accept: '.csv,text/csv' },
  { name: 'signature', label: 'Signature file (.sig)', accept: '.sig' },
];

/** A variable's label as a person reads it: `incident_number` is "Incident number". */
export function variableLabel(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const stateText = (state: string) => `${REQUEST_STATES.get(state) ?? state} (${state})`;
const itemPath = (sysId: string) => `/portal/requests/${encodeURIComponent(sysId)}`;
const date = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

/** The caption of the catalogue's table of items a person's roles do not include (page objects find it by it). */
export const LOCKED_CAPTION = 'Items your Job Type Roles do not include';

export function requestPages(
  config: SimConfig,
  { action }: Handlers,
  { requests, roles }: PortalServices,
): { router: Router; pages: Map<string, SpPage> } {
  const router = Router();
  const sp = spPaths(config.portal.prefix);
  // A form's record is in its path (/portal/catalog/:item), a page's in its query (?sys_id=).
  const recordOf = (req: PortalContext['req'], param: string) =>
    req.params[param] === undefined ? queryText(req, 'sys_id', 64) : String(req.params[param]);

  const catalogue: SpPage = async ({ caller }) => {
    const offers = requests.offers(caller);
    const sections = byCategory(offers.filter((o) => o.mayOrder).map((o) => o.item)).map(({ category, items }, i) => {
      const tiles = items
        .map(
          (item) =>
            `<li><a href="${e(sp.page('sc_cat_item', { sys_id: item.sys_id }))}"><strong>${e(item.name)}</strong> <span>${e(item.short_description)}</span></a></li>`,
        )
        .join('');
      return `<section aria-labelledby="cat-${i}"><h2 id="cat-${i}">${e(category.title)}</h2><p>${e(category.description)}</p><ul class="tiles">${tiles}</ul></section>`;
    });
    // Items the person's roles do not include are not offered; they are named with the role that grants them.
    const others = offers.filter((o) => !o.mayOrder).map(({ item: i, howToGet }) => [e(i.name), e(i.short_description), e(howToGet)]);
    const locked = others.length ? table(LOCKED_CAPTION, ['Item', 'What it is for', 'How to get it'], others) : '';
    const more = `<p>${link(sp.page('my_requests'), 'Your requests')} | ${link(sp.page('contacts'), 'Nominated contacts')}</p>`;
    const none = '<p>There is nothing you can order: your Job Type Roles include no catalogue item.</p>';
    return { title: 'Service catalogue', body: `${more}${sections.join('') || none}${locked}` };
  };

  const orderForm = ({ caller, viewer, req }: PortalContext, error?: FormError) => {
    const item = requests.catalogItemFor(caller, recordOf(req, 'item'));
    const sent = (req.body ?? {}) as Record<string, unknown>;
    const fields = Object.entries(item.variables)
      .map(([name, hint]) =>
        field({ name, label: variableLabel(name), hint, required: false, value: typeof sent[name] === 'string' ? sent[name] : '' }, error),
      )
      .join('');
    return {
      title: item.name,
      body: `<p>${e(item.short_description)}</p>${form(viewer, `/portal/catalog/${item.sys_id}`, fields, 'Order', error)}<p>${link(sp.page('sc_home'), 'Back to the service catalogue')}</p>`,
    };
  };
  router.get('/catalog', (_req, res) => res.redirect(301, sp.page('sc_home')));
  router.get('/catalog/:item', (req, res) => res.redirect(301, sp.page('sc_cat_item', { sys_id: String(req.params.item) })));
  router.post(
    '/catalog/:item',
    action(
      async ({ caller, req }) => {
        const sent = req.body as Record<string, unknown>;
        const item = requests.catalogItemFor(caller, String(req.params.item));
        const variables = Object.fromEntries(
          Object.keys(item.variables).map((name) => [name, typeof sent[name] === 'string' ? sent[name] : '']),
        );
        const ordered = await requests.order(caller, item.sys_id, { variables });
        // Someone who may order an item but not read requests (OMS_RETURNS ordering a CH transfer) goes back to the catalogue.
        const next = roles.grants(caller.roles, 'requests.read') ? sp.ticket('sc_req_item', ordered.item.sys_id) : sp.page('sc_home');
        return { redirect: next, message: `Ordered ${ordered.request.number} with item ${ordered.item.number}.` };
      },
      async (ctx, error) => orderForm(ctx, error),
    ),
  );

  const myRequests: SpPage = async ({ caller }) => {
    const rows = (await requests.items(caller)).map((i) => [
      link(sp.ticket('sc_req_item', i.sys_id), i.number),
      e(i.short_description),
      e(stateText(i.state)),
      e(date(i.sys_created_on)),
    ]);
    return {
      title: 'Your requests',
      body: `<p>${link(sp.page('sc_home'), 'Order from the service catalogue')}</p>${table('Your request items, newest first', ['Number', 'Item', 'State', 'Opened'], rows, 'You have no requests.')}`,
    };
  };
  router.get('/requests', (_req, res) => res.redirect(301, sp.page('my_requests')));

  const itemPage = async ({ caller, viewer, req }: PortalContext, error?: FormError) => {
    const item = await requests.item(caller, recordOf(req, 'ritm'));
    const catalog = requests.catalogItem(item.cat_item);
    const upload = uploadForm(viewer, item, catalog, error);
    // A refusal once the item no longer takes a file (already accepted, say) still needs saying.
    return { title: `Request item ${item.number}`, body: `${upload ? '' : errorSummary(error)}${itemFacts(sp, item, catalog)}${upload}` };
  };
  router.get('/requests/:ritm', (req, res) => res.redirect(301, sp.ticket('sc_req_item', String(req.params.ritm))));
  router.post(
    '/requests/:ritm/submit',
    action(
      async (ctx) => {
        const sysId = String(ctx.req.params.ritm);
        const item = await requests.files.submit(ctx.caller, sysId, uploadsOf(ctx));
        const told =
          item.state === 'rejected'
            ? `${item.number} was rejected: ${item.rejection_reason ?? ''}`
            : `${item.number} was accepted and passed to DCC.`;
        return { redirect: sp.ticket('sc_req_item', item.sys_id), message: told };
      },
      (ctx, error) => itemPage(ctx, error),
      config.attachments.maxBytes,
    ),
  );

  const pages = new Map<string, SpPage>([
    ['sc_home', catalogue],
    ['sc_cat_item', async (ctx) => orderForm(ctx)],
    ['my_requests', myRequests],
    ['ticket:sc_req_item', (ctx) => itemPage(ctx)],
  ]);
  return { router, pages };
}

function itemFacts(sp: SpPaths, item: RequestItemRow, catalog: CatalogItem): string {
  const variables = Object.keys(catalog.variables).map((name): [string, string] => [variableLabel(name), item.variables[name] ?? '']);
  const facts = details([
    ['Number', item.number],
    ['Catalogue item', item.short_description],
    ['State', stateText(item.state)],
    ['Rejection reason', item.rejection_reason || 'None'],
    ...variables,
    ['Opened', `${date(item.sys_created_on)} by ${item.sys_created_by}`],
    ['Updated', `${date(item.sys_updated_on)} by ${item.sys_updated_by}`],
  ]);
  const problems = table(
    'Problems by row',
    ['Row', 'Reason'],
    item.row_problems.map((p) => [e(String(p.row)), e(p.reason)]),
    'No row problems.',
  );
  return `${facts}${problems}<p>${link(sp.page('my_requests'), 'All your requests')}</p>`;
}

/** While the item waits for its file (or after a rejection), the form that uploads the file and its signature. */
function uploadForm(viewer: { csrf: string }, item: RequestItemRow, catalog: CatalogItem, error?: FormError): string {
  if (!catalog.file || (item.state !== 'submitted' && item.state !== 'rejected')) return '';
  const inputs = UPLOADS.map((u) =>
    field({ name: u.name, label: u.label, type: 'file', required: false, attrs: `accept="${u.accept}"` }, error),
  ).join('');
  const what = catalog.file === 'adt' ? 'ADT' : 'Quarantine Command Action';
  return `<h2>Submit the signed file</h2><p>Choose the ${what} CSV file and its detached signature, made with your party's file-signing key.</p>${form(viewer, `${itemPath(item.sys_id)}/submit`, inputs, 'Submit to the workflow', error, true)}`;
}

/** The uploaded file and signature, named by their form fields so a refusal says which input it is about. */
function uploadsOf({ files }: PortalContext): Upload[] {
  return UPLOADS.flatMap(({ name }) => {
    const file = files.find((f) => f.field === name);
    return file ? [{ field: name, fileName: file.name, contentType: file.type, content: file.bytes }] : [];
  });
}
