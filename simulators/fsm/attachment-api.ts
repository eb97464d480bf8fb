/**
 * ServiceNow's Attachment API: `POST /api/now/attachment/file?table_name=&table_sys_id=&file_name=`
 * with the file as the body, list and read metadata, download the bytes. Only the caller's party.
 */
import express, { Router } from 'express';
import type { SimConfig } from '../config';
import type { AttachmentService } from '../services/attachments';
import { SYS_ATTACHMENT, type RecordService } from '../services/records';
import { answer } from '../http/formats';
import { callerOf } from './authenticate';
import { baseUrl, formatRecord } from './format';
import { sendList } from './table-api';
import { readListParams, readRecordParams } from './table-params';

export function attachmentApi(attachments: AttachmentService, records: RecordService, config: SimConfig): Router {
  const router = Router();
  const link = (req: express.Request, row: Record<string, unknown>) => ({
    download_link: `${baseUrl(req)}/api/now/attachment/${String(row.sys_id)}/file`,
  });
  const present = (req: express.Request, row: Record<string, unknown>) => ({
    ...formatRecord(SYS_ATTACHMENT, row, { baseUrl: baseUrl(req), excludeReferenceLink: true }),
    ...link(req, row),
  });
  const metadata = (res: express.Response) => records.table(callerOf(res), 'sys_attachment', 'read');

  router.post('/file', express.raw({ type: () => true, limit: config.attachments.maxBytes }), async (req, res) => {
    const { table_name: tableName, table_sys_id: tableSysId, file_name: fileName } = req.query;
    const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const row = await attachments.attach(callerOf(res), {
      tableName,
      tableSysId,
      fileName,
      contentType: req.get('content-type') ?? '',
      content,
    });
    res.setHeader('Location', `${baseUrl(req)}/api/now/attachment/${row.sys_id}`);
    answer(res, 201, { result: present(req, { ...row }) });
  });

  router.get('/', async (req, res) => {
    const table = metadata(res);
    await sendList(records, req, res, table, readListParams(req.query, table, config.http.maxPageSize), (row) => link(req, row));
  });

  router.get('/:sysId', async (req, res) => {
    const table = metadata(res);
    const row = await records.read(
      callerOf(res),
      table.name,
      String(req.params.sysId),
      readRecordParams(req.query, table).fields,
      'Attachment',
    );
    answer(res, 200, { result: present(req, row) });
  });

  router.get('/:sysId/file', async (req, res) => {
    const file = await attachments.file(callerOf(res), String(req.params.sysId));
    res.setHeader('Content-Type', file.content_type);
    res.setHeader('Content-Disposition', `attachment; filename="${file.file_name}"`);
    res.send(Buffer.from(file.content));
  });

  return router;
}
