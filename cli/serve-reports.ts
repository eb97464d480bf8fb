/**
 * `fsm-harness report --open`: serves the last run's Allure report and Test Completion Report over
 * local HTTP until stopped. Allure's single-page report fetches its data, which a browser refuses
 * from file:// ("500 Failed to fetch"), so it must be served. Files only, under the two folders.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { harnessMessage } from '../clients/messages';
import { endBy, stopRequested } from './lifecycle';
import { REPORTS_DIR } from './run-reports';

const TYPES = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.json', 'application/json; charset=utf-8'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.ico', 'image/x-icon'],
  ['.pdf', 'application/pdf'],
  ['.xml', 'application/xml'],
  ['.txt', 'text/plain; charset=utf-8'],
  ['.woff', 'font/woff'],
  ['.woff2', 'font/woff2'],
]);

/** The file under `root` a URL path names (index.html for a folder), or undefined outside it or absent. */
export function fileFor(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  const base = resolve(root);
  const path = resolve(join(base, decoded));
  if (path !== base && !path.startsWith(base + sep)) return undefined;
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'index.html') : path;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

/** A server of `reports/`: /allure-report/ and /tcr/ are the two reports. */
export function reportServer(root = REPORTS_DIR): Server {
  return createServer((req, res) => {
    const file = req.method === 'GET' || req.method === 'HEAD' ? fileFor(root, req.url ?? '/') : undefined;
    if (!file) {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Not found. The reports are at /allure-report/ and /tcr/tcr.html.');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES.get(extname(file)) ?? 'application/octet-stream' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
}

export async function serveReports(port: number, root = REPORTS_DIR): Promise<number> {
  const allure = existsSync(join(root, 'allure-report', 'index.html'));
  const tcr = existsSync(join(root, 'tcr', 'tcr.html'));
  if (!allure && !tcr) throw new Error(harnessMessage(`No report in ${root}/ yet: run a suite first (fsm-harness run).`));
  const stop = stopRequested();
  const server = reportServer(root);
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (allure) console.log(`${'Allure report'.padEnd(24)}${base}/allure-report/`);
  if (tcr) console.log(`${'Test Completion Report'.padEnd(24)}${base}/tcr/tcr.html`);
  console.log('Open these in a browser; press Ctrl+C to stop serving.');
  const signal = await stop.signal;
  await new Promise((done) => server.close(done));
  return endBy(signal);
}
