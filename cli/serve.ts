/** `fsm-harness serve`: DCC's completion service, until SIGINT, SIGTERM or SIGHUP. */
import { harnessMessage } from '../clients/messages';
import { loadServiceConfig } from '../service/config';
import { DEFAULT_SERVICE_DIR } from '../service/store';
import { startService } from '../service/start';
import { parse, port, UsageError } from './args';
import { endBy, stopRequested } from './lifecycle';

const USAGE = `Usage: fsm-harness serve --config FILE [--port N] [--host H] [--data-dir DIR]

  DCC's completion service: parties submit their sealed, signed evidence packs (fsm-harness submit),
  the service checks each against the keys registered for its party and stores its results; DCC's test
  manager reads the dashboard at its URL (completion per party and mandated test, go/no-go, trend, CSV).

  --config FILE     the registered parties and their public keys, the recognised environments, expected
                    incident volumes and the UIT window (README, Completion service)
  --port N          port to listen on (default 4100; 0 picks a free port)
  --host H          address to listen on (default 127.0.0.1)
  --data-dir DIR    PGlite data directory for a local trial (default ${DEFAULT_SERVICE_DIR}/)
  --log-level LEVEL fatal, error, warn, info (default info)

  With DATABASE_URL set, results are kept in PostgreSQL (schema fsm_service) instead.`;

export async function serveCommand(argv: string[]): Promise<number> {
  const args = parse(
    argv,
    {
      config: { type: 'string' },
      port: { type: 'string', default: '4100' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string', default: DEFAULT_SERVICE_DIR },
      'log-level': { type: 'string', default: 'info' },
    },
    USAGE,
  );
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (!args.config) throw new UsageError(harnessMessage(`Name the service's configuration with --config FILE.\n\n${USAGE}`));
  const config = loadServiceConfig(String(args.config));
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const stop = stopRequested();
  const service = await startService({
    config,
    store: { databaseUrl, dataDir: String(args['data-dir']) },
    host: String(args.host),
    port: port(args.port, '--port'),
    logLevel: args['log-level'] as 'info',
  }).catch((error: unknown) => {
    stop.dispose();
    throw error;
  });
  console.log(`Completion service: ${service.url}`);
  console.log(`Store: ${databaseUrl ? 'PostgreSQL (schema fsm_service)' : `PGlite in ${String(args['data-dir'])}`}`);
  console.log(
    `${config.registry.parties().length} parties registered; ${config.environments.length} recognised environments: ${config.environments.map((e) => e.url).join(', ') || 'none (every run is a rehearsal)'}.`,
  );
  const signal = await stop.signal;
  await service.stop();
  return endBy(signal);
}
