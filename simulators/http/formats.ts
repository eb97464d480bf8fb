/**
 * ServiceNow's formats, in one place: the REST APIs that speak XML (the Table, Attachment and Service
 * Catalog APIs) answer JSON (the default) or XML as `Accept` asks, q-values and wildcards included,
 * and 406 to an `Accept` they cannot meet; they read a body in JSON or, by `Content-Type`, in XML.
 * Every answer and error of the simulators goes through `answer`, so no route writes a format itself.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import { DomainError } from '../domain/errors';
import { readXmlRequest } from './xml-read';
import { toXmlDocument } from './xml-write';

export const XML_TYPES = ['application/xml', 'text/xml'];
const ANSWER_TYPES = ['application/json', ...XML_TYPES];

/** The media type this response is written in: JSON unless an XML-speaking API negotiated XML. */
const formatOf = (res: Response): string => (typeof res.locals.format === 'string' ? res.locals.format : 'application/json');

/** Whether this request reached an API that speaks XML (so an XML body is read, not refused). */
export const speaksXml = (res: Response): boolean => res.locals.speaksXml === true;

/** Sends `body` (`{ result }` or `{ error, status }`) as the caller asked: JSON, or `<response>…</response>`. */
export function answer(res: Response, status: number, body: unknown): void {
  const format = formatOf(res);
  if (format === 'application/json') {
    // What res.json writes, without its per-request work (JSON settings looked up, charset parsed, a Buffer
    // made): one string, which Node sends with the head in one write and counts for Content-Length.
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
    return;
  }
  res.status(status).type(`${format};charset=UTF-8`).send(toXmlDocument(body));
}

/** JSON, the default, without negotiating when Accept is absent or names it plainly (most callers). */
const acceptedType = (accept: string | undefined, req: Request): string | false =>
  accept === undefined || accept === '*/*' || accept === 'application/json' ? 'application/json' : req.accepts(ANSWER_TYPES);

/**
 * Marks an API as speaking XML and negotiates its answers' format. `ownFormat` names requests whose
 * answer is not a record (an attachment's bytes): their Accept is theirs to honour, never a 406 here.
 */
export function serviceNowFormats(ownFormat: (req: Request) => boolean = () => false): RequestHandler {
  return (req, res, next) => {
    res.locals.speaksXml = true;
    res.vary('Accept');
    const type = acceptedType(req.headers.accept, req);
    if (type !== false) res.locals.format = type;
    else if (!ownFormat(req))
      return next(
        new DomainError(
          'not_acceptable',
          406,
          'The requested response format is not supported',
          `Accept application/json, application/xml or text/xml (or */*); got "${String(req.get('accept')).slice(0, 60)}".`,
        ),
      );
    next();
  };
}

/** Reads an XML body on the APIs that speak XML (`<request><entry>…</entry></request>`) into the object a JSON body gives. */
export function xmlBodies(limit: number): RequestHandler[] {
  const readXml: RequestHandler = (req, res, next) => {
    if (!speaksXml(res) || !req.is(XML_TYPES) || typeof req.body !== 'string') return next();
    req.body = readXmlRequest(req.body);
    res.locals.xmlBody = true;
    next();
  };
  return [express.text({ type: XML_TYPES, limit, defaultCharset: 'utf-8' }), readXml];
}
