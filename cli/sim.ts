/** `fsm-harness sim`: starts the simulators and keeps them up until SIGINT, SIGTERM or SIGHUP (or its launcher goes away). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { harnessMessage } from '../clients/messages';
import { openMigrated } from '../simulators/store/migrate';
import { parse, port, UsageError } from './args';
import { endBy, stopRequested } from './lifecycle';

const USAGE = `Usage: fsm-harness sim [options]

  --port N            FSM platform port, DCC Gateway route (default 4010; 0 picks free ports)
  --internet-port N   FSM platform port, internet route (default: --port + 1; free when --port is 0)
  --idp-port N        DCC Identity Provider Service port (default: --port + 2; free when --port is 0)
  --logistics-port N  CH logistics simulator port (default: --port + 3; free when --port is 0)
                      https: the platform on --port + 4 and DCC Identity on --port + 5 (free when --port is 0),
                      with certificates from a local CA kept in DIR/tls/ (trust it: NODE_EXTRA_CA_CERTS=<caPath>)
  --host H            address to listen on (default 127.0.0.1)
  --json              print one JSON line of URLs and the CA's path when ready, e.g. {"fsm":"http://127.0.0.1:4010",...,"caPath":"..."}
  --data-dir DIR      state directory: embedded database and local CA (default .fsm-sim/)
  --memory            keep the embedded database in memory (lost on exit)
  --database-url URL  use PostgreSQL instead (default: the DATABASE_URL environment variable)
  --config FILE       JSON configuration over the defaults (see README, Configuration)
  --no-control        do not serve the /__sim control API
  --log-level LEVEL   fatal, error, warn, info, debug (default info)
  --seed-volume N     load N incidents over 100 volume parties before listening to tests (benchmarks)`;

export async function simCommand(argv: string[]): Promise<number> {
  const args = parse(
    argv,
    {
      port: { type: 'string', default: '4010' },
      'internet-port': { type: 'string' },
      'idp-port': { type: 'string' },
      'logistics-port': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: '.fsm-sim' },
      memory: { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      config: { type: 'string' },
      'no-control': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
      'seed-volume': { type: 'string' },
    },
    USAGE,
  );
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const databaseUrl = args['database-url'] ?? process.env.DATABASE_URL;
  const dataDir = databaseUrl || args.memory ? undefined : join(String(args['data-dir']), 'pgdata');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const fsmPort = port(args.port, '--port');
  const offset = (n: number) => (fsmPort === 0 ? 0 : fsmPort + n);
  const volume = args['seed-volume'] === undefined ? undefined : String(args['seed-volume']);
  if (volume !== undefined && !/^\d{1,7}$/.test(volume))
    throw new UsageError(harnessMessage('--seed-volume must be a whole number up to 9,999,999'));
  // Listening before start-up: a stop asked for while the store opens still ends the process in time.
  const stop = stopRequested();
  // The store opens (PGlite in a thread of its own) while the simulators' modules load (0.4 s): the
  // URL line comes at a median 1.34 s instead of 1.49 (docs/performance.md).
  const opening = openMigrated({ databaseUrl, dataDir });
  opening.catch(() => undefined); // startSimulators owns it: it awaits it, and closes it if start-up fails
  // A turn of the event loop first: the opening starts its thread a few promise steps in, and loading
  // modules is synchronous (the thread would otherwise start only after them).
  await new Promise((resolve) => setImmediate(resolve));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startSimulators } = require('../simulators/start') as typeof import('../simulators/start');
  const sims = await startSimulators({
    opening,
    host: String(args.host),
    fsmPort,
    internetPort: args['internet-port'] === undefined ? offset(1) : port(args['internet-port'], '--internet-port'),
    idpPort: args['idp-port'] === undefined ? offset(2) : port(args['idp-port'], '--idp-port'),
    logisticsPort: args['logistics-port'] === undefined ? offset(3) : port(args['logistics-port'], '--logistics-port'),
    fsmHttpsPort: offset(4),
    idpHttpsPort: offset(5),
    tlsDir: join(String(args['data-dir']), 'tls'),
    configFile: args.config as string | undefined,
    control: !args['no-control'],
    logLevel: args['log-level'] as 'info',
  }).catch((error: unknown) => {
    stop.dispose();
    throw error;
  });
  if (volume !== undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { seedVolume } = require('../simulators/store/volume') as typeof import('../simulators/store/volume');
    const seeded = await seedVolume(sims.core.db, Number(volume)).catch(async (error: unknown) => {
      await sims.stop();
      throw error;
    });
    if (!args.json)
      console.log(`Seeded ${seeded.incidents} incidents over ${seeded.parties} parties in ${(seeded.ms / 1000).toFixed(1)} s.`);
  }
  if (args.json) console.log(JSON.stringify({ ...sims.urls, caPath: sims.caPath }));
  else {
    console.log(`${'FSM platform (Gateway)'.padEnd(31)}${sims.urls.fsm}`);
    console.log(`${'FSM platform (internet)'.padEnd(31)}${sims.urls.fsmInternet}`);
    console.log(`${'CH logistics'.padEnd(31)}${sims.urls.logistics}`);
    console.log(`${'FSM platform (Gateway, https)'.padEnd(31)}${sims.urls.fsmHttps}`);
    for (const [tenant, issuer] of Object.entries(sims.idpIssuers)) console.log(`DCC Identity (${tenant})`.padEnd(31) + issuer);
    for (const [tenant, issuer] of Object.entries(sims.idpHttpsIssuers)) console.log(`DCC Identity (${tenant}, https)`.padEnd(31) + issuer);
    console.log(`${'Local CA (trust for https)'.padEnd(31)}${sims.caPath}  (NODE_EXTRA_CA_CERTS=${sims.caPath})`);
    console.log(`${'Store'.padEnd(31)}${databaseUrl ? 'PostgreSQL' : dataDir ? `PGlite in ${dataDir}` : 'PGlite in memory'}`);
    console.log(`${'Control API'.padEnd(31)}${args['no-control'] ? 'off' : `${sims.urls.fsm}/__sim`}`);
    console.log('Press Ctrl+C to stop.');
  }
  const signal = await stop.signal;
  await sims.stop();
  return endBy(signal);
}
