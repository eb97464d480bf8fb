/**
 * PGlite snapshots (15 MB each, one per set of migrations) do not pile up in the temporary directory:
 * making a new one removes those unused for a week, and nothing else there. A new store starts from
 * one, as small as it was made.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openMigrated } from '../../simulators/store/migrate';
import { removeUnusedSnapshots } from '../../simulators/store/snapshots';

test('removes snapshots unused for a week, keeps recent ones and files that are not snapshots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fsm-snapshots-'));
  const old = new Date(Date.now() - 8 * 86_400_000);
  const files = {
    'pglite-0.5.16-migrated-old.tar': old,
    'pglite-0.5.16-migrated-old.tar.123.partial': old,
    'pglite-0.5.16-migrated-recent.tar': new Date(Date.now() - 6 * 86_400_000),
    'someone-elses.tar': old,
  };
  for (const [name, at] of Object.entries(files)) {
    writeFileSync(join(dir, name), '');
    utimesSync(join(dir, name), at, at);
  }
  removeUnusedSnapshots(dir);
  assert.deepEqual(readdirSync(dir).sort(), ['pglite-0.5.16-migrated-recent.tar', 'someone-elses.tar']);
});

test('a new store starts from the snapshot: one database, and a write-ahead log in 1 MB segments', async () => {
  const db = await openMigrated({});
  try {
    // Had the snapshot failed, PGlite's own initdb would have run: template0 and template1 would be there.
    assert.deepEqual(await db.query('SELECT datname FROM pg_database ORDER BY datname'), [{ datname: 'postgres' }]);
    assert.deepEqual(await db.query('SHOW wal_segment_size'), [{ wal_segment_size: '1MB' }]);
  } finally {
    await db.close();
  }
});
