/** What every use case needs: the store, the one clock, the validated configuration and the role catalogue. */
import type { Clock } from '../domain/clock';
import type { RoleCatalogue } from '../domain/roles';
import type { SimConfig } from '../config';
import type { Db } from '../store/db';

export interface Core {
  db: Db;
  clock: Clock;
  config: SimConfig;
  roles: RoleCatalogue;
}

/** The authenticated person a request acts for. */
export interface Caller {
  accountId: string;
  partyId: string;
  username: string;
  roles: string[];
}
