/**
 * The one error handler: DomainErrors become their status with ServiceNow's error shape
 * (`{ error: { message, detail }, status: 'failure' }`); body-parser refusals become 400 or 413 with
 * a message saying what to fix; anything else is a 500 that shows only the request id and is logged.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { DomainError, InvalidInput } from '../domain/errors';

interface HttpError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

export function toDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  const e = error as HttpError;
  switch (e?.type) {
    case 'entity.parse.failed':
      return new InvalidInput('The request body is not valid JSON', 'Check quotes, commas and brackets, and send Content-Type: application/json.');
    case 'entity.too.large':
      return new DomainError('too_large', 413, 'The request body is too large', `The limit is ${e.limit ?? 'configured'} bytes.`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DomainError('unsupported_media', 415, 'The request body encoding is not supported', 'Send UTF-8 JSON.');
    default:
      return undefined;
  }
}

export function sendError(res: Response, error: DomainError): void {
  res.status(error.status).json({ error: { message: error.message, detail: error.detail }, status: 'failure' });
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const known = toDomainError(error);
    if (known) return sendError(res, known);
    const requestId = String(res.locals.requestId ?? '');
    logger.error({ err: error, requestId, method: req.method, path: req.path }, 'unhandled error');
    sendError(res, new DomainError('internal', 500, 'Internal error', `Something failed in the simulator. Quote request id ${requestId} when you report it.`));
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, new DomainError('no_route', 404, 'Requested URI does not represent any resource', `${req.method} ${req.path} is not an endpoint of this simulator.`));
};

/** Refuses bodies that are not JSON objects before any handler sees them. */
export const requireJsonObject: RequestHandler = (req, _res, next) => {
  if (!['POST', 'PUT', 'PATCH'].includes(req.method)) return next();
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody) {
    req.body = {};
    return next();
  }
  if (!req.is('application/json')) {
    return next(new DomainError('unsupported_media', 415, 'Send the body as JSON', 'Set Content-Type: application/json.'));
  }
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return next(new InvalidInput('The request body must be a JSON object', 'For example {"short_description": "..."}.'));
  }
  next();
};
