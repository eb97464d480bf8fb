/**
 * The workflow of a catalogue item that takes a file (SM-05, SM-06): the User attaches the CSV and its
 * detached signature and submits them; the workflow checks the signature first, then each row. A
 * valid ADT file sets the party's thresholds in the same transaction as the item's state; an invalid
 * one changes nothing and says why, per row. An accepted Quarantine Command Action answers DCC on
 * its quarantine incident.
 */
import { catalogItem } from '../domain/catalog';
import { Conflict, DomainError, InvalidInput, NotFound } from '../domain/errors';
import { parseAdtFile, parseQcaFile, signatureValid, signingKey, type RowProblem } from '../domain/files';
import { SYS_ID } from '../domain/ids';
import type { Queryable } from '../store/db';
import { findIncidentByNumber } from '../store/incidents';
import { attachmentsWithContent } from '../store/journal';
import { findParty } from '../store/parties';
import { findRequestItem, signingKeyOf, updateRequestItem, upsertThreshold, type RequestItemRow } from '../store/requests';
import type { AttachmentService } from './attachments';
import type { Caller, Core } from './context';
import type { IncidentService } from './incidents';
import { recordNotification } from './notifications';

/** A file sent with a submission, and the form field it came from. */
export interface Upload {
  field: string;
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

type Verdict = { state: 'in_progress' } | { state: 'rejected'; reason: string; problems: RowProblem[] };

export class RequestFileService {
  constructor(
    private readonly core: Core,
    private readonly incidents: IncidentService,
    private readonly attachments: AttachmentService,
  ) {}

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
      const catalog = catalogItem(item.cat_item);
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

  private async attachUpload(tx: Queryable, caller: Caller, itemSysId: string, { field, ...file }: Upload): Promise<void> {
    try {
      await this.attachments.attach(caller, { tableName: 'sc_req_item', tableSysId: itemSysId, ...file }, tx);
    } catch (error) {
      if (!(error instanceof DomainError) || !error.field || error.status >= 500) throw error;
      throw new DomainError(error.code, error.status, error.message, error.detail, field);
    }
  }

  /** The signature first, against the party's file-signing key; then each row of the file's layout. */
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
    return layout === 'qca' ? this.validateQca(tx, caller, item, text) : this.applyAdt(tx, caller, item, csv.file_name, text);
  }

  /** A valid ADT file sets the party's thresholds; one invalid row and nothing is applied. */
  private async applyAdt(tx: Queryable, caller: Caller, item: RequestItemRow, fileName: string, text: string): Promise<Verdict> {
    const party = await findParty(tx, caller.partyId);
    const { thresholds, problems } = parseAdtFile(text, party?.userIds ?? []);
    if (problems.length)
      return { state: 'rejected', reason: `${problems.length} row(s) of ${fileName} are not valid; nothing was applied.`, problems };
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
    const incident = await findIncidentByNumber(tx, caller.partyId, number);
    if (!incident || incident.category !== 'quarantine')
      return { state: 'rejected', reason: `${number} is not a quarantine incident of your party.`, problems: [] };
    const { problems } = parseQcaFile(text, this.core.config.quarantine.releaseEnabled);
    return problems.length
      ? { state: 'rejected', reason: `${problems.length} row(s) are not valid; nothing was applied.`, problems }
      : { state: 'in_progress' };
  }

  /** The accepted Quarantine Command Action answers DCC on the quarantine incident. */
  private async answerQuarantine(caller: Caller, incidentNumber: string, itemNumber: string): Promise<void> {
    const incident = await findIncidentByNumber(this.core.db, caller.partyId, incidentNumber);
    if (incident)
      await this.incidents.commentFor(
        caller.partyId,
        incident.sys_id,
        `Quarantine Command Action submitted as ${itemNumber}.`,
        caller.username,
      );
  }
}
