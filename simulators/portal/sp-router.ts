/**
 * The Service Portal's page router, mounted at /{prefix}: one address, `?id=page` picks the page and
 * `table` and `sys_id` the record, as ServiceNow's `/sp?id=ticket&table=incident&sys_id=...`. Each
 * area of the portal registers its pages by id (or `id:table`, where the table decides the page).
 */
import { Router, type Request } from 'express';
import { DomainError } from '../domain/errors';
import type { Handlers, PortalContext } from './handlers';

export type SpPage = (ctx: PortalContext) => Promise<{ title: string; body: string }>;

/** A query parameter as one string: missing, repeated or nested is ''. */
export function queryText(req: Request, name: string, max = 200): string {
  const value = req.query[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
}

const noPage = (what: string) => new DomainError('no_page', 404, 'Page not found', `There is no portal page ${what}. Use the menu.`);

export function spRouter(pages: ReadonlyMap<string, SpPage>, { page }: Handlers): Router {
  const router = Router();
  router.get(
    '/',
    page((ctx) => {
      const id = queryText(ctx.req, 'id') || 'index';
      const table = queryText(ctx.req, 'table');
      const render = (table ? pages.get(`${id}:${table}`) : undefined) ?? pages.get(id);
      if (!render) throw noPage(`"${id}"${table ? ` for the table "${table}"` : ''}`);
      return render(ctx);
    }),
  );
  router.use((req, _res, next) => next(noPage(`at ${req.path}`)));
  return router;
}
