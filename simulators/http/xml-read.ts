/**
 * A request body in ServiceNow's XML, `<request><entry><field>value</field>…</entry></request>`, read
 * into the object a JSON body would give. A strict reader of the part of XML 1.0 such a body needs:
 * elements, attributes (ignored), text, CDATA, comments, the five predefined entities and character
 * references. It refuses a DOCTYPE or any other entity (no XXE, no entity expansion), more than
 * MAX_DEPTH levels or MAX_ELEMENTS elements, mixed content and repeated fields, with a 400 saying so.
 */
import { InvalidInput } from '../domain/errors';
import { isXmlChar } from './xml-write';

export const MAX_DEPTH = 8;
export const MAX_ELEMENTS = 2000;

interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const PREDEFINED = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);
/** Names every plain object inherits (`constructor`, `__proto__`, `toString`…): never a field, refused before any object holds them. */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

const refuse = (message: string, detail = 'Send <request><entry><field>value</field>…</entry></request>.') =>
  new InvalidInput(`The request body is not XML the platform accepts: ${message}`, detail);

/** Text with its references replaced; an entity other than the five XML defines is refused, never looked up. */
function decode(text: string): string {
  for (const c of text)
    if (!isXmlChar(c.codePointAt(0) ?? 0)) throw refuse('it contains characters XML does not allow', 'Remove control characters.');
  return text.replace(/&([^;&<\s]{0,12});|&/g, (whole, ref: string | undefined) => {
    const named = ref === undefined ? undefined : PREDEFINED.get(ref);
    if (named !== undefined) return named;
    const code = /^#x[0-9A-Fa-f]{1,6}$/.test(ref ?? '')
      ? parseInt(String(ref).slice(2), 16)
      : /^#[0-9]{1,7}$/.test(ref ?? '')
        ? Number(String(ref).slice(1))
        : NaN;
    if (isXmlChar(code)) return String.fromCodePoint(code);
    if (ref === undefined) throw refuse('a bare "&"', 'Write & as &amp;.');
    if (ref.startsWith('#')) throw refuse(`"${whole.slice(0, 20)}" is not a character XML allows`, 'Remove control characters.');
    throw refuse(
      `the entity "${whole.slice(0, 20)}" is not defined`,
      'Entities and DTDs are refused; write &amp; &lt; &gt; &quot; &apos; or a character reference.',
    );
  });
}

class Reader {
  private at = 0;
  private elements = 0;
  // Sticky patterns keep their position in lastIndex: one pair per reader, never shared.
  private readonly namePattern = /[A-Za-z_:][A-Za-z0-9_.:-]*/y;
  private readonly spacePattern = /\s*/y;
  constructor(private readonly text: string) {}

  document(): XmlElement {
    this.skipMisc(true);
    if (!this.text.startsWith('<', this.at) || /^<[!?/]/.test(this.text.slice(this.at, this.at + 2)))
      throw refuse('it has no root element');
    const root = this.element(1);
    this.skipMisc(false);
    if (this.at < this.text.length) throw refuse('there is content after the root element');
    return root;
  }

  /** Whitespace, comments and, first of all, the XML declaration; a DOCTYPE or another processing instruction is refused. */
  private skipMisc(prolog: boolean): void {
    let declaration = prolog;
    for (;;) {
      this.space();
      if (declaration && /^<\?xml\s/.test(this.text.slice(this.at, this.at + 6))) this.skipPast('?>');
      else if (this.text.startsWith('<!--', this.at)) this.skipPast('-->');
      else if (/^<!DOCTYPE/i.test(this.text.slice(this.at, this.at + 9)))
        throw refuse('a DOCTYPE is refused', 'Remove the <!DOCTYPE …> declaration: DTDs and entities are not accepted.');
      else if (this.text.startsWith('<?', this.at)) throw refuse('processing instructions are refused', 'Remove the <?…?> instruction.');
      else return;
      declaration = false;
    }
  }

  private element(depth: number): XmlElement {
    if (depth > MAX_DEPTH)
      throw refuse(
        `it is nested more than ${MAX_DEPTH} levels deep`,
        'Send fields as <request><entry><field>value</field></entry></request>.',
      );
    if (++this.elements > MAX_ELEMENTS) throw refuse(`it has more than ${MAX_ELEMENTS} elements`, 'Send one record per request.');
    this.at += 1;
    const name = this.name();
    if (INHERITED.has(name)) throw refuse(`<${name.slice(0, 40)}> is not a field name`, "Use the table's field names.");
    this.attributes();
    if (this.text.startsWith('/>', this.at)) {
      this.at += 2;
      return { name, children: [], text: '' };
    }
    this.expect('>');
    return this.contentOf(name, depth);
  }

