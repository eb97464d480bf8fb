/**
 * Service requests (SM-04..06): ordered from the catalogue as a REQ with one RITM; an item that takes
 * a file waits for the User to attach the CSV and its detached signature and submit it, then the
 * workflow validates it: signature first, then each row. A valid ADT file sets the party's thresholds
 * in the same transaction as the item's state; an invalid one changes nothing and says why, per row.
 */
import { z } from 'zod';
import { assertDeskMove, CATALOG, type CatalogItem } from '../domain/catalog';
import { Conflict, DomainError, InvalidInput, NotFound } from '../domain/errors';
import { parseAdtFile, parseQcaFile, signatureValid, signingKey, type RowProblem } from '../domain/files';
import { formatNumber, newSysId, SYS_ID } from '../domain/ids';
import { findParty } from '../store/parties';
import { findAccount } from '../store/accounts';
import type { Queryable } from '../store/db';
import { attachmentsWithContent } from '../store/journal';
import {
  findRequestItem,
  insertRequest,
  listRequestItems,
  insertRequestItem,
  nextNumber,
  signingKeyOf,
  updateRequestItem,
  upsertThreshold,
  type RequestItemRow,
} from '../store/requests';
import type { AttachmentService } from './attachments';
import type { Caller, Core } from './context';
import type { IncidentService } from './incidents';
import type { TransferService } from './oms-transfers';
import { recordNotification } from './notifications';
import { parseInput } from './validate';

const Order = z
  .object({ sysparm_quantity: z.union([z.literal(1), z.literal('1')]).default('1'), variables: z.record(z.string().max(2000)).default({}) })
  .strict();

export type { RequestItemRow } from '../store/requests';

/** A file sent with a submission, and the form field it came from. */
export interface Upload {
  field: string;
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

type Verdict = { state: 'in_progress' } | { state: 'rejected'; reason: string; problems: RowProblem[] };

export class RequestService {
  constructor(
    private readonly core: Core,
    private readonly incidents: IncidentService,
    private readonly attachments: AttachmentService,
    /** A CH transfer item starts its transfer (OMS) in the order's transaction. */
    private readonly transfers: TransferService,
  ) {}

  catalogItem(sysId: string): CatalogItem {
    const item = CATALOG.find((i) => i.sys_id === sysId);
    if (!item) throw new NotFound('Catalogue item');
    return item;
  }

  /** Anyone signed in may browse the catalogue; ordering an item needs that item's component. */
  catalog(caller: Caller): readonly CatalogItem[] {
    this.core.roles.require(caller.roles, 'portal.access');
    return CATALOG;
  }

