/**
 * The TCR as PDF: the HTML report printed by Chromium through Playwright, on A4 with the document's
 * id, version and status and the page number at the foot of every page. Before printing, the page is
 * laid out at the print width and every table and chart is measured: one wider than the page (cut at
 * the right edge on paper) fails the PDF, naming it, rather than printing a report with a column lost.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../clients/browser';
import { escapeHtml as e } from '../simulators/http/html';

const MARGIN_MM = { top: 14, bottom: 16, left: 12, right: 12 };
/** A4's width less the side margins, in CSS pixels (96 per inch): the width the HTML is printed at. */
export const PRINT_WIDTH_PX = Math.floor(((210 - MARGIN_MM.left - MARGIN_MM.right) / 25.4) * 96);

/** The captions (or a description) of tables, cells and charts wider than the space they are printed in. */
export function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const name = (el: Element) => {
      const table = el.closest('table');
      const caption = table?.caption?.textContent ?? el.closest('figure')?.querySelector('figcaption')?.textContent ?? el.tagName;
      return el.tagName === 'TD' || el.tagName === 'TH'
        ? `a cell of "${caption}": "${(el.textContent ?? '').slice(0, 40)}"`
        : `"${caption}"`;
    };
    const wide = Array.from(document.querySelectorAll('table, svg')).filter(
      (el) => el.getBoundingClientRect().right > width + 1 || el.scrollWidth > (el.parentElement?.clientWidth ?? width) + 1,
    );
    const cells = Array.from(document.querySelectorAll('td, th')).filter((el) => el.scrollWidth > el.clientWidth + 1);
    return [...wide, ...cells].map(name);
  });
}

/** Chromium started ahead of the PDF it is to print, so that it starts while the store opens and the report is built. */
export interface Printer {
  browser: Promise<Browser>;
  close(): Promise<void>;
}

export function startPrinter(): Printer {
  const browser = launchChromium(process.env.FSM_CHROMIUM_PATH, true);
  // Its failure is reported when the PDF is printed (a warning, or the issued report refused), not before.
  const started = browser.catch(() => undefined);
  return { browser, close: async () => (await started)?.close() };
}

export async function renderPdf(html: string, path: string, footer = '', printer?: Printer): Promise<void> {
  const own = printer ?? startPrinter();
  try {
    await printOn(await own.browser, html, path, footer);
  } finally {
    if (!printer) await own.close();
  }
}

async function printOn(browser: Browser, html: string, path: string, footer: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: PRINT_WIDTH_PX, height: 1100 } });
  try {
    await page.emulateMedia({ media: 'print' });
    await page.setContent(html, { waitUntil: 'load' });
    const cut = await overflowing(page);
    if (cut.length) throw new Error(`the PDF would cut ${cut.length} table(s) or chart(s) at the page's edge: ${cut.join('; ')}`);
    await page.pdf({
      path,
      format: 'A4',
      printBackground: true,
      margin: { top: `${MARGIN_MM.top}mm`, bottom: `${MARGIN_MM.bottom}mm`, left: `${MARGIN_MM.left}mm`, right: `${MARGIN_MM.right}mm` },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font:8px system-ui,sans-serif;width:100%;margin:0 ${MARGIN_MM.left}mm;display:flex;justify-content:space-between"><span>${e(footer)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
    });
  } finally {
    await page.close();
  }
}
