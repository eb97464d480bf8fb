/** Starts the completion service: its store, its app, a listener; answers its URL and how to stop it. */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { answerClientError } from '../simulators/http/errors';
import type { Db } from '../simulators/store/db';
import { createServiceApp } from './app';
import type { ServiceConfig } from './config';
import { mandatedTests } from './model';
import { openServiceStore, type StoreLocation } from './store';

export interface RunningService {
  url: string;
  db: Db;
  stop(): Promise<void>;
}

export async function startService(options: {
  config: ServiceConfig;
  store: StoreLocation;
  host?: string;
  port?: number;
  logLevel?: pino.LevelWithSilent;
}): Promise<RunningService> {
  const db = await openServiceStore(options.store);
  const logger = pino({ level: options.logLevel ?? 'info' });
  const app = createServiceApp({ db, config: options.config, mandated: mandatedTests(), logger });
  const server = app.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  server.on('clientError', answerClientError);
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    db,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await db.close();
    },
  };
}
