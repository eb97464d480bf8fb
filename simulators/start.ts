/**
 * The composition root: builds the store, the one clock and the configuration, creates each
 * simulator's app and listens on loopback. Used by the CLI, the cucumber hooks and the tests.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { loadSimConfig, type SimConfig } from './config';
import { SimClock } from './domain/clock';
import { RoleCatalogue } from './domain/roles';
import { createFsmApp } from './fsm/app';
import type { Journal } from './http/journal';
import type { Core } from './services/context';
import { openDb, type DbOptions } from './store/db';
import { migrate } from './store/migrate';

export interface StartOptions extends DbOptions {
  host?: string;
  fsmPort?: number;
  control?: boolean;
  config?: SimConfig;
  configFile?: string;
  logLevel?: pino.LevelWithSilent;
}

export interface Simulators {
  urls: { fsm: string };
  core: Core;
  clock: SimClock;
  logger: Logger;
  stop(): Promise<void>;
}

export function loadRoleCatalogue(path: string): RoleCatalogue {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`[fsm-harness] Cannot read the role catalogue ${path}: ${(error as Error).message}`);
  }
  return RoleCatalogue.from(raw, path);
}

export async function startSimulators(options: StartOptions = {}): Promise<Simulators> {
  const config = options.config ?? loadSimConfig(options.configFile);
  const logger = pino({ level: options.logLevel ?? 'warn', redact: ['req.headers.authorization', '*.password', '*.code'] });
  const roles = loadRoleCatalogue(config.roleCataloguePath);
  const db = await openDb(options);
  await migrate(db);
  const clock = new SimClock();
  const core: Core = { db, clock, config, roles };
  const journals: Journal[] = [];
  const host = options.host ?? '127.0.0.1';
  const fsm = createFsmApp({ core, clock, logger, control: options.control ?? true, journals });
  const fsmServer = await listen(fsm.app, host, options.fsmPort ?? 0);
  return {
    urls: { fsm: urlOf(fsmServer, host) },
    core,
    clock,
    logger,
    async stop() {
      await close(fsmServer);
      await db.close();
    },
  };
}

function listen(app: import('express').Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`[fsm-harness] Port ${port} on ${host} is in use. Choose another, or 0 for a free one.`) : error),
    );
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function urlOf(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
