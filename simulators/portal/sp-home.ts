/**
 * The Service Portal's home page (`/{prefix}`, `?id=index`) and global search (`?id=search&q=`): a
 * search box, tiles for what the person may do (Report an incident, Request something, Knowledge,
 * My requests, OMS...), the "My open incidents" and "My open requests" widgets, and the person's
 * notifications (SM-07). Reads go through the Table API's records, so party scoping is the API's.
 */
import { DomainError } from '../domain/errors';
import { escapeHtml as e } from '../http/html';
import type { Services } from '../services';
import type { Caller } from '../services/context';
import type { PortalContext } from './handlers';
import { state, text } from './incident-views';
import { actionButton, link, table, type FormError, type Viewer } from './layout';
import { REQUEST_STATES } from './request-pages';
import { queryText, type SpPage } from './sp-router';
import { errorSummary } from '../http/forms';

type Row = Record<string, unknown>;
const WIDGET_ROWS = 5;

/** The home page's tiles: where each leads and the component that offers it. */
const TILES: { title: string; text: string; href: (v: Viewer) => string; component: string }[] = [
  {
    title: 'Report an incident',
    text: 'Tell DCC something is broken',
    href: (v) => v.sp.page('form', { table: 'incident', sys_id: '-1' }),
    component: 'incidents.write',
  },
  { title: 'Request something', text: 'Order from the service catalogue', href: (v) => v.sp.page('sc_home'), component: 'requests.write' },
  { title: 'Knowledge', text: 'Search articles and guides', href: (v) => v.sp.page('kb_search'), component: 'knowledge.read' },
  { title: 'My requests', text: 'Follow what you have asked for', href: (v) => v.sp.page('my_requests'), component: 'requests.read' },
  {
    title: 'Incidents',
    text: "Your organisation's incidents",
    href: (v) => v.sp.page('list', { table: 'incident' }),
    component: 'incidents.read',
  },
  { title: 'OMS', text: 'Communications Hub orders, deliveries and returns', href: () => '/portal/oms', component: 'oms.read' },
  { title: 'Users', text: "Your organisation's accounts", href: () => '/portal/users', component: 'accounts.read' },
];

/** A section the person may not read is left out; any other failure is the page's. */
async function ifAllowed<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof DomainError && error.status === 403) return undefined;
    throw error;
  }
}

const quoted = (words: string) => words.replace(/\^/g, '^^');

