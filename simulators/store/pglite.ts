/**
 * The embedded database: PGlite, started from a snapshot of a migrated cluster where one is kept.
 * Every PGlite runs in a thread of its own (pglite-thread.ts), this process's store and the ones that
 * make snapshots alike: the server's thread never loads it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Db, DbOptions } from './db';
import { pgliteThread } from './pglite-thread';
import { snapshot } from './snapshots';

export async function openPglite(dataDir?: string, template?: DbOptions['template']): Promise<Db> {
  const fresh = !dataDir || !existsSync(join(dataDir, 'PG_VERSION'));
  const start = fresh ? ((template && (await preparedCluster(template))) ?? (await initialisedCluster())) : undefined;
  return pgliteThread({ dataDir, start });
}

/**
 * A cluster being made into a snapshot removes the log segments it no longer needs at a checkpoint
 * instead of keeping them for reuse, so that its snapshot carries one.
 */
const FOR_SNAPSHOT = ['-c', 'wal_recycle=off', '-c', 'min_wal_size=2MB'];

/**
 * The snapshot a new cluster starts from, named for what it is: 1 MB log segments (pglite-worker.ts's
 * INITDB), and one database. An embedded store never runs CREATE DATABASE, the only use of template0
 * and template1: they are dropped, which takes 15 MB of the 41 every start would copy.
 */
const INITIALISED = 'initialised-walseg1-onedb';

/**
 * A new PGlite database starts by running initdb, about 4 s of CPU; loading a snapshot of a cluster
 * just initialised takes about 0.3 s. Any problem with the snapshot falls back to initdb.
 */
function initialisedCluster(): Promise<ArrayBuffer | undefined> {
  return snapshot(INITIALISED, async () => {
    const lite = await pgliteThread({ extraParams: FOR_SNAPSHOT });
    try {
      await lite.exec(`UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')`);
      // One statement each: DROP DATABASE cannot run in the transaction a list of statements makes.
      for (const statement of ['DROP DATABASE template0', 'DROP DATABASE template1', 'CHECKPOINT']) await lite.exec(statement);
      return await lite.dump();
    } finally {
      await lite.close();
    }
  });
}

/**
 * A cluster the template has prepared (migrations take about 1 s at every start otherwise), made in
 * memory from the initialised one. The caller still runs its migrations: they find nothing to do.
 */
function preparedCluster(template: NonNullable<DbOptions['template']>): Promise<ArrayBuffer | undefined> {
  return snapshot(`${template.name}-on-${INITIALISED}`, async () => {
    const lite = await pgliteThread({ start: await initialisedCluster(), extraParams: FOR_SNAPSHOT });
    try {
      await template.prepare(lite);
      await lite.exec('CHECKPOINT');
      return await lite.dump();
    } finally {
      await lite.close();
    }
  });
}
