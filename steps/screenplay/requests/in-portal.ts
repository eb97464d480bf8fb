/**
 * Service requests, knowledge and nominated contacts in the portal: order a catalogue item from the
 * catalogue (`?id=sc_home`, then `?id=sc_cat_item`), submit a signed file on the request item's ticket
 * page, search knowledge (`?id=kb_search`), read the contacts (`?id=contacts`).
 */
import type { InPortal } from '../modes';
import type { Outcome } from '../outcome';
import { escapeRegExp, refused, type Portal } from '../pages/portal';
import type { OrderedItem, RequestOutcome, SignedFile } from './tasks';
import type { requestsViaApi } from './via-api';

export const requestsInPortal: InPortal<typeof requestsViaApi> = {
  async submitSignedFile(
    portal: Portal,
    itemName: string,
    file: SignedFile,
    variables: Record<string, string> = {},
  ): Promise<Outcome<RequestOutcome>> {
    const ordered = await orderItem(portal, itemName, variables);
    if (!ordered.ok) return ordered;
    await portal.page
      .getByLabel(portal.label('File'), { exact: true })
      .setInputFiles({ name: file.name, mimeType: 'text/csv', buffer: Buffer.from(file.csv) });
    await portal.page
      .getByLabel(portal.label('Signature file (.sig)'), { exact: true })
      .setInputFiles({ name: `${file.name}.sig`, mimeType: 'text/plain', buffer: Buffer.from(file.signature) });
    return portal.outcome(await portal.press('Submit to the workflow'), async () => {
      const reason = await portal.definition('Rejection reason');
      const problems = await portal.tableRows('Problems by row');
      return {
        number: await portal.definition('Number'),
        state: await state(portal),
        rejectionReason: reason === 'None' ? '' : reason,
        rowProblems: problems.map((p) => ({ row: Number(p.Row), reason: p.Reason ?? '' })),
      };
    });
  },

  orderItem,

  async searchKnowledge(portal: Portal, words: string): Promise<string[]> {
    portal.expectOk(await portal.open(portal.sp('kb_search')), 'Opening the knowledge page');
    await portal.fill({ 'Search knowledge articles': words });
    portal.expectOk(await portal.press('Search'), 'Searching knowledge');
    const results = portal.page.getByRole('list', { name: `${portal.label('Articles that mention')} "${words}"`, exact: true });
    if ((await results.count()) > 0) return (await results.getByRole('listitem').allInnerTexts()).map((t) => t.trim());
    if ((await portal.page.getByRole('heading', { name: `${portal.label('No articles mention')} "${words}"`, exact: true }).count()) > 0)
      return [];
    throw await portal.notOnPage(`list of articles that mention "${words}", nor a heading saying none do`);
  },

  async nominatedContacts(portal: Portal): Promise<{ role: string; name: string; email: string }[]> {
    portal.expectOk(await portal.open(portal.sp('contacts')), 'Opening the nominated contacts');
    const rows = await portal.tableRows("Your party's nominated contacts");
    return rows.map((r) => ({ role: r.Role ?? '', name: r.Name ?? '', email: r.Email ?? '' }));
  },
};

/** Orders the catalogue item by name, filling its variables by their labels; the person lands on the request item. */
async function orderItem(portal: Portal, itemName: string, variables: Record<string, string>): Promise<Outcome<OrderedItem>> {
  const catalogue = await portal.open(portal.sp('sc_home'));
  if (catalogue.status >= 400) return refused(catalogue);
  // Each item is a link named by its title and what it is for: "ADT threshold submission Submit ...".
  const name = new RegExp(`^${escapeRegExp(itemName)}\\b`);
  if ((await portal.page.getByRole('main').getByRole('link', { name }).count()) === 0) {
    // Not offered to this person: the portal names it with the role that grants it, as the API's refusal does.
    const locked = portal.page
      .getByRole('table', { name: portal.label('Items your Job Type Roles do not include') })
      .getByRole('row', { name });
    if ((await locked.count()) > 0) return { ok: false, status: 403, message: (await locked.first().innerText()).trim() };
    return { ok: false, status: 404, message: `No catalogue item "${itemName}"` };
  }
  const landed = await portal.follow(name);
  portal.expectOk(landed, `Opening the catalogue item "${itemName}"`);
  await portal.fill(Object.fromEntries(Object.entries(variables).map(([name, value]) => [variableLabel(name), value])));
  return portal.outcome(await portal.press('Order'), async () => {
    const url = new URL(portal.page.url());
    if (portal.isPage(url, 'ticket')) return { sysId: url.searchParams.get('sys_id') ?? '', number: await portal.definition('Number') };
    // Without requests.read the person is sent back to the catalogue, told the numbers they ordered.
    const told = (await portal.page.getByRole('status').innerText()).trim();
    return { sysId: '', number: /\bRITM\d{7}\b/.exec(told)?.[0] ?? '' };
  });
}

/** A variable's label on the order form, as a person reads it: `incident_number` is "Incident number". */
function variableLabel(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The item's state as the platform names it: the page shows "In progress (in_progress)". */
async function state(portal: Portal): Promise<string> {
  const shown = await portal.definition('State');
  return /\(([a-z_]+)\)$/.exec(shown)?.[1] ?? shown;
}
