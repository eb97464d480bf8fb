/**
 * A native app's loopback redirect (RFC 8252 §7.3): while a sign-in runs, the harness listens at its
 * redirect URI's address and port and takes the first request to its path, which carries the
 * authorization response (code and state, or an error). The browser is shown a page saying so.
 */
import { createServer } from 'node:http';
import { EnvironmentError } from './http';
import { harnessMessage } from './messages';

const DONE_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed in</title></head><body><main><h1>Sign-in finished</h1><p>You may close this window.</p></main></body></html>';

export interface LoopbackRedirect {
  /** The URL the browser was sent back to, with the authorization response in its query. */
  caught(): URL | undefined;
  close(): Promise<void>;
}

export async function listenForRedirect(redirectUri: string): Promise<LoopbackRedirect> {
  const expected = new URL(redirectUri);
  let caught: URL | undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', expected.origin);
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
        new EnvironmentError(
          harnessMessage(
            error.code === 'EADDRINUSE'
              ? `The redirect URI ${redirectUri} is in use by another program (or another sign-in of this run): the harness listens there during a sign-in. Free the port, or register another loopback redirect URI and name it in the target file.`
              : `The harness cannot listen at its redirect URI ${redirectUri}: ${error.message}`,
          ),
        ),
      ),
    );
    server.listen(Number(expected.port), host, resolve);
  });
  return {
    caught: () => caught,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The browser keeps its connection open: it must not hold the port for the next sign-in.
        server.closeAllConnections();
      }),
  };
}
