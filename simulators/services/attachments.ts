/**
 * Attachments on a party's records: size and type limits from configuration, the declared type
 * checked against the bytes (a PDF must start like a PDF, a CSV must be text), names without paths.
 */
import { createHash } from 'node:crypto';
import { InvalidInput, NotFound } from '../domain/errors';
import { newSysId, SYS_ID } from '../domain/ids';
import { findIncident } from '../store/incidents';
import type { Queryable } from '../store/db';
import { findAttachment, insertAttachment, type AttachmentRow } from '../store/journal';
import { findRequestItem } from '../store/requests';
import type { Caller, Core } from './context';
import type { RecordService } from './records';

export type { AttachmentRow } from '../store/journal';

const SIGNATURES = new Map<string, number[]>([
  ['application/pdf', [0x25, 0x50, 0x44, 0x46]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['application/zip', [0x50, 0x4b, 0x03, 0x04]],
]);
const TEXT_TYPES = new Set(['text/csv', 'text/plain', 'application/json']);
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,199}$/;

export interface NewAttachment {
  tableName: unknown;
  tableSysId: unknown;
  fileName: unknown;
  contentType: string;
  content: Uint8Array;
}

/** The tables that take attachments: the component attaching needs, and how to find the caller's record. */
export const TARGETS: Record<
  string,
  { component: string; find: (db: Queryable, partyId: string, sysId: string) => Promise<{ sys_id: string } | undefined> }
> = {
  incident: { component: 'incidents.write', find: (db, partyId, sysId) => findIncident(db, partyId, sysId) },
  sc_req_item: { component: 'requests.write', find: (db, partyId, sysId) => findRequestItem(db, partyId, sysId) },
};

/** Files attached to a party's incidents and request items: attaching, and downloading the bytes. */
export class AttachmentService {
  constructor(
    private readonly core: Core,
    private readonly records: RecordService,
  ) {}

  /** Attaches a file; `db` is a transaction when the attachment is part of a larger change that must be whole. */
  attach(caller: Caller, input: NewAttachment, db: Queryable = this.core.db): Promise<AttachmentRow> {
    return attach(this.core, caller, input, db);
  }

  /** A file of the caller's party with its bytes: reading it needs what reading sys_attachment needs. */
  async file(caller: Caller, sysId: string): Promise<AttachmentRow & { content: Uint8Array }> {
    this.records.table(caller, 'sys_attachment', 'read');
    const file = await findAttachment(this.core.db, caller.partyId, sysId);
    if (!file) throw new NotFound('Attachment');
    return file;
  }
}

/** Attaches a file; `db` is a transaction when the attachment is part of a larger change that must be whole. */
async function attach(core: Core, caller: Caller, input: NewAttachment, db: Queryable): Promise<AttachmentRow> {
  const tableName = typeof input.tableName === 'string' ? input.tableName : '';
  // table_name comes from the request: only TARGETS' own entries count, never Object.prototype's `constructor`.
  const target = Object.hasOwn(TARGETS, tableName) ? TARGETS[tableName] : undefined;
  if (!target) throw new InvalidInput(`table_name must be one of ${Object.keys(TARGETS).join(', ')}`, '', 'table_name');
  core.roles.require(caller.roles, target.component);
  const fileName = typeof input.fileName === 'string' ? input.fileName : '';
  if (!FILE_NAME.test(fileName) || fileName.includes('..')) {
    throw new InvalidInput(
      'file_name must be a plain file name',
      'Letters, digits, spaces, dots, dashes, underscores and brackets; no folders.',
      'file_name',
    );
  }
  const sysId = typeof input.tableSysId === 'string' && SYS_ID.test(input.tableSysId) ? input.tableSysId : undefined;
  const record = sysId && (await target.find(db, caller.partyId, sysId));
  if (!record) throw new NotFound('Record');
  const contentType = input.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  assertContent(core, contentType, input.content);
  const row: AttachmentRow = {
    sys_id: newSysId(),
    party_id: caller.partyId,
    table_name: tableName,
    table_sys_id: record.sys_id,
    file_name: fileName,
    content_type: contentType,
    size_bytes: input.content.length,
    hash: createHash('sha256').update(input.content).digest('hex'),
    sys_created_by: caller.username,
    sys_created_on: core.clock.now(),
  };
  await insertAttachment(db, row, input.content);
  return row;
}

function assertContent(core: Core, contentType: string, content: Uint8Array): void {
  const { contentTypes } = core.config.attachments;
  if (!contentTypes.includes(contentType)) {
    throw new InvalidInput(
      `Files of type ${contentType || '(none)'} cannot be attached`,
      `Send Content-Type as one of: ${contentTypes.join(', ')}.`,
      'content_type',
    );
  }
  if (content.length === 0) throw new InvalidInput('The file is empty', '', 'file');
  const signature = SIGNATURES.get(contentType);
  if (signature && !signature.every((byte, i) => content[i] === byte)) {
    throw new InvalidInput(
      `The file is not a ${contentType} file`,
      'Its first bytes do not match the type sent; check the file and its Content-Type.',
      'content_type',
    );
  }
  if (TEXT_TYPES.has(contentType)) {
    let textOk = !content.includes(0);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      textOk = false;
    }
    if (!textOk)
      throw new InvalidInput(`The file is not ${contentType} text`, 'Text files must be UTF-8 without NUL bytes.', 'content_type');
  }
}
