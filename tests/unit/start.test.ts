/** Starting the simulators: the database opens while the listeners are set up, and a failure to open leaves nothing behind. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSimulators } from '../../simulators/start';
import type { Db } from '../../simulators/store/db';

test('a database that cannot be reached: start-up fails saying so, with no listener left and no unhandled rejection', async () => {
  const listeners = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length;
  const before = listeners();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    await assert.rejects(
      startSimulators({ databaseUrl: 'postgres://fsm:fsm@127.0.0.1:1/none', logLevel: 'silent' }),
      /The database cannot be reached just now/,
    );
    // A closed server's handle is released in the close phase of the event loop's turn: two turns on, it has been.
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled, []);
    assert.equal(listeners(), before);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('a store handed in already opening is closed when start-up fails before listening (a configuration that does not parse)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fsm-start-'));
  const configFile = join(dir, 'broken.json');
  writeFileSync(configFile, '{ "session": ');
  let closed = 0;
  const store: Db = {
    kind: 'pglite',
    query: async () => [],
    transaction: async (work) => work(store),
    exec: async () => undefined,
    close: async () => void (closed += 1),
  };
  try {
    await assert.rejects(startSimulators({ opening: Promise.resolve(store), configFile, logLevel: 'silent' }), /broken\.json/);
    assert.equal(closed, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
