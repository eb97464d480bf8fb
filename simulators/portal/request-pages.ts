/**
 * Service catalogue and requests (SM-04, SM-05, SM-06, SM-08): order items, upload signed ADT and
 * Quarantine Command Action files, knowledge search, nominated contacts. Mounted at /portal (paths
 * /catalog, /requests, /knowledge, /contacts). Every rule is the RequestService's (and the Attachment
 * API's `attach`): these handlers only read forms and render what the use cases return.
 */
import { Router } from 'express';
import type { CatalogItem } from '../domain/catalog';
import { errorSummary } from '../http/forms';
import { escapeHtml as e } from '../http/html';
import type { SimConfig } from '../config';
import type { Upload } from '../services/request-files';
import type { RequestItemRow } from '../services/requests';
import type { PortalContext } from './handlers';
import { details, field, form, link, table, type FormError } from './layout';
import type { Services as PortalServices } from '../services';
import type { Handlers } from './handlers';

const STATES = new Map(
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

const stateText = (state: string) => `${STATES.get(state) ?? state} (${state})`;
const itemPath = (sysId: string) => `/portal/requests/${encodeURIComponent(sysId)}`;
const date = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

export function requestPages(
  config: SimConfig,
  { page, action }: Handlers,
  { requests, knowledge, contacts, roles }: PortalServices,
): Router {
  const router = Router();

  router.get(
    '/catalog',
    page(async ({ caller }) => {
      const offers = requests.offers(caller);
      const rows = offers
        .filter((o) => o.mayOrder)
        .map(({ item: i }) => [link(`/portal/catalog/${i.sys_id}`, i.name), e(i.short_description)]);
      // Items the person's roles do not include are not offered; they are named with the role that grants them.
      const others = offers.filter((o) => !o.mayOrder).map(({ item: i, howToGet }) => [e(i.name), e(i.short_description), e(howToGet)]);
      const more = `<p>${link('/portal/requests', 'Your requests')} | ${link('/portal/contacts', 'Nominated contacts')}</p>`;
      const locked = others.length
        ? table('Items your Job Type Roles do not include', ['Item', 'What it is for', 'How to get it'], others)
        : '';
      return {
        title: 'Service catalogue',
        body: `${more}${table('Items you can order', ['Item', 'What it is for'], rows, 'None: your Job Type Roles include no item.')}${locked}`,
      };
    }),
  );

  const orderForm = ({ caller, viewer, req }: PortalContext, error?: FormError) => {
    const item = requests.catalogItemFor(caller, String(req.params.item));
    const sent = (req.body ?? {}) as Record<string, unknown>;
    const fields = Object.entries(item.variables)
      .map(([name, hint]) =>
        field({ name, label: variableLabel(name), hint, required: false, value: typeof sent[name] === 'string' ? sent[name] : '' }, error),
      )
      .join('');
    return {
      title: item.name,
      body: `<p>${e(item.short_description)}</p>${form(viewer, `/portal/catalog/${item.sys_id}`, fields, 'Order', error)}`,
    };
  };
  router.get(
    '/catalog/:item',
    page(async (ctx) => orderForm(ctx)),
  );
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
        const next = roles.grants(caller.roles, 'requests.read') ? itemPath(ordered.item.sys_id) : '/portal/catalog';
        return { redirect: next, message: `Ordered ${ordered.request.number} with item ${ordered.item.number}.` };
      },
      async (ctx, error) => orderForm(ctx, error),
    ),
  );

  router.get(
    '/requests',
    page(async ({ caller }) => {
      const rows = (await requests.items(caller)).map((i) => [
        link(itemPath(i.sys_id), i.number),
        e(i.short_description),
        e(stateText(i.state)),
        e(date(i.sys_created_on)),
      ]);
      return {
        title: 'Your requests',
        body: `<p>${link('/portal/catalog', 'Order from the service catalogue')}</p>${table('Your request items, newest first', ['Number', 'Item', 'State', 'Opened'], rows, 'You have no requests.')}`,
      };
    }),
  );

  const itemPage = async ({ caller, viewer, req }: PortalContext, error?: FormError) => {
    const item = await requests.item(caller, String(req.params.ritm));
    const catalog = requests.catalogItem(item.cat_item);
    const upload = uploadForm(viewer, item, catalog, error);
    // A refusal once the item no longer takes a file (already accepted, say) still needs saying.
    return { title: `Request item ${item.number}`, body: `${upload ? '' : errorSummary(error)}${itemFacts(item, catalog)}${upload}` };
  };
  router.get(
    '/requests/:ritm',
    page((ctx) => itemPage(ctx)),
  );
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
        return { redirect: itemPath(item.sys_id), message: told };
      },
      (ctx, error) => itemPage(ctx, error),
      config.attachments.maxBytes,
    ),
  );

  router.get(
    '/knowledge',
    page(async ({ caller, req }) => {
      const words = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
      const search = `<form method="get" action="/portal/knowledge" role="search" aria-label="Knowledge articles"><label for="f-q">Search knowledge articles</label><input id="f-q" name="q" type="text" value="${e(words)}"><button type="submit">Search</button></form>`;
      // Searched even when empty: the search is where reading knowledge is checked, for the bare page too.
      const found = await knowledge.search(caller, words);
      if (!words.trim()) return { title: 'Knowledge', body: search };
      const list = found.length
        ? `<h2 id="results">Articles that mention "${e(words)}"</h2><ul aria-labelledby="results">${found.map((a) => `<li>${e(a.short_description)}</li>`).join('')}</ul>`
        : `<h2>No articles mention "${e(words)}"</h2>`;
      return { title: 'Knowledge', body: `${search}${list}` };
    }),
  );

  router.get(
    '/contacts',
    page(async ({ caller }) => {
      const rows = (await contacts.list(caller)).map((c) => [e(c.role), e(c.name), e(c.email), e(date(c.updated_on))]);
      const change = requests.catalog(caller).find((i) => i.onFulfil === 'nominated-contact');
      const how = change ? `<p>${link(`/portal/catalog/${change.sys_id}`, 'Ask DCC to change a nominated contact')}</p>` : '';
      return {
        title: 'Nominated contacts',
        body: `${table("Your party's nominated contacts", ['Role', 'Name', 'Email', 'Updated'], rows, 'DCC holds no nominated contacts for your party.')}${how}`,
      };
    }),
  );

  return router;
}

function itemFacts(item: RequestItemRow, catalog: CatalogItem): string {
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
  return `${facts}${problems}<p>${link('/portal/requests', 'All your requests')}</p>`;
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
