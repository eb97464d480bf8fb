/**
 * The one error handler: DomainErrors become their status with ServiceNow's error shape
 * (`{ error: { message, detail }, status: 'failure' }`); body-parser refusals become 400 or 413 with
 * a message saying what to fix; anything else is a 500 that shows only the request id and is logged.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { DomainError, InvalidInput } from '../domain/errors';
import { answer, speaksXml } from './formats';

interface HttpError extends Error {
  type?: string;
  status?: number;
  limit?: number;
  expose?: boolean;
  /** SQLSTATE, on errors of the database (PGlite or PostgreSQL). */
  code?: unknown;
  severity?: unknown;
}

export function toDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  const e = error as HttpError;
  switch (e?.type) {
    case 'entity.parse.failed':
      return new InvalidInput(
        'The request body is not valid JSON',
        'Check quotes, commas and brackets, and send Content-Type: application/json.',
      );
    case 'entity.too.large':
      return new DomainError('too_large', 413, 'The request body is too large', `The limit is ${e.limit ?? 'configured'} bytes.`);
    case 'parameters.too.many':
      return new DomainError('too_large', 413, 'The form has too many fields', `The limit is ${e.limit ?? 'configured'} fields.`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DomainError('unsupported_media', 415, 'The request body encoding is not supported', 'Send UTF-8 JSON.');
    default:
      return refusedByExpress(e) ?? refusedByDatabase(e);
  }
}

/** Express's own refusals (a path that does not percent-decode, a body that does not decompress) are the caller's to fix. */
function refusedByExpress(e: HttpError): DomainError | undefined {
  if (typeof e?.status !== 'number' || e.status < 400 || e.status >= 500 || !(e.expose || e instanceof URIError)) return undefined;
  if (e instanceof URIError)
    return new InvalidInput(
      'The request URL is not valid percent-encoded UTF-8',
      `${e.message.slice(0, 100)}. Encode each part with encodeURIComponent.`,
    );
  return new DomainError(
    'bad_request',
    e.status,
    'The request body could not be read',
    `${e.message.slice(0, 100)}. Check its Content-Encoding and Content-Type.`,
  );
}

/**
 * A value the database cannot hold (SQLSTATE class 22, "data exception": a NUL character in text, a
 * number or a date out of the column's range) came from the caller: a 400 that says so, never a 500.
 */
function refusedByDatabase(e: HttpError): DomainError | undefined {
  if (typeof e?.code !== 'string' || typeof e.severity !== 'string' || !/^22[0-9A-Z]{3}$/.test(e.code)) return undefined;
  if (e.code === '22021' || e.code === '22P05')
    return new InvalidInput('The request contains text the platform cannot store', 'Remove NUL characters (U+0000) and send it again.');
  return new InvalidInput('A value in the request is out of range or not valid', `${e.message.slice(0, 200)}.`);
}

/** ServiceNow's error shape, in the format the caller asked for (`<response><error>…</error><status>failure</status></response>` in XML). */
export function sendError(res: Response, error: DomainError): void {
  answer(res, error.status, { error: { message: error.message, detail: error.detail }, status: 'failure' });
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const known = toDomainError(error);
    if (known) return sendError(res, known);
    const requestId = String(res.locals.requestId ?? '');
    logger.error({ err: error, requestId, method: req.method, path: req.path }, 'unhandled error');
    sendError(
      res,
      new DomainError(
        'internal',
        500,
        'Internal error',
        `Something failed in the simulator. Quote request id ${requestId} when you report it.`,
      ),
    );
  };
}

const PARSER_REFUSALS = new Map<string, [number, string, string]>([
  [
    'HPE_HEADER_OVERFLOW',
    [431, 'The request line and headers are too large', 'Send a shorter URL and fewer or shorter headers (16 KiB in all).'],
  ],
  ['ERR_HTTP_REQUEST_TIMEOUT', [408, 'The request took too long to arrive', 'Send it again.']],
]);

/**
 * A request Node's HTTP parser refuses before any app sees it (headers too large, not HTTP at all):
 * still an answer in ServiceNow's error shape, rather than a bare status line. Listeners use it as
 * their `clientError` handler.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, message, detail] = PARSER_REFUSALS.get(error.code ?? '') ?? [
    400,
    'The request is not valid HTTP',
    'Check the request line and headers.',
  ];
  const body = JSON.stringify({ error: { message, detail }, status: 'failure' });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(
    res,
    new DomainError(
      'no_route',
      404,
      'Requested URI does not represent any resource',
      `${req.method} ${req.path} is not an endpoint of this simulator.`,
    ),
  );
};

/** Refuses bodies that are not JSON objects (or, where the API speaks XML, an XML record) before any handler sees them. */
export const requireJsonObject: RequestHandler = (req, res, next) => {
  if (!['POST', 'PUT', 'PATCH'].includes(req.method)) return next();
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody) {
    req.body = {};
    return next();
  }
  if (res.locals.xmlBody === true) return next();
  if (!req.is('application/json')) {
    return next(
      speaksXml(res)
        ? new DomainError(
            'unsupported_media',
            415,
            'Send the body as JSON or XML',
            'Set Content-Type: application/json or application/xml.',
          )
        : new DomainError('unsupported_media', 415, 'Send the body as JSON', 'Set Content-Type: application/json.'),
    );
  }
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return next(new InvalidInput('The request body must be a JSON object', 'For example {"short_description": "..."}.'));
  }
  next();
};
