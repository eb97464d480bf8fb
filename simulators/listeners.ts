/**
 * The simulators' servers: plain http, and https with the local CA's server certificate. They listen
 * before any app exists (an app needs its own URL); start.ts then hands each its request listener.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { answerClientError } from './http/errors';
import type { LocalTls } from './http/tls';
import { harnessMessage } from '../clients/messages';

export function listen(host: string, port: number, tls?: LocalTls): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }) : createServer();
    server.on('clientError', answerClientError);
    server.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(harnessMessage(`Port ${port} on ${host} is in use. Choose another, or 0 for a free one.`))
          : error,
      ),
    );
  });
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export function urlOf(server: Server, host: string, scheme: 'http' | 'https' = 'http'): string {
  const { port } = server.address() as AddressInfo;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
