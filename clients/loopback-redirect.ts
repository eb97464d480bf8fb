/**
 * A native app's loopback redirect (RFC 8252 §7.3): while a sign-in runs, the harness listens at its
 * registered redirect URI's address on a port the system gives it (the authorization server takes
 * any port of a loopback URI, as Entra does, so parallel sign-ins never contend for one) and takes
 * the first request to its path, which carries the authorization response (code and state, or an
 * error). The browser is shown a page saying so.
 */
import { createServer } from 'node:http';
import { EnvironmentError } from './http';
import { harnessMessage } from './messages';

const DONE_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed in</title></head><body><main><h1>Sign-in finished</h1><p>You may close this window.</p></main></body></html>';

export interface LoopbackRedirect {
  /** The registered redirect URI with the port listened on: the one to send in this sign-in. */
  uri: string;
  /** The URL the browser was sent back to, with the authorization response in its query. */
  caught(): URL | undefined;
  close(): Promise<void>;
}

export async function listenForRedirect(redirectUri: string): Promise<LoopbackRedirect> {
  const expected = new URL(redirectUri);
  // The port is the system's, known once listening: the URL the browser comes back to carries it.
  const listening = new URL(redirectUri);
  let caught: URL | undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', listening.origin);
    if (req.method !== 'GET' || url.pathname !== expected.pathname || caught) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not the redirect URI, or sent twice.');
      return;
    }
    caught = url;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(DONE_PAGE);
  });
  const host = expected.hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new EnvironmentError(harnessMessage(`The harness cannot listen on ${host} for its redirect URI ${redirectUri}: ${error.message}`)),
      ),
    );
    server.listen(0, host, resolve);
  });
  listening.port = String((server.address() as { port: number }).port);
  return {
    uri: listening.href,
    caught: () => caught,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The browser keeps its connection open: it must not hold the port for the next sign-in.
        server.closeAllConnections();
      }),
  };
}
