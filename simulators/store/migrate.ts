/**
 * Versioned migrations: numbered SQL files applied once each, in order, inside one transaction per
 * file, under an advisory lock so that simulators starting together do not race.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, type Db, type DbOptions } from './db';

const SIMULATOR_MIGRATIONS = join(__dirname, 'migrations');
const LOCK_KEY = 7_361_004;

export function migrationFiles(dir = SIMULATOR_MIGRATIONS): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
}

/** Applies the migrations of `dir` (the simulators' by default; the results store has its own). */
export async function migrate(db: Db, dir = SIMULATOR_MIGRATIONS): Promise<string[]> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migration (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  // A store already current (the usual case) costs one query, not a locked transaction per file.
  const seen = new Set((await db.query<{ version: string }>('SELECT version FROM schema_migration')).map((r) => r.version));
  const applied: string[] = [];
  for (const file of migrationFiles(dir).filter((f) => !seen.has(f))) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const seen = await tx.query('SELECT 1 FROM schema_migration WHERE version = $1', [file]);
      if (seen.length) return false;
      for (const statement of splitStatements(readFileSync(join(dir, file), 'utf8'))) await tx.query(statement);
      await tx.query('INSERT INTO schema_migration (version) VALUES ($1)', [file]);
      return true;
    });
    if (done) applied.push(file);
  }
  return applied;
}

/**
 * Opens the database and brings it up to date. A new PGlite database starts from a snapshot of one
 * already migrated, named by the migrations' contents so that any change to them makes a new one.
 */
export async function openMigrated(options: DbOptions, dir = SIMULATOR_MIGRATIONS): Promise<Db> {
  const hash = createHash('sha256');
  for (const file of migrationFiles(dir))
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(dir, file)))
      .update('\0');
  const template = { name: `migrated-${hash.digest('hex').slice(0, 16)}`, prepare: async (db: Db) => void (await migrate(db, dir)) };
  const db = await openDb({ ...options, template });
  try {
    await migrate(db, dir);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** Our migrations keep one statement per `;`-terminated block and no semicolons inside literals. */
function splitStatements(sql: string): string[] {
  return sql
    .replace(/--.*$/gm, '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}
