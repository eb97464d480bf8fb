/**
 * The TCR as PDF: the HTML report printed by Chromium (over its DevTools pipe), on A4 with the document's
 * id, version and status and the page number at the foot of every page. Before printing, the page is
 * laid out at the print width and every table and chart is measured: one wider than the page (cut at
 * the right edge on paper) fails the PDF, naming it, rather than printing a report with a column lost.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { launchPipeChromium, type PipeTab } from '../clients/chromium-pipe';
import { escapeHtml as e } from '../simulators/http/html';

const MARGIN_MM = { top: 14, bottom: 16, left: 12, right: 12 };
const A4_MM = { width: 210, height: 297 };
const inches = (mm: number) => mm / 25.4;
/** A4's width less the side margins, in CSS pixels (96 per inch): the width the HTML is printed at. */
export const PRINT_WIDTH_PX = Math.floor(inches(A4_MM.width - MARGIN_MM.left - MARGIN_MM.right) * 96);

/** Run in the page: the captions (or a description) of tables, cells and charts wider than the space they are printed in. */
function overflowing(): string[] {
  const width = document.documentElement.clientWidth;
  const name = (el: Element) => {
    const table = el.closest('table');
    const caption = table?.caption?.textContent ?? el.closest('figure')?.querySelector('figcaption')?.textContent ?? el.tagName;
    return el.tagName === 'TD' || el.tagName === 'TH' ? `a cell of "${caption}": "${(el.textContent ?? '').slice(0, 40)}"` : `"${caption}"`;
  };
  const wide = Array.from(document.querySelectorAll('table, svg')).filter(
    (el) => el.getBoundingClientRect().right > width + 1 || el.scrollWidth > (el.parentElement?.clientWidth ?? width) + 1,
  );
  const cells = Array.from(document.querySelectorAll('td, th')).filter((el) => el.scrollWidth > el.clientWidth + 1);
  return [...wide, ...cells].map(name);
}

/**
 * Chromium started ahead of the PDF it is to print, with its page open at the print width: it starts
 * while the store opens and the report is built, not after.
 */
export interface Printer {
  tab: Promise<PipeTab>;
  close(): Promise<void>;
}

export function startPrinter(): Printer {
  const browser = launchPipeChromium();
  const tab = browser.then(async (chromium) => {
    const opened = await chromium.newTab();
    await opened.send('Page.enable');
    await opened.send('Emulation.setDeviceMetricsOverride', { width: PRINT_WIDTH_PX, height: 1100, deviceScaleFactor: 1, mobile: false });
    await opened.send('Emulation.setEmulatedMedia', { media: 'print' });
    return opened;
  });
  // Its failure is reported when the PDF is printed (a warning, or the issued report refused), not before.
  tab.catch(() => undefined);
  const started = browser.catch(() => undefined);
  return { tab, close: async () => (await started)?.close() };
}

/** Prints the HTML file at `htmlPath` (the report's own tcr.html, written beside it) to `path`. */
export async function renderPdf(htmlPath: string, path: string, footer = '', printer?: Printer): Promise<void> {
  const own = printer ?? startPrinter();
  try {
    await printOn(await own.tab, htmlPath, path, footer);
  } finally {
    if (!printer) await own.close();
  }
}

async function printOn(tab: PipeTab, htmlPath: string, path: string, footer: string): Promise<void> {
  await load(tab, pathToFileURL(htmlPath).href);
  const measured = await tab.send<{ result: { value?: string[] }; exceptionDetails?: { text: string } }>('Runtime.evaluate', {
    expression: `(${overflowing.toString()})()`,
    returnByValue: true,
  });
  const cut = measured.result.value;
  if (!cut) throw new Error(`the report's tables could not be measured: ${measured.exceptionDetails?.text ?? 'no answer'}`);
  if (cut.length) throw new Error(`the PDF would cut ${cut.length} table(s) or chart(s) at the page's edge: ${cut.join('; ')}`);
  const { data } = await tab.send<{ data: string }>('Page.printToPDF', {
    paperWidth: inches(A4_MM.width),
    paperHeight: inches(A4_MM.height),
    marginTop: inches(MARGIN_MM.top),
    marginBottom: inches(MARGIN_MM.bottom),
    marginLeft: inches(MARGIN_MM.left),
    marginRight: inches(MARGIN_MM.right),
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: '<span></span>',
    footerTemplate: `<div style="font:8px system-ui,sans-serif;width:100%;margin:0 ${MARGIN_MM.left}mm;display:flex;justify-content:space-between"><span>${e(footer)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  });
  writeFileSync(path, Buffer.from(data, 'base64'));
}

/** Opens `url` in the tab and waits for its load event. */
async function load(tab: PipeTab, url: string): Promise<void> {
  const loaded = tab.next('Page.loadEventFired');
  loaded.catch(() => undefined); // a failed navigation is reported by its answer, below
  const { errorText } = await tab.send<{ errorText?: string }>('Page.navigate', { url });
  if (errorText) throw new Error(`Chromium could not open the report: ${errorText}`);
  await loaded;
}
