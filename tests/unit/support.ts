/**
 * What the unit tests share: the databases to run store tests on (PGlite always; PostgreSQL when
 * TEST_DATABASE_URL is set, each test file in its own schema) and a running simulator on a free port.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SimConfigSchema } from '../../simulators/config';
import { SimClock } from '../../simulators/domain/clock';
import type { Core } from '../../simulators/services/context';
import { loadRoleCatalogue, startSimulators, type Simulators } from '../../simulators/start';
import { openDb, type Db } from '../../simulators/store/db';
import { migrate } from '../../simulators/store/migrate';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** Why this database is skipped, if it is. */
  skip: string | false;
  open(): Promise<Db>;
  dispose(): Promise<void>;
}

const postgresUrl = process.env.TEST_DATABASE_URL;
if (!postgresUrl && process.env.FSM_REQUIRE_POSTGRES === '1') {
  throw new Error('[fsm-harness] FSM_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the store tests must run on PostgreSQL here.');
}

export function testDatabases(): TestDatabase[] {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  return [
    { name: 'pglite', skip: false, open: () => openDb({}), dispose: async () => undefined },
    {
      name: 'postgres',
      skip: postgresUrl ? false : 'set TEST_DATABASE_URL=postgres://... to run the store tests on PostgreSQL too',
      open: () => openDb({ databaseUrl: postgresUrl, schema }),
      async dispose() {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      },
    },
  ];
}

/** A Core over a migrated database, with a cheap password hash so tests stay fast. */
export async function testCore(db: Db): Promise<Core & { clock: SimClock }> {
  await migrate(db);
  const config = SimConfigSchema.parse({ passwords: { assumed: true, scryptCost: 1024 } });
  return { db, clock: new SimClock(), config, roles: loadRoleCatalogue(config.roleCataloguePath) };
}

export function startTestSimulators(options: { control?: boolean } = {}): Promise<Simulators> {
  const config = SimConfigSchema.parse({ passwords: { assumed: true, scryptCost: 1024 }, http: { bodyLimitBytes: 64 * 1024 } });
  return startSimulators({ config, control: options.control ?? true, logLevel: 'silent' });
}
