/**
 * The ability to use the portal in Chromium, as a person does: one browser context per ability (one
 * person's session), opened at first use and traced, so that a failed scenario carries the trace and
 * a screenshot. The tasks that use it are each capability's in-portal.ts, on role and label locators.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Portal, type PortalOptions } from '../pages/portal';

export interface PortalAbilityOptions {
  /** The worker's browser, launched at first use. */
  browser: () => Promise<Browser>;
  baseUrl: string;
  /** Sent with every request: X-Forwarded-For stands in for a source address on the internet route. */
  headers?: Record<string, string>;
  /** The Service Portal's prefix and label mapping (a real portal's, from the target file). */
  portal?: PortalOptions;
}

export class BrowseThePortal {
  private opened: Promise<{ context: BrowserContext; portal: Portal }> | undefined;

  constructor(private readonly options: PortalAbilityOptions) {}

  /** The person's portal, in their own browser context. */
  async portal(): Promise<Portal> {
    return (await this.open()).portal;
  }

  /** The page, if the person ever opened one (for screenshots after a failure). */
  async currentPage(): Promise<Page | undefined> {
    return this.opened ? (await this.opened).portal.page : undefined;
  }

  /** Ends the person's browser session; with `tracePath`, keeps the trace there. */
  async close(tracePath?: string): Promise<void> {
    if (!this.opened) return;
    const { context } = await this.opened;
    await context.tracing.stop(tracePath ? { path: tracePath } : {}).catch(() => undefined);
    await context.close();
  }

  private open(): Promise<{ context: BrowserContext; portal: Portal }> {
    this.opened ??= (async () => {
      const context = await (
        await this.options.browser()
      ).newContext({ extraHTTPHeaders: this.options.headers ?? {}, locale: 'en-GB', timezoneId: 'Europe/London' });
      await context.tracing.start({ screenshots: true, snapshots: true });
      const page = await context.newPage();
      return { context, portal: new Portal(page, this.options.baseUrl, this.options.portal) };
    })();
    return this.opened;
  }
}
