/** Service requests over the Service Catalog API and DCC's request API; knowledge (kb_knowledge) and nominated contacts. */
import type { SnRecord } from '../../../clients/fsm-api';
import { ProductError, resultOf } from '../../../clients/http';
import type { CallTheApi } from '../abilities/call-the-api';
import { refusalOf, type Outcome } from '../outcome';
import type { OrderedItem, RequestOutcome, SignedFile } from './tasks';

export const requestsViaApi = {
  async submitSignedFile(
    api: CallTheApi,
    itemName: string,
    file: SignedFile,
    variables: Record<string, string> = {},
  ): Promise<Outcome<RequestOutcome>> {
    const ordered = await orderItem(api, itemName, variables);
    if (!ordered.ok) return ordered;
    const encode = (text: string) => new TextEncoder().encode(text);
    for (const [name, type, content] of [
      [file.name, 'text/csv', file.csv],
      [`${file.name}.sig`, 'text/plain', file.signature],
    ] as const) {
      const attached = await api.attach(ordered.value.sysId, name, type, encode(content), 'sc_req_item');
      if (attached.status !== 201) return refusalOf(attached);
    }
    const submitted = await api.submitRequestItem(ordered.value.sysId);
    if (submitted.status !== 200) return refusalOf(submitted);
    const r = submitted.body.result;
    return { ok: true, value: { number: r.number, state: r.state, rejectionReason: r.rejection_reason, rowProblems: r.row_problems } };
  },

  orderItem,

  async searchKnowledge(api: CallTheApi, words: string): Promise<string[]> {
    const query = `short_descriptionLIKE${words}^ORtextLIKE${words}`;
    const articles = resultOf<SnRecord[]>(await api.list('kb_knowledge', { sysparm_query: query }), 200, 'Searching knowledge');
    return articles.map((a) => String(a.short_description));
  },

  async nominatedContacts(api: CallTheApi): Promise<{ role: string; name: string; email: string }[]> {
    const contacts = resultOf<{ role: string; name: string; email: string }[]>(await api.contacts(), 200, 'Reading nominated contacts');
    return contacts.map(({ role, name, email }) => ({ role, name, email }));
  },
};

/** Orders the catalogue item by name, with its variables: the request item it made. */
async function orderItem(api: CallTheApi, itemName: string, variables: Record<string, string>): Promise<Outcome<OrderedItem>> {
  const items = await api.request<{ result: { sys_id: string; name: string }[] }>('GET', '/api/sn_sc/servicecatalog/items');
  if (items.status !== 200) return refusalOf(items);
  const item = items.body.result.find((i) => i.name === itemName);
  if (!item) return { ok: false, status: 404, message: `No catalogue item "${itemName}"` };
  const ordered = await api.orderNow(item.sys_id, variables);
  if (ordered.status !== 200) return refusalOf(ordered);
  const first = ordered.body.result.items[0];
  if (!first) throw new ProductError(`Ordering "${itemName}" answered HTTP 200 with no request item`, ordered);
  return { ok: true, value: { sysId: first.sys_id, number: first.number } };
}
