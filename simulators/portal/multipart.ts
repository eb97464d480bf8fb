/**
 * File upload forms (multipart/form-data), read with the platform's own Fetch API (undici) rather
 * than a parser of our own: the body is read up to a limit, then parsed whole. Fields become the
 * request body, so the CSRF check and the handlers read them as they do any form.
 */
import type { Request } from 'express';
import { DomainError, InvalidInput } from '../domain/errors';

export interface UploadedFile {
  field: string;
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** Room for the form's other fields and the multipart framing around the files. */
const FRAMING_BYTES = 64 * 1024;

export async function readMultipart(
  req: Request,
  maxFileBytes: number,
): Promise<{ fields: Record<string, string>; files: UploadedFile[] }> {
  const type = req.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data'))
    throw new InvalidInput('Send this form as multipart/form-data', 'Use the form on the page to upload the file.');
  const limit = maxFileBytes * 2 + FRAMING_BYTES;
  const tooLarge = new DomainError('too_large', 413, 'The file is too large', `The limit is ${maxFileBytes} bytes per file.`, 'file');
  if (Number(req.get('content-length') ?? 0) > limit) throw tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge;
    chunks.push(chunk);
  }
  let form: FormData;
  try {
    form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': type } }).formData();
  } catch {
    throw new InvalidInput('The upload could not be read', 'Choose the file again and resubmit the form.');
  }
  const texts: [string, string][] = [];
  const files: UploadedFile[] = [];
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((value, name) => entries.push([name, value]));
  for (const [name, value] of entries) {
    if (typeof value === 'string') texts.push([name, value]);
    else if (value.size > 0 || value.name) {
      if (value.size > maxFileBytes) throw tooLarge;
      files.push({ field: name, name: value.name, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) });
    }
  }
  // Every name as an own field (an assignment would drop `__proto__`), so an unknown one is refused like any other.
  return { fields: Object.fromEntries(texts), files };
}
