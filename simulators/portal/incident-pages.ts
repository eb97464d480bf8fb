/**
 * Incidents (SM-01, SM-02, SM-03, UEPT-FSM-02, UEPT-FSM-03): list and filter, raise, view, comment, attach, confirm or reject a resolution.
 * The pages are the Service Portal's (`?id=list&table=incident`, `?id=form&table=incident&sys_id=-1|...`,
 * `?id=ticket&table=incident&sys_id=...`); the forms post to /portal/incidents, whose old page addresses redirect.
 * Every change goes through the IncidentService the Table API calls, every file through the
 * Attachment API's attach(), and every read through the Table API's table definitions (party
 * scoping, no work notes), so a refusal here is the API's refusal, with its status and message.
 */
import { Router, type Request } from 'express';
import { InvalidInput } from '../domain/errors';
import { IncidentState } from '../domain/incident';
import type { SimConfig } from '../config';
import type { PortalContext } from './handlers';
import { editBody, listBody, raiseBody, titleOf } from './incident-views';
import { spPaths } from './sp-paths';
import { queryText, type SpPage } from './sp-router';
import { ticketBody, type Failed } from './ticket-view';
import type { FormError } from './layout';
import type { Services as PortalServices } from '../services';
import type { Caller } from '../services/context';
import type { Handlers } from './handlers';

const PAGE_SIZE = 100;
const EDITABLE = ['short_description', 'description', 'impact', 'urgency'] as const;
const RAISED = [...EDITABLE, 'category', 'affected_service'] as const;

/** Only the named form fields, as strings: the rest of the form (the CSRF token) is not the service's business. */
function pick(req: Request, names: readonly string[]): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(names.filter((n) => typeof body[n] === 'string').map((n) => [n, String(body[n])]));
}

