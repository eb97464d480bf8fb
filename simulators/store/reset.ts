/** Empties every table of the current schema and restarts its sequences: the control API's reset. */
import type { Db } from './db';

export async function resetStore(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    const tables = await tx.query<{ name: string }>(
      `SELECT quote_ident(tablename) AS name FROM pg_tables
       WHERE schemaname = current_schema() AND tablename <> 'schema_migration'`,
    );
    if (tables.length) await tx.query(`TRUNCATE ${tables.map((t) => t.name).join(', ')} CASCADE`);
    const sequences = await tx.query<{ name: string }>(
      `SELECT quote_ident(sequencename) AS name FROM pg_sequences WHERE schemaname = current_schema()`,
    );
    for (const s of sequences) await tx.query(`ALTER SEQUENCE ${s.name} RESTART`);
  });
}
