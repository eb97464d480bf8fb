/**
 * An answer in ServiceNow's XML: the JSON answer's object under `<response>`, each key an element, an
 * array a run of elements of its key's name (a list is one `<result>` per record), null an empty element.
 */

const HEADER = '<?xml version="1.0" encoding="UTF-8"?>';

/** Whether XML 1.0 can carry this code point at all (not C0 controls but tab, CR, LF; not surrogates, U+FFFE, U+FFFF). */
export const isXmlChar = (code: number) =>
  code === 0x9 ||
  code === 0xa ||
  code === 0xd ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  (code >= 0x10000 && code <= 0x10ffff);

/** A stored value XML cannot carry as it is keeps its place as U+FFFD rather than breaking the document. */
const carried = (text: string) => Array.from(text, (c) => (isXmlChar(c.codePointAt(0) ?? 0) ? c : '\uFFFD')).join('');

const ESCAPES = new Map([
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ["'", '&apos;'],
]);

export function escapeXml(text: string): string {
  return carried(text).replace(/[&<>"']/g, (c) => ESCAPES.get(c) ?? c);
}

/** Keys are field names; anything that is not an XML name (never one of ours) is made one rather than breaking the document. */
function elementName(key: string): string {
  const name = key.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
}

function element(key: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => element(key, item)).join('');
  const name = elementName(key);
  return `<${name}>${content(value)}</${name}>`;
}

function content(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return escapeXml(value.toISOString());
  if (typeof value === 'object')
    return Object.entries(value)
      .map(([key, item]) => element(key, item))
      .join('');
  return escapeXml(String(value));
}

/** The document for an answer body (`{ result }` or `{ error, status }`). */
export function toXmlDocument(body: unknown): string {
  return `${HEADER}<response>${content(body)}</response>`;
}