export function incidentPages(
  config: SimConfig,
  { action }: Handlers,
  { incidents, records, attachments }: PortalServices,
): { router: Router; pages: Map<string, SpPage> } {
  const router = Router();
  // A form's record is in its path (/portal/incidents/:sysId/...), a page's in its query (?sys_id=).
  const sysIdOf = (req: Request) => (req.params.sysId === undefined ? queryText(req, 'sys_id', 64) : String(req.params.sysId));
  const paths = spPaths(config.portal.prefix);
  const ticket = (sysId: string) => paths.ticket('incident', sysId);
  /** One of the caller's party's incidents, as the Table API reads it. */
  const readIncident = (caller: Caller, sysId: string) => records.read(caller, 'incident', sysId);

  async function incidentPage({ req, caller, viewer }: PortalContext, failed?: Failed) {
    const row = await readIncident(caller, sysIdOf(req));
    const of = (q: string) => ({ query: q, limit: config.http.maxPageSize, offset: 0 });
    const comments = await records.list(caller, 'sys_journal_field', of(`element_id=${sysIdOf(req)}^ORDERBYsys_created_on`));
    const files = await records.list(caller, 'sys_attachment', of(`table_sys_id=${sysIdOf(req)}^ORDERBYsys_created_on`));
    return { title: titleOf(row), body: ticketBody(viewer, row, comments.rows, files.rows, failed) };
  }

  async function listPage({ req, caller, viewer }: PortalContext, error?: FormError) {
    const activeOnly = req.query.active === 'true';
    const maxPriority = typeof req.query.max_priority === 'string' ? req.query.max_priority : '';
    if (maxPriority && !/^[1-5]$/.test(maxPriority)) throw new InvalidInput('Choose a priority from 1 to 5', '', 'max_priority');
    const offset = /^\d{1,6}$/.test(String(req.query.offset ?? '')) ? Number(req.query.offset) : 0;
    const terms = [activeOnly ? 'active=true' : '', maxPriority ? `priority<=${maxPriority}` : '', 'ORDERBYDESCnumber'];
    const found = await records.list(caller, 'incident', { query: terms.filter(Boolean).join('^'), limit: PAGE_SIZE, offset });
    const more =
      offset + PAGE_SIZE < found.total
        ? viewer.sp.page('list', {
            table: 'incident',
            ...(activeOnly ? { active: 'true' } : {}),
            max_priority: maxPriority,
            offset: String(offset + PAGE_SIZE),
          })
        : undefined;
    return { title: 'Incidents', body: listBody(viewer.sp, { activeOnly, maxPriority }, found.rows, found.total, more, error) };
  }

  /** A change through the service, then back to the incident with what happened. */
  const change =
    (fields: (req: Request) => Record<string, unknown>, done: string) =>
    async ({ req, caller }: PortalContext) => {
      const row = await incidents.update(caller, sysIdOf(req), fields(req));
      return { redirect: ticket(row.sys_id), message: `${row.number}: ${done}` };
    };
  const onPage = (form: Failed['form']) => (ctx: PortalContext, error: FormError) => incidentPage(ctx, { form, error });

  const raisePage: SpPage = async ({ caller, viewer }) => {
    incidents.assertMayChange(caller);
    return { title: 'Raise an incident', body: raiseBody(viewer, {}) };
  };
  const sp = (id: string, params: Record<string, string> = {}) => paths.page(id, { table: 'incident', ...params });
  // The old addresses of the pages, kept working.
  router.get('/', (req, res) => {
    const kept = ['active', 'max_priority', 'offset'].flatMap((n) => (queryText(req, n) ? [[n, queryText(req, n)]] : []));
    res.redirect(301, sp('list', Object.fromEntries(kept)));
  });
  router.get('/new', (_req, res) => res.redirect(301, sp('form', { sys_id: '-1' })));
  router.post(
    '/',
    action(
      async ({ req, caller }) => {
        const row = await incidents.raise(caller, pick(req, RAISED));
        return { redirect: ticket(row.sys_id), message: `${row.number} has been raised.` };
      },
      async ({ req, viewer }, error) => ({ title: 'Raise an incident', body: raiseBody(viewer, pick(req, RAISED), error) }),
    ),
  );

  router.get('/:sysId', (req, res) => res.redirect(301, ticket(String(req.params.sysId))));
  router.post(
    '/:sysId/comments',
    action(
      change((req) => pick(req, ['comments']), 'your comment has been added.'),
      onPage('comments'),
    ),
  );
  router.post(
    '/:sysId/cancel',
    action(
      change(() => ({ state: IncidentState.Canceled }), 'canceled.'),
      onPage('actions'),
    ),
  );
  router.post(
    '/:sysId/confirm',
    action(
      change(() => ({ state: IncidentState.Closed }), 'resolution confirmed; the incident is closed.'),
      onPage('actions'),
    ),
  );
  router.post(
    '/:sysId/attachments',
    action(
      async ({ req, caller, files }) => {
        const file = files.find((f) => f.field === 'file');
        if (!file) throw new InvalidInput('Choose a file to attach', '', 'file');
        const row = await attachments.attach(caller, {
          tableName: 'incident',
          tableSysId: sysIdOf(req),
          fileName: file.name,
          contentType: file.type,
          content: file.bytes,
        });
        return { redirect: ticket(sysIdOf(req)), message: `${row.file_name} has been attached.` };
      },
      (ctx, error) => incidentPage(ctx, { form: 'file', error: { ...error, field: 'file' } }),
      config.attachments.maxBytes,
    ),
  );

  const editPage = async ({ req, caller, viewer }: PortalContext, error?: FormError) => {
    incidents.assertMayChange(caller);
    const row = await readIncident(caller, sysIdOf(req));
    return { title: `Change ${String(row.number)}`, body: editBody(viewer, row, error ? pick(req, EDITABLE) : {}, error) };
  };
  router.get('/:sysId/edit', (req, res) => res.redirect(301, sp('form', { sys_id: String(req.params.sysId) })));
  router.post(
    '/:sysId/edit',
    action(
      change((req) => pick(req, EDITABLE), 'your changes have been saved.'),
      editPage,
    ),
  );

  router.get('/:sysId/reject', (req, res) => res.redirect(301, `${ticket(String(req.params.sysId))}#reject`));
  router.post(
    '/:sysId/reject',
    action(
      change(
        (req) => ({ state: IncidentState.InProgress, comments: pick(req, ['reject_reason']).reject_reason ?? '' }),
        'resolution rejected; DCC will look again.',
      ),
      // The service names the reason `comments`, as the API does; on this page it is the reason's field.
      (ctx, error) =>
        incidentPage(ctx, { form: 'reject', error: error.field === 'comments' ? { ...error, field: 'reject_reason' } : error }),
    ),
  );

  const formPage: SpPage = (ctx) => (sysIdOf(ctx.req) === '-1' ? raisePage(ctx) : editPage(ctx));
  const pages = new Map<string, SpPage>([
    ['list:incident', (ctx) => listPage(ctx)],
    ['form:incident', formPage],
    ['ticket:incident', (ctx) => incidentPage(ctx)],
  ]);
  return { router, pages };
}