  catalogItemFor(caller: Caller, sysId: string): CatalogItem {
    this.core.roles.require(caller.roles, 'portal.access');
    return this.catalogItem(sysId);
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
    const item = this.catalogItem(catalogSysId);
    this.core.roles.require(caller.roles, item.component);
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

  /**
   * Runs the item's workflow on its attached file and signature. `uploads` are files sent with the
   * submission (the portal's upload form), attached in the same transaction once the caller may
   * submit and the item takes a file: a refused submission leaves nothing attached, and a refused
   * file is named by the form field it came from.
   */
  async submit(caller: Caller, itemSysId: string, uploads: readonly Upload[] = []): Promise<RequestItemRow> {
    this.core.roles.require(caller.roles, 'files.submit');
    const deliveries: (() => Promise<void>)[] = [];
    let quarantineIncident: string | undefined;
    const result = await this.core.db.transaction(async (tx) => {
      const item = SYS_ID.test(itemSysId) ? await findRequestItem(tx, caller.partyId, itemSysId, true) : undefined;
      if (!item) throw new NotFound('Request item');
      const catalog = this.catalogItem(item.cat_item);
      if (!catalog.file) throw new Conflict(`${item.number} takes no file`, '', 'state');
      if (item.state !== 'submitted' && item.state !== 'rejected')
        throw new Conflict(`${item.number} was already accepted`, 'Order a new item to submit another file.', 'state');
      for (const upload of uploads) await this.attachUpload(tx, caller, item.sys_id, upload);
      const verdict = await this.validate(tx, caller, item, catalog.file);
      const next = {
        ...item,
        sys_updated_on: this.core.clock.now(),
        sys_updated_by: caller.username,
        ...(verdict.state === 'rejected'
          ? { state: verdict.state, rejection_reason: verdict.reason, row_problems: verdict.problems }
          : { state: verdict.state, rejection_reason: null, row_problems: [] }),
      };
      await updateRequestItem(tx, next);
      if (verdict.state === 'in_progress' && catalog.file === 'qca') quarantineIncident = item.variables.incident_number;
      const text =
        verdict.state === 'rejected' ? `${item.number} was rejected: ${verdict.reason}` : `${item.number} was accepted and passed to DCC.`;
      deliveries.push(
        await recordNotification(this.core, tx, {
          accountId: caller.accountId,
          subject: text,
          body: text,
          record: { table: 'sc_req_item', sysId: item.sys_id },
        }),
      );
      return next;
    });
    for (const deliver of deliveries) await deliver();
    if (quarantineIncident) await this.answerQuarantine(caller, quarantineIncident, result.number);
    return result;
  }

  /**
   * DCC fulfils, rejects or closes an item (the service-desk persona of the control API), each once;
   * a CH transfer's item is the receiving party's to decide while the transfer is pending.
   */
  async serviceDesk(itemSysId: string, body: unknown): Promise<RequestItemRow> {
    const change = parseInput(
      z.object({ state: z.enum(['fulfilled', 'closed', 'rejected']), reason: z.string().max(2000).optional() }).strict(),
      body,
    );
    return this.core.db.transaction(async (tx) => {
      const item = SYS_ID.test(itemSysId) ? await findRequestItem(tx, null, itemSysId, true) : undefined;
      if (!item) throw new NotFound('Request item');
      if (change.state === 'rejected' && !change.reason) throw new InvalidInput('Say why the request is rejected', '', 'reason');
      assertDeskMove(item.number, item.state, change.state);
      await this.transfers.assertDeskMayDecide(tx, item);
      const next = {
        ...item,
        state: change.state,
        rejection_reason: change.reason ?? item.rejection_reason,
        sys_updated_on: this.core.clock.now(),
        sys_updated_by: 'DCC Service Desk',
      };
      await updateRequestItem(tx, next);
      if (change.state === 'fulfilled' && this.catalogItem(item.cat_item).onFulfil === 'nominated-contact') {
        const v = item.variables;
        await tx.query(
          `INSERT INTO nominated_contact (party_id, role, name, email, updated_on) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (party_id, role) DO UPDATE SET name = excluded.name, email = excluded.email, updated_on = excluded.updated_on`,
          [item.party_id, v.contact_role, v.contact_name, v.contact_email, next.sys_updated_on],
        );
      }
      return next;
    });
  }

  private async attachUpload(tx: Queryable, caller: Caller, itemSysId: string, { field, ...file }: Upload): Promise<void> {
    try {
      await this.attachments.attach(caller, { tableName: 'sc_req_item', tableSysId: itemSysId, ...file }, tx);
    } catch (error) {
      if (!(error instanceof DomainError) || !error.field || error.status >= 500) throw error;
      throw new DomainError(error.code, error.status, error.message, error.detail, field);
    }
  }

  private async validate(tx: Queryable, caller: Caller, item: RequestItemRow, layout: 'adt' | 'qca'): Promise<Verdict> {
    const files = await attachmentsWithContent(tx, caller.partyId, item.sys_id);
    const csv = files.find((f) => f.content_type === 'text/csv');
    const signature = files.find((f) => f.file_name.endsWith('.sig'));
    if (!csv)
      throw new InvalidInput(
        `Attach the ${layout === 'adt' ? 'ADT' : 'Quarantine Command Action'} CSV file to ${item.number} first`,
        '',
        'file',
      );
    if (!signature)
      throw new InvalidInput(`Attach the detached signature of the file (${csv.file_name}.sig) to ${item.number} first`, '', 'signature');
    const pem = await signingKeyOf(tx, caller.partyId);
    if (!pem) return { state: 'rejected', reason: 'Your party has no file-signing key registered with DCC.', problems: [] };
    if (!signatureValid(csv.content, signature.content, signingKey(pem))) {
      return {
        state: 'rejected',
        reason: `The signature ${signature.file_name} does not match ${csv.file_name} and your party's file-signing key.`,
        problems: [],
      };
    }
    const text = Buffer.from(csv.content).toString('utf8');
    if (layout === 'qca') return this.validateQca(tx, caller, item, text);
    const party = await findParty(tx, caller.partyId);
    const { thresholds, problems } = parseAdtFile(text, party?.userIds ?? []);
    if (problems.length)
      return { state: 'rejected', reason: `${problems.length} row(s) of ${csv.file_name} are not valid; nothing was applied.`, problems };
    const now = this.core.clock.now();
    for (const t of thresholds)
      await upsertThreshold(tx, {
        party_id: caller.partyId,
        user_id: t.userId,
        threshold_type: t.thresholdType,
        value: t.value,
        request_item_id: item.sys_id,
        at: now,
      });
    return { state: 'in_progress' };
  }

  private async validateQca(tx: Queryable, caller: Caller, item: RequestItemRow, text: string): Promise<Verdict> {
    const number = item.variables.incident_number ?? '';
    const [incident] = await tx.query<{ category: string }>('SELECT category FROM incident WHERE party_id = $1 AND number = $2', [
      caller.partyId,
      number,
    ]);
    if (!incident || incident.category !== 'quarantine')
      return { state: 'rejected', reason: `${number} is not a quarantine incident of your party.`, problems: [] };
    const { problems } = parseQcaFile(text, this.core.config.quarantine.releaseEnabled);
    return problems.length
      ? { state: 'rejected', reason: `${problems.length} row(s) are not valid; nothing was applied.`, problems }
      : { state: 'in_progress' };
  }

  /** The accepted Quarantine Command Action answers DCC on the quarantine incident. */
  private async answerQuarantine(caller: Caller, incidentNumber: string, itemNumber: string): Promise<void> {
    const [incident] = await this.core.db.query<{ sys_id: string }>('SELECT sys_id FROM incident WHERE party_id = $1 AND number = $2', [
      caller.partyId,
      incidentNumber,
    ]);
    if (incident)
      await this.incidents.commentFor(
        caller.partyId,
        incident.sys_id,
        `Quarantine Command Action submitted as ${itemNumber}.`,
        caller.username,
      );
  }

  /** DCC raises a quarantine incident for a party, on hold awaiting the User's Quarantine Command Action (SM-06). */
  async raiseQuarantine(body: unknown): Promise<{ sys_id: string; number: string }> {
    const input = parseInput(z.object({ party_id: z.string().regex(SYS_ID), description: z.string().min(5).max(4000) }).strict(), body);
    const [admin] = await this.core.db.query<{ id: string }>(
      `SELECT id FROM account WHERE party_id = $1 AND status = 'active' AND 'ORG_ADMIN' = ANY(roles) ORDER BY created_at LIMIT 1`,
      [input.party_id],
    );
    const account = admin && (await findAccount(this.core.db, admin.id));
    if (!account) throw new NotFound('Party');
    // DCC raises it in the party's name, for its administrator: the service desk holds the raising component.
    const caller: Caller = {
      accountId: account.id,
      partyId: account.party_id,
      username: 'DCC Service Desk',
      roles: ['SERVICE_USER'],
      amr: [],
    };
    const incident = await this.incidents.raise(caller, {
      short_description: 'Communications quarantined: answer with a Quarantine Command Action',
      description: input.description,
      category: 'quarantine',
      impact: '2',
      urgency: '2',
    });
    await this.incidents.serviceDesk(incident.sys_id, { state: 3, on_hold_reason: 'awaiting_caller', comments: input.description });
    return { sys_id: incident.sys_id, number: incident.number };
  }
}
