/**
 * `fsm-harness keys`: the party's signing key. `init` makes one (Ed25519) and prints the public key the
 * party registers with DCC; `show` prints it again. `run` makes one itself on first use, and says so.
 */
import { harnessMessage } from '../clients/messages';
import { DEFAULT_KEYS_DIR, initKeys, loadKeys, publicPem, type SigningKey } from '../reporting/signing/keys';
import { parse, UsageError } from './args';

const KEYS_USAGE = `Usage: fsm-harness keys init|show [--dir DIR]

  The signing key of this installation (Ed25519, in --dir, default $FSM_KEYS_DIR or ${DEFAULT_KEYS_DIR}).
  Every run's evidence pack is signed with it. Register the public key with DCC: the completion service
  refuses packs signed by a key not registered for the party they name.

  init   make the key pair (refuses to replace one: packs signed with it could no longer be checked)
  show   print the public key and its id`;

export const keysDir = (dir?: unknown) => String(dir ?? process.env.FSM_KEYS_DIR ?? DEFAULT_KEYS_DIR);

export function keysCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv[0]?.startsWith('-') ? ['', ...argv] : argv;
  const args = parse(rest, { dir: { type: 'string' } }, KEYS_USAGE);
  if (args.help || !action) {
    console.log(KEYS_USAGE);
    return Promise.resolve(args.help ? 0 : 2);
  }
  const dir = keysDir(args.dir);
  if (action === 'init') {
    const key = initKeys(dir);
    console.log(`Signing key made in ${dir} (keep signing-key.pem private).\n${describeKey(key)}`);
    return Promise.resolve(0);
  }
  if (action === 'show') {
    const key = loadKeys(dir);
    if (!key) throw new Error(harnessMessage(`No signing key in ${dir}: make one with fsm-harness keys init`));
    console.log(describeKey(key));
    return Promise.resolve(0);
  }
  throw new UsageError(harnessMessage(`Unknown keys action "${action}".\n\n${KEYS_USAGE}`));
}

function describeKey(key: SigningKey): string {
  return `Key id: ${key.keyId}\nPublic key (register it with DCC for your party):\n${publicPem(key.publicKey).trimEnd()}`;
}

/** The key a run signs its pack with: the installation's, made on first use. */
export function signingKey(dir = keysDir()): SigningKey {
  const existing = loadKeys(dir);
  if (existing) return existing;
  const made = initKeys(dir);
  console.log(
    `Made a signing key for evidence packs in ${dir} (key id ${made.keyId.slice(0, 16)}...): register its public key with DCC (fsm-harness keys show).`,
  );
  return made;
}
