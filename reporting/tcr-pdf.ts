/** The TCR as PDF: the HTML report printed by Chromium through Playwright. */
import { launchChromium } from '../clients/browser';

export async function renderPdf(html: string, path: string): Promise<void> {
  const browser = await launchChromium(process.env.FSM_CHROMIUM_PATH, true);
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({ path, format: 'A4', printBackground: true, margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' } });
  } finally {
    await browser.close();
  }
}