export function spHome({ notifications, records, requests, knowledge, users }: Services) {
  const searchBox = (viewer: Viewer, words = '') =>
    `<div class="hero"><form method="get" action="${e(viewer.sp.home)}" role="search" aria-label="Search the portal"><input type="hidden" name="id" value="search"><label for="f-search">How can we help?</label><input id="f-search" name="q" type="search" value="${e(words)}" placeholder="Search knowledge, incidents and the catalogue"><button type="submit">Search</button></form></div>`;

  const mine = (caller: Caller, tableName: string, query: string) =>
    ifAllowed(async () => (await records.list(caller, tableName, { query, limit: WIDGET_ROWS, offset: 0 })).rows);

  async function widgets(caller: Caller, viewer: Viewer): Promise<string> {
    const me = quoted(caller.username);
    const incidents = await mine(caller, 'incident', `active=true^sys_created_by=${me}^ORDERBYDESCsys_created_on`);
    const items = await mine(
      caller,
      'sc_req_item',
      `stateINsubmitted,validating,in_progress^sys_created_by=${me}^ORDERBYDESCsys_created_on`,
    );
    const widget = (title: string, rows: Row[] | undefined, cells: (r: Row) => string[], empty: string) =>
      rows ? `<section>${table(title, ['Number', 'Short description', 'State'], rows.map(cells), empty)}</section>` : '';
    return `<div class="widgets">${widget(
      'My open incidents',
      incidents,
      (r) => [
        link(viewer.sp.ticket('incident', text(r, 'sys_id')), text(r, 'number')),
        e(text(r, 'short_description')),
        e(state(text(r, 'state'))),
      ],
      'none open',
    )}${widget(
      'My open requests',
      items,
      (r) => [
        link(viewer.sp.ticket('sc_req_item', text(r, 'sys_id')), text(r, 'number')),
        e(text(r, 'short_description')),
        e(REQUEST_STATES.get(text(r, 'state')) ?? text(r, 'state')),
      ],
      'none open',
    )}</div>`;
  }

  async function home({ caller, viewer }: PortalContext, error?: FormError) {
    const tiles = TILES.filter((t) => viewer.components.has(t.component))
      .map((t) => `<li><a href="${e(t.href(viewer))}"><strong>${e(t.title)}</strong> <span>${e(t.text)}</span></a></li>`)
      .join('');
    const rows = await notifications.list(caller);
    const list = table(
      'Your notifications, newest first',
      ['Received', 'Subject', 'Message', ''],
      rows.map((n) => [
        e(n.created_at.toISOString().slice(0, 16).replace('T', ' ')),
        n.read_at ? e(n.subject) : `<strong>${e(n.subject)}</strong> (unread)`,
        e(n.body),
        n.read_at ? '' : actionButton(viewer, `/portal/notifications/${encodeURIComponent(n.sys_id)}/read`, `Mark "${n.subject}" as read`),
      ]),
      'You have no notifications.',
    );
    // An administrator's first steps (roles, Regions), until they are done.
    const steps = await users.setupSteps(caller);
    const next = steps.length
      ? `<section aria-labelledby="setup-next"><h2 id="setup-next">What to set up next</h2><ul>${steps.map((s) => `<li>${e(s)}</li>`).join('')}</ul></section>`
      : '';
    const body = `${searchBox(viewer)}${errorSummary(error)}${next}<nav aria-label="What you can do"><ul class="tiles">${tiles}</ul></nav>${await widgets(caller, viewer)}<h2>Notifications</h2>${list}`;
    return { title: 'Home', body };
  }

  const search: SpPage = async ({ caller, viewer, req }) => {
    const words = queryText(req, 'q').trim();
    if (!words) return { title: 'Search', body: `${searchBox(viewer)}<p>Type what you are looking for.</p>` };
    const articles = await ifAllowed(() => knowledge.search(caller, words, 20));
    const incidents = await ifAllowed(
      async () =>
        (
          await records.list(caller, 'incident', {
            query: `short_descriptionLIKE${quoted(words)}^ORnumberLIKE${quoted(words)}^ORDERBYDESCnumber`,
            limit: 20,
            offset: 0,
          })
        ).rows,
    );
    const lower = words.toLowerCase();
    const items = requests.catalog(caller).filter((i) => `${i.name} ${i.short_description}`.toLowerCase().includes(lower));
    const section = (title: string, id: string, entries: string[] | undefined) =>
      entries === undefined
        ? ''
        : `<h2 id="${id}">${e(title)} (${entries.length})</h2>${entries.length ? `<ul aria-labelledby="${id}">${entries.map((x) => `<li>${x}</li>`).join('')}</ul>` : '<p>Nothing found.</p>'}`;
    const body = [
      searchBox(viewer, words),
      section(
        'Knowledge',
        'found-kb',
        articles?.map((a) => link(viewer.sp.page('kb_article', { sys_id: a.sys_id }), a.short_description)),
      ),
      section(
        'Incidents',
        'found-inc',
        incidents?.map(
          (r) => `${link(viewer.sp.ticket('incident', text(r, 'sys_id')), text(r, 'number'))}: ${e(text(r, 'short_description'))}`,
        ),
      ),
      section(
        'Catalogue items',
        'found-cat',
        items.map((i) => `${link(viewer.sp.page('sc_cat_item', { sys_id: i.sys_id }), i.name)}: ${e(i.short_description)}`),
      ),
    ].join('');
    return { title: `Search results for "${words}"`, body };
  };

  const pages = new Map<string, SpPage>([
    ['index', (ctx) => home(ctx)],
    ['search', search],
  ]);
  return { home, pages };
}
