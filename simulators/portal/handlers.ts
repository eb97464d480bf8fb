/**
 * How portal routes are written: `page` renders for a signed-in person; `action` runs a form's use
 * case and either redirects with a status message or shows the form again with the error next to its
 * field (the use cases' DomainErrors name the field). Everything else a use case refuses becomes an
 * error page; a missing or ended session becomes the sign-in page, with where to come back to.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { DomainError, InvalidInput } from '../domain/errors';
import { toDomainError } from '../http/errors';
import { escapeHtml as escape } from '../http/html';
import type { Caller } from '../services/context';
import { portalPage, type FormError, type Viewer } from './layout';
import { readMultipart, type UploadedFile } from './multipart';
import type { PortalSessions } from './session';

export interface PortalContext {
  req: Request;
  res: Response;
  caller: Caller;
  viewer: Viewer;
  /** The one-shot status message left by the last action, if any. */
  status: string | undefined;
  /** The files of an upload form (an action with `uploadLimit`). */
  files: UploadedFile[];
}

/**
 * The message a person sees for a refusal: what went wrong and what to do. Invalid input is told as
 * each field's problem next to that field, with a summary of them all; the API's field paths
 * (for integrators) stay out of it.
 */
export function formErrorOf(error: DomainError): FormError {
  if (error instanceof InvalidInput && error.problems.length) {
    const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`.replace(/\.$/, '');
    const problems = error.problems.map((p) => ({ field: p.field, message: sentence(p.message) }));
    const summary =
      problems.length === 1
        ? `${problems[0]?.message ?? ''}.`
        : `Check ${problems.length} things: ${problems.map((p) => p.message).join('; ')}.`;
    return { message: summary, field: error.field, problems };
  }
  return { message: error.detail ? `${error.message}: ${error.detail}` : error.message, field: error.field };
}

export function portalHandlers(sessions: PortalSessions) {
  /** A page for a signed-in person: the handler returns its title and body. */
  function page(render: (ctx: PortalContext) => Promise<{ title: string; body: string }>): RequestHandler {
    return async (req, res) => {
      const { caller, viewer } = await sessions.caller(req);
      const status = sessions.takeFlash(req, res);
      const { title, body } = await render({ req, res, caller, viewer, status, files: [] });
      res.type('html').send(portalPage(viewer, title, body, status));
    };
  }

  /**
   * A form's POST: `run` does the work and returns where to go next and what to tell the person;
   * on a refusal, `again` renders the form with the person's input and the error. With
   * `uploadLimit`, the form is a file upload (multipart) of files up to that many bytes each.
   */
  function action(
    run: (ctx: PortalContext) => Promise<{ redirect: string; message: string }>,
    again: (ctx: PortalContext, error: FormError) => Promise<{ title: string; body: string }>,
    uploadLimit?: number,
  ): RequestHandler {
    return async (req, res) => {
      let files: UploadedFile[] = [];
      if (uploadLimit !== undefined) ({ fields: req.body, files } = await readMultipart(req, uploadLimit));
      sessions.checkCsrf(req);
      const { caller, viewer } = await sessions.caller(req);
      const ctx = { req, res, caller, viewer, status: undefined, files };
      try {
        const { redirect, message } = await run(ctx);
        sessions.flash(res, message);
        res.redirect(303, redirect);
      } catch (error) {
        const known = toDomainError(error);
        if (!known || !known.expose || known.status === 401) throw error;
        // Someone who may not see the form either (no component to read it, another party's record)
        // gets the action's own refusal: it names what the action needs, not what the form needs.
        const { title, body } = await again(ctx, formErrorOf(known)).catch((againError: unknown) => {
          throw toDomainError(againError)?.expose ? error : againError;
        });
        res
          .status(known.status)
          .type('html')
          .send(portalPage(viewer, title, body));
      }
    };
  }

  return { page, action };
}

const MAX_NEXT = 1000;

/** Errors the handlers did not turn into a form error: a sign-in page, or an error page that says what to do. */
export type Handlers = ReturnType<typeof portalHandlers>;

export function portalErrorHandler(logger: Logger, sessions: PortalSessions): ErrorRequestHandler {
  return async (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const known = toDomainError(error);
    if (known?.status === 401) {
      // Where to come back to, unless it is too long to carry: re-encoded in Location, a long URL outgrows what clients read.
      const next = req.method === 'GET' && req.originalUrl.length <= MAX_NEXT ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      sessions.flash(res, known.detail || 'Sign in to continue.');
      res.redirect(303, `/portal/login${next}`);
      return;
    }
    let viewer: Viewer | undefined;
    try {
      viewer = (await sessions.caller(req)).viewer;
    } catch {
      viewer = undefined;
    }
    if (known?.expose) {
      const title = known.status === 404 ? 'Not found' : known.status === 403 ? 'Not allowed' : 'That did not work';
      res
        .status(known.status)
        .type('html')
        .send(
          portalPage(
            viewer,
            title,
            `<p role="alert">${escape(formErrorOf(known).message)}</p><p><a href="/portal">Go to the home page</a></p>`,
          ),
        );
      return;
    }
    const requestId = String(res.locals.requestId ?? '');
    logger.error({ err: error, requestId, method: req.method, path: req.path }, 'unhandled portal error');
    res
      .status(500)
      .type('html')
      .send(
        portalPage(
          viewer,
          'Something went wrong',
          `<p role="alert">The simulator failed. Quote request id ${escape(requestId)} when you report it.</p>`,
        ),
      );
  };
}
