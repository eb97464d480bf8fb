/**
 * The portal as a person sees it, for the page objects: open a page, fill fields by their labels,
 * press buttons by their names, and read what the page says back (its alert or status message).
 * Locators by role and label only; every wait is Playwright's own (web-first), never a sleep.
 * Pages are addressed as ServiceNow's Service Portal addresses them (`/{prefix}?id=page&...`), and
 * every label, button, link, caption and column name passes through `labels`: a real portal that
 * words them differently is described by a mapping of our label to theirs (the target file's
 * `portal.labels`), not by other page objects.
 */
import type { Locator, Page, Response } from 'playwright-core';
import { ProductError } from '../../../clients/http';
import type { Outcome, Refusal } from '../outcome';

/** What a page said after a navigation: its HTTP status and, for a refusal, its message. */
export interface PageResult {
  status: number;
  url: string;
  message: string;
}

export interface PortalOptions {
  /** The Service Portal's URL suffix: `sp` for ServiceNow's own, `fsm` for the simulator's default. */
  prefix?: string;
  /** Our label to the real portal's, for the labels it words differently. */
  labels?: ReadonlyMap<string, string>;
}

export class Portal {
  readonly prefix: string;
  private readonly labels: ReadonlyMap<string, string>;
  private readonly ours: ReadonlyMap<string, string>;

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
    options: PortalOptions = {},
  ) {
    this.prefix = options.prefix ?? 'fsm';
    this.labels = options.labels ?? new Map();
    this.ours = new Map([...this.labels].map(([ours, theirs]) => [theirs, ours]));
  }

  /** A label as this portal words it. */
  label(ours: string): string {
    return this.labels.get(ours) ?? ours;
  }

  private named(name: string | RegExp): string | RegExp {
    return typeof name === 'string' ? this.label(name) : name;
  }

  /** A Service Portal page's address: `/{prefix}?id=ticket&table=incident&sys_id=...`. */
  sp(id: string, params: Record<string, string> = {}): string {
    return `/${this.prefix}?${new URLSearchParams({ id, ...params }).toString()}`;
  }

  /** Whether `url` is a Service Portal page (`id`, default the home page `index`) of this portal. */
  isPage(url: URL, id = 'index'): boolean {
    return (
      url.origin === new URL(this.baseUrl).origin && url.pathname === `/${this.prefix}` && (url.searchParams.get('id') ?? 'index') === id
    );
  }

  /** Signed in: the browser has left the sign-in pages for the portal's own pages. */
  leftSignIn(url: URL): boolean {
    if (url.origin !== new URL(this.baseUrl).origin) return false;
    if (url.pathname === `/${this.prefix}`) return true;
    return (
      url.pathname.startsWith('/portal') && !url.pathname.startsWith('/portal/login') && !url.pathname.startsWith('/portal/profile/mfa')
    );
  }

  async open(path: string): Promise<PageResult> {
    const response = await this.page.goto(`${this.baseUrl}${path}`);
    return this.resultOf(response);
  }

  /** Presses a button (in `scope`, else the page) and waits for the page it leads to. */
  async press(name: string | RegExp, scope: Locator | Page = this.page): Promise<PageResult> {
    const landed = this.landing();
    await scope.getByRole('button', { name: this.named(name), exact: typeof name === 'string' }).click();
    return this.resultOf(await landed);
  }

  /** The response of the next document the page lands on, redirects followed. */
  private async landing(): Promise<Response> {
    const response = await this.page.waitForResponse(
      (r) => r.request().isNavigationRequest() && r.request().frame() === this.page.mainFrame() && !isRedirect(r),
    );
    await this.page.waitForLoadState('domcontentloaded');
    return response;
  }

  /** Follows a link by its name and waits for the page it leads to (through any redirects). */
  async follow(name: string | RegExp): Promise<PageResult> {
    const landed = this.landing();
    await this.page.getByRole('link', { name: this.named(name), exact: typeof name === 'string' }).click();
    return this.resultOf(await landed);
  }

  async fill(values: Record<string, string>, scope: Locator | Page = this.page): Promise<void> {
    for (const [label, value] of Object.entries(values)) await scope.getByLabel(this.label(label), { exact: true }).fill(value);
  }

  async choose(label: string, option: string | string[]): Promise<void> {
    await this.page.getByLabel(this.label(label), { exact: true }).selectOption(option);
  }

  async check(label: string): Promise<void> {
    await this.page.getByLabel(this.label(label), { exact: true }).check();
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  /** The text of a definition on a details page (`<dt>label</dt><dd>value</dd>`). */
  async definition(label: string): Promise<string> {
    const term = this.page.getByRole('term').filter({ hasText: new RegExp(`^${escapeRegExp(this.label(label))}$`) });
    return (await term.locator('xpath=following-sibling::dd[1]').innerText()).trim();
  }

  /**
   * The rows of the table with this caption, each as cell texts keyed by column header. None only
   * when the page says so ("<caption>: <nothing yet>", as the portal writes an empty table); a page
   * that shows neither (an error, a sign-in page, the wrong page) is an error, never an empty table.
   */
  async tableRows(ourCaption: string | RegExp): Promise<Record<string, string>[]> {
    const caption = this.named(ourCaption);
    const table = this.page.getByRole('table', { name: caption });
    if ((await table.count()) === 0) {
      const saysEmpty =
        caption instanceof RegExp ? new RegExp(`(?:${caption.source}).*: `, caption.flags) : new RegExp(`^${escapeRegExp(caption)}: `);
      if ((await this.page.getByRole('main').getByText(saysEmpty).count()) > 0) return [];
      throw await this.notOnPage(`table "${caption}", nor a line saying it is empty`);
    }
    const headers = (await table.getByRole('columnheader').allInnerTexts()).map((h) => this.ours.get(h.trim()) ?? h.trim());
    const rows = await table.locator('tbody').getByRole('row').all();
    const out: Record<string, string>[] = [];
    for (const row of rows) {
      const cells = (await row.getByRole('cell').allInnerTexts()).map((c) => c.trim());
      out.push(Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? ''])));
    }
    return out;
  }

  /** A refusal as an Outcome, or the value the caller reads off the page on success. */
  async outcome<T>(result: PageResult, read: () => Promise<T>): Promise<Outcome<T>> {
    return result.status >= 400 ? refused(result) : { ok: true, value: await read() };
  }

  /** The page lacks what the page object reads: a product failure that says where the browser is and what the page shows. */
  async notOnPage(what: string): Promise<ProductError> {
    const heading = this.heading();
    const title = (await heading.count()) > 0 ? (await heading.first().innerText()).trim() : await this.page.title();
    const alert = this.page.getByRole('alert').first();
    const said = (await alert.count()) > 0 ? `; it says "${(await alert.innerText()).trim()}"` : '';
    return new ProductError(`The page at ${this.page.url()} ("${title}") shows no ${what}${said}`);
  }

  /** For pages that must open: a refusal is a product failure, with what the page said. */
  expectOk(result: PageResult, what: string): void {
    if (result.status >= 400) {
      throw new ProductError(`${what} failed: HTTP ${result.status} at ${result.url}: ${result.message}`, {
        status: result.status,
        headers: new Headers(),
        body: result.message,
      });
    }
  }

  private async resultOf(response: Response | null): Promise<PageResult> {
    const status = response?.status() ?? 0;
    const url = this.page.url();
    if (status < 400) return { status, url, message: '' };
    const alert = this.page.getByRole('alert').first();
    const message = (await alert.count()) > 0 ? (await alert.innerText()).trim() : `HTTP ${status}`;
    return { status, url, message };
  }
}

/** What the page said when the platform refused, as an Outcome. */
export function refused(result: PageResult): Refusal {
  return { ok: false, status: result.status, message: result.message };
}

function isRedirect(response: Response): boolean {
  return response.status() >= 300 && response.status() < 400;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
