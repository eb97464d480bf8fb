/**
 * Service requests (SM-04..06): the catalogue, and ordering from it a REQ with one RITM, each item's
 * variables checked against the catalogue's. What follows an order is in its own modules: a file
 * item's workflow (request-files.ts) and DCC's service desk working the items (request-desk.ts).
 */
import { z } from 'zod';
import { CATALOG, catalogItem, type CatalogItem } from '../domain/catalog';
import { InvalidInput, NotFound } from '../domain/errors';
import { formatNumber, newSysId, SYS_ID } from '../domain/ids';
import { findRequestItem, insertRequest, listRequestItems, insertRequestItem, nextNumber, type RequestItemRow } from '../store/requests';
import type { AttachmentService } from './attachments';
import type { Caller, Core } from './context';
import type { IncidentService } from './incidents';
import type { TransferService } from './oms-transfers';
import { RequestDeskService } from './request-desk';
import { RequestFileService } from './request-files';
import { parseInput } from './validate';

const Order = z
  .object({ sysparm_quantity: z.union([z.literal(1), z.literal('1')]).default('1'), variables: z.record(z.string().max(2000)).default({}) })
  .strict();

export type { RequestItemRow } from '../store/requests';

export class RequestService {
  /** The User submits a file item's signed file, which its workflow validates. */
  readonly files: RequestFileService;
  /** DCC's service desk, a persona of the control API. */
  readonly desk: RequestDeskService;

  constructor(
    private readonly core: Core,
    incidents: IncidentService,
    attachments: AttachmentService,
    /** A CH transfer item starts its transfer (OMS) in the order's transaction. */
    private readonly transfers: TransferService,
  ) {
    this.files = new RequestFileService(core, incidents, attachments);
    this.desk = new RequestDeskService(core, incidents, transfers);
  }

  catalogItem(sysId: string): CatalogItem {
    return catalogItem(sysId);
  }

  /** Anyone signed in may browse the catalogue; ordering an item needs that item's component. */
  catalog(caller: Caller): readonly CatalogItem[] {
    this.core.roles.require(caller.roles, 'portal.access');
    return CATALOG;
  }

  /**
   * The catalogue as offered to the caller: the items their roles let them order, and the others
   * with what grants them and who can give it, so that nothing is offered that would be refused.
   */
  offers(caller: Caller): { item: CatalogItem; mayOrder: boolean; howToGet: string }[] {
    return this.catalog(caller).map((item) => {
      const mayOrder = this.core.roles.grants(caller.roles, item.component);
      return { item, mayOrder, howToGet: mayOrder ? '' : this.core.roles.howToGet(item.component, caller.roles) };
    });
  }

  catalogItemFor(caller: Caller, sysId: string): CatalogItem {
    this.core.roles.require(caller.roles, 'portal.access');
    return catalogItem(sysId);
  }

  /** The party's request items, newest first. */
  async items(caller: Caller): Promise<RequestItemRow[]> {
    this.core.roles.require(caller.roles, 'requests.read');
    return listRequestItems(this.core.db, caller.partyId);
  }

  async item(caller: Caller, itemSysId: string): Promise<RequestItemRow> {
    this.core.roles.require(caller.roles, 'requests.read');
    const item = SYS_ID.test(itemSysId) ? await findRequestItem(this.core.db, caller.partyId, itemSysId) : undefined;
    if (!item) throw new NotFound('Request item');
    return item;
  }

  async order(
    caller: Caller,
    catalogSysId: string,
    body: unknown,
  ): Promise<{ request: { sys_id: string; number: string }; item: RequestItemRow }> {
    const item = catalogItem(catalogSysId);
    this.core.roles.require(caller.roles, item.component);
    const variables = variablesOf(item, body);
    const now = this.core.clock.now();
    return this.core.db.transaction(async (tx) => {
      const request = { sys_id: newSysId(), number: formatNumber('REQ', await nextNumber(tx, 'request_number')) };
      await insertRequest(tx, { ...request, party_id: caller.partyId, requested_for: caller.accountId, at: now, by: caller.username });
      const row: RequestItemRow = {
        sys_id: newSysId(),
        number: formatNumber('RITM', await nextNumber(tx, 'request_item_number')),
        request_id: request.sys_id,
        party_id: caller.partyId,
        cat_item: item.sys_id,
        short_description: item.name,
        variables,
        state: item.file ? 'submitted' : 'in_progress',
        rejection_reason: null,
        row_problems: [],
        incident_id: null,
        sys_created_on: now,
        sys_created_by: caller.username,
        sys_updated_on: now,
        sys_updated_by: caller.username,
      };
      await insertRequestItem(tx, row);
      if (item.onOrder === 'ch-transfer') await this.transfers.start(tx, caller, row);
      return { request, item: row };
    });
  }
}

/** The order's variables: exactly the item's own, each given. */
function variablesOf(item: CatalogItem, body: unknown): Record<string, string> {
  const { variables } = parseInput(Order, body);
  // Names as sent: zod's records drop a `__proto__` key, which must be refused like any other unknown
  // name; and only the item's own variables count (`constructor` is not one).
  const sent = Object.keys((body as { variables?: object }).variables ?? {});
  const unknown = sent.filter((k) => !Object.hasOwn(item.variables, k));
  const missing = Object.keys(item.variables).filter((k) => !variables[k]?.trim());
  if (unknown.length || missing.length) {
    throw new InvalidInput(
      `${item.name} needs the variables ${Object.keys(item.variables).join(', ') || '(none)'}`,
      `${missing.length ? `Missing: ${missing.join(', ')}. ` : ''}${unknown.length ? `Unknown: ${unknown.join(', ')}.` : ''}`,
      'variables',
    );
  }
  return variables;
}
