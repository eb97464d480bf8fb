/** Builds the Core every use case needs; start.ts and the tests both use it, so they wire it the same way. */
import type { Logger } from 'pino';
import type { SimConfig } from '../config';
import type { Clock } from '../domain/clock';
import type { RoleCatalogue } from '../domain/roles';
import type { Db } from '../store/db';
import { recordSecurityEvent } from '../store/mfa';
import type { Core } from './context';
import { readFileSync } from 'node:fs';
import { WorkingCalendar } from '../domain/working-days';
import { HttpCarrier } from './carrier';
import { HttpEmailGateway, type EmailGateway } from './mail';
import { harnessMessage } from '../../clients/messages';

function loadBankHolidays(path: string): string[] {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { dates: string[] }).dates;
  } catch (error) {
    throw new Error(harnessMessage(`Cannot read the bank holidays ${path}: ${(error as Error).message}`));
  }
}

export interface CoreParts {
  db: Db;
  clock: Clock;
  config: SimConfig;
  roles: RoleCatalogue;
  logger: Logger;
  /** The simulator's own mailbox URL, used when no gateway is configured; known once it listens. */
  ownMailbox: () => string;
  /** The logistics simulator's URL; known once it listens. */
  carrierUrl: () => string;
  mail?: EmailGateway;
}

export function buildCore({ db, clock, config, roles, logger, ownMailbox, carrierUrl, mail }: CoreParts): Core {
  const gatewayUrl = config.email.gatewayUrl;
  const pending = new Set<Promise<void>>();
  return {
    db,
    clock,
    config,
    roles,
    mail: mail ?? new HttpEmailGateway(() => gatewayUrl ?? ownMailbox(), config.email.from, config.email.timeoutMs),
    carrier: new HttpCarrier(carrierUrl),
    calendar: new WorkingCalendar(loadBankHolidays(config.bankHolidaysPath)),
    async audit({ accountId, kind, detail = '' }) {
      logger.warn({ accountId, kind, detail }, `security event: ${kind}`);
      await recordSecurityEvent(db, accountId, kind, detail, clock.now());
    },
    later(what, task) {
      // Started on the next turn of the event loop: nothing of it runs before the answer is sent.
      const run: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(task)
        .catch((error: unknown) => logger.error({ err: error }, `${what} failed after the answer was sent`))
        .finally(() => pending.delete(run));
      pending.add(run);
    },
    async settled() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
