/**
 * ServiceNow's Attachment API: `POST /api/now/attachment/file?table_name=&table_sys_id=&file_name=`
 * with the file as the body, list and read metadata, download the bytes. Only the caller's party.
 */
import express, { Router } from 'express';
import { NotFound } from '../domain/errors';
import { attach } from '../services/attachments';
import type { Core } from '../services/context';
import { findAttachment } from '../store/journal';
import { getRecord } from '../store/records';
import { SYS_ATTACHMENT } from '../store/tables';
import { callerOf } from './authenticate';
import { baseUrl, formatRecord } from './format';
import { ACCESS, sendList } from './table-api';
import { readRecordParams } from './table-params';

/** Reading attachments needs what reading the sys_attachment table needs: one rule for both APIs. */
const READ = ACCESS.sys_attachment.read;

export function attachmentApi(core: Core): Router {
  const router = Router();
  const link = (req: express.Request, row: Record<string, unknown>) => ({ download_link: `${baseUrl(req)}/api/now/attachment/${String(row.sys_id)}/file` });
  const present = (req: express.Request, row: Record<string, unknown>) => ({
    ...formatRecord(SYS_ATTACHMENT, row, { baseUrl: baseUrl(req), excludeReferenceLink: true }),
    ...link(req, row),
  });

  router.post('/file', express.raw({ type: () => true, limit: core.config.attachments.maxBytes }), async (req, res) => {
    const { table_name: tableName, table_sys_id: tableSysId, file_name: fileName } = req.query;
    const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const row = await attach(core, callerOf(res), { tableName, tableSysId, fileName, contentType: req.get('content-type') ?? '', content });
    res.setHeader('Location', `${baseUrl(req)}/api/now/attachment/${row.sys_id}`);
    res.status(201).json({ result: present(req, { ...row }) });
  });

  router.get('/', async (req, res) => {
    core.roles.require(callerOf(res).roles, READ);
    await sendList(core, req, res, SYS_ATTACHMENT, (row) => link(req, row));
  });

  router.get('/:sysId', async (req, res) => {
    core.roles.require(callerOf(res).roles, READ);
    const row = await getRecord(core.db, SYS_ATTACHMENT, callerOf(res).partyId, String(req.params.sysId), readRecordParams(req.query, SYS_ATTACHMENT).fields);
    if (!row) throw new NotFound('Attachment');
    res.json({ result: present(req, row) });
  });

  router.get('/:sysId/file', async (req, res) => {
    core.roles.require(callerOf(res).roles, READ);
    const file = await findAttachment(core.db, callerOf(res).partyId, String(req.params.sysId));
    if (!file) throw new NotFound('Attachment');
    res.setHeader('Content-Type', file.content_type);
    res.setHeader('Content-Disposition', `attachment; filename="${file.file_name}"`);
    res.send(Buffer.from(file.content));
  });

  return router;
}
