/** `fsm-harness migrate`: sends a DSMS export (JSON) to a running simulator's control API (ACC-04). */
import { harnessMessage } from '../clients/messages';
import { readJsonFile } from '../reporting/json-file';
import { SimControlClient } from '../clients/sim-control';
import { jsonObject } from '../simulators/services/validate';
import { parse, UsageError } from './args';

const USAGE = `Usage: fsm-harness migrate --file EXPORT.json [--target URL] [--party-id ID] [--incremental]

  Imports a DSMS export into the simulator at --target (default http://127.0.0.1:4010): accounts
  arrive inactive for their administrator's review, historic tickets as closed incidents. The file is
  {"party_id", "snapshot", "accounts": [{legacy_id, email, name}], "tickets": [...], "returns": [...]};
  --party-id and --incremental override what the file says. See README, Migration from DSMS.`;

export async function migrateCommand(argv: string[]): Promise<number> {
  const args = parse(
    argv,
    {
      file: { type: 'string' },
      target: { type: 'string', default: 'http://127.0.0.1:4010' },
      'party-id': { type: 'string' },
      incremental: { type: 'boolean', default: false },
    },
    USAGE,
  );
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (!args.file) throw new UsageError(harnessMessage(`Give the export with --file.\n\n${USAGE}`));
  const body = readJsonFile(String(args.file), jsonObject);
  if (args['party-id']) body.party_id = args['party-id'];
  if (args.incremental) body.snapshot = 'incremental';
  const result = await new SimControlClient(String(args.target)).importDsmsExport(body);
  console.log(
    `Imported batch ${result.batch}: ${result.accountsAdded} accounts added, ${result.accountsUpdated} updated, ${result.ticketsAdded} historic tickets.`,
  );
  return 0;
}