  private contentOf(name: string, depth: number): XmlElement {
    const node: XmlElement = { name, children: [], text: '' };
    for (;;) {
      const next = this.text.indexOf('<', this.at);
      if (next < 0) throw refuse(`<${name}> is not closed`);
      node.text += decode(this.text.slice(this.at, next));
      this.at = next;
      if (this.text.startsWith('</', this.at)) break;
      if (this.text.startsWith('<![CDATA[', this.at)) node.text += this.cdata();
      else if (this.text.startsWith('<!--', this.at)) this.skipPast('-->');
      else if (this.text.startsWith('<!', this.at) || this.text.startsWith('<?', this.at))
        throw refuse(
          'declarations and processing instructions are refused',
          'Remove the <!…> or <?…?>: DTDs and entities are not accepted.',
        );
      else node.children.push(this.element(depth + 1));
    }
    this.at += 2;
    if (this.name() !== name) throw refuse(`<${name}> is closed by another element's end tag`);
    this.space();
    this.expect('>');
    return node;
  }

  private attributes(): void {
    for (;;) {
      this.space();
      if (this.text.startsWith('>', this.at) || this.text.startsWith('/>', this.at)) return;
      this.name();
      this.space();
      this.expect('=');
      this.space();
      const quote = this.text.charAt(this.at);
      if (quote !== '"' && quote !== "'") throw refuse('an attribute value is not quoted');
      const end = this.text.indexOf(quote, this.at + 1);
      if (end < 0 || this.text.slice(this.at + 1, end).includes('<')) throw refuse('an attribute value is not closed');
      decode(this.text.slice(this.at + 1, end));
      this.at = end + 1;
    }
  }

  private cdata(): string {
    const end = this.text.indexOf(']]>', this.at);
    if (end < 0) throw refuse('a CDATA section is not closed');
    const text = this.text.slice(this.at + 9, end);
    this.at = end + 3;
    return text;
  }

  private name(): string {
    this.namePattern.lastIndex = this.at;
    const match = this.namePattern.exec(this.text);
    if (!match) throw refuse(`a tag name is missing or not a plain ASCII name near "${this.text.slice(this.at, this.at + 20)}"`);
    this.at = this.namePattern.lastIndex;
    return match[0];
  }

  private space(): void {
    this.spacePattern.lastIndex = this.at;
    this.spacePattern.exec(this.text);
    this.at = this.spacePattern.lastIndex;
  }

  private expect(text: string): void {
    if (!this.text.startsWith(text, this.at)) throw refuse(`"${text}" expected near "${this.text.slice(this.at, this.at + 20)}"`);
    this.at += text.length;
  }

  private skipPast(end: string): void {
    const found = this.text.indexOf(end, this.at);
    if (found < 0) throw refuse(`"${end}" expected`);
    this.at = found + end.length;
  }
}

/** An element with children is an object (built in a Map, each field once); a leaf is its text. */
function valueOf(node: XmlElement): unknown {
  if (node.children.length === 0) return node.text;
  if (node.text.trim() !== '') throw refuse(`<${node.name}> mixes text and elements`);
  const fields = new Map<string, unknown>();
  for (const child of node.children) {
    if (fields.has(child.name)) throw refuse(`<${child.name}> is given more than once`, 'Give each field once.');
    fields.set(child.name, valueOf(child));
  }
  return Object.fromEntries(fields);
}

/** The record of `<request><entry>…</entry></request>`, as an object of its fields. */
export function readXmlRequest(text: string): Record<string, unknown> {
  const root = new Reader(text.replace(/^\uFEFF/, '')).document();
  const [entry, ...more] = root.children;
  if (root.name !== 'request' || !entry || entry.name !== 'entry' || more.length > 0 || root.text.trim() !== '')
    throw refuse(`the root must be <request> holding one <entry>, not <${root.name}>`);
  const record = valueOf(entry);
  if (typeof record !== 'string') return record as Record<string, unknown>;
  if (record.trim() !== '') throw refuse('<entry> holds text rather than fields');
  return {};
}
