/**
 * A minimal user agent for server-rendered sign-in pages, for API mode and tests: it keeps cookies,
 * follows redirects, and fills and submits forms by their field names, as a person with a browser
 * would. It stops at a redirect to `stopAt` (a client's redirect URI) and hands that URL back.
 */
import { harnessMessage } from './messages';

export interface FormPage {
  url: string;
  status: number;
  html: string;
}

interface Form {
  action: string;
  fields: Map<string, string>;
  names: Set<string>;
}

const MAX_REDIRECTS = 10;

export class FormAgent {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly stopAt: string) {}

  /** Opens a URL; returns the page it lands on, or the redirect URL to `stopAt` as a page with no HTML. */
  async open(url: string): Promise<FormPage> {
    return this.follow(url, { method: 'GET' });
  }

  /**
   * Submits the form on the page that has all the given fields (or, with `action`, the button of
   * that name, such as "resend"), keeping its hidden fields.
   */
  async submit(page: FormPage, fields: Record<string, string>): Promise<FormPage> {
    const forms = parseForms(page.html);
    const form = forms.find((f) => Object.keys(fields).every((name) => f.names.has(name)));
    if (!form) throw new Error(harnessMessage(`No form on ${page.url} has the fields ${Object.keys(fields).join(', ')}`));
    const body = new URLSearchParams([...new Map([...form.fields, ...Object.entries(fields)])]);
    return this.follow(new URL(form.action, page.url).href, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  private async follow(url: string, init: RequestInit): Promise<FormPage> {
    let next = url;
    let request = init;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (next.startsWith(this.stopAt)) return { url: next, status: 302, html: '' };
      const response = await fetch(next, { ...request, redirect: 'manual', headers: { ...request.headers, cookie: this.cookieHeader() } });
      this.keepCookies(response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        next = new URL(location, next).href;
        request = { method: 'GET' };
        continue;
      }
      return { url: next, status: response.status, html: await response.text() };
    }
    throw new Error(harnessMessage(`More than ${MAX_REDIRECTS} redirects from ${url}`));
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keepCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');

function parseForms(html: string): Form[] {
  return [...html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)].map(([, action = '', inner = '']) => {
    const fields = new Map<string, string>();
    const names = new Set<string>();
    for (const [tag] of inner.matchAll(/<(?:input|select|textarea)\b[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(tag)?.[1];
      if (!name) continue;
      names.add(decode(name));
      const type = /type="([^"]*)"/.exec(tag)?.[1] ?? 'text';
      const value = decode(/value="([^"]*)"/.exec(tag)?.[1] ?? '');
      if (type === 'hidden' || (type === 'radio' && /\bchecked\b/.test(tag))) fields.set(decode(name), value);
    }
    for (const [, name = ''] of inner.matchAll(/<textarea\b[^>]*name="([^"]*)"/g)) names.add(decode(name));
    return { action: decode(action), fields, names };
  });
}

/** Text of the element with this id, such as the TOTP key shown at enrolment. */
export function textById(html: string, id: string): string | undefined {
  const match = new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html);
  return match?.[1] && decode(match[1]);
}

/** The page's alert, if it shows one. */
export function alertOf(html: string): string | undefined {
  const match = /role="alert"[^>]*>([^<]*)</.exec(html);
  return match?.[1] && decode(match[1]);
}

/** The login step a sign-in page asks for (its data-prompt), and the MFA method it names. */
export function promptOf(html: string): { name: string; method: string } {
  return { name: /data-prompt="([^"]*)"/.exec(html)?.[1] ?? '', method: /data-method="([^"]*)"/.exec(html)?.[1] ?? '' };
}
