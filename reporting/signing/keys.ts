/**
 * A party's signing key: Ed25519, made by `fsm-harness keys init` and kept beside the results store
 * (never under reports/). The private key signs every run's statement; the public key is what the
 * party registers with DCC, which checks every pack it receives against it. A key is named by its id:
 * the SHA-256 of its public key (SubjectPublicKeyInfo, DER), as hex.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_KEYS_DIR = '.fsm-keys';
export const PRIVATE_KEY_FILE = 'signing-key.pem';
export const PUBLIC_KEY_FILE = 'signing-key.pub.pem';

/**
 * Key ids already worked out, by key: exporting and hashing a key costs about 0.2 ms, and the
 * completion service asks for the ids of a party's registered keys on every submission. A KeyObject
 * never changes, so its id cannot go stale, and a WeakMap lets an unused key be collected.
 */
const keyIds = new WeakMap<KeyObject, string>();

export function keyIdOf(key: KeyObject): string {
  const known = keyIds.get(key);
  if (known !== undefined) return known;
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const id = createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex');
  keyIds.set(key, id);
  return id;
}

export function publicPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'pem' }).toString();
}

/** Reads a public key from PEM; a private key's PEM gives its public half, so nothing secret is kept from it. */
export function parsePublicKey(pem: string): KeyObject {
  const key = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519' && key.asymmetricKeyType !== 'ec')
    throw new Error(`a ${key.asymmetricKeyType ?? 'unknown'} key: signing keys are Ed25519 or ECDSA P-256`);
  return key;
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  dir: string;
}

/** Makes a key pair in `dir`; refuses to replace one (a new key would orphan every pack signed with the old). */
export function initKeys(dir = DEFAULT_KEYS_DIR): SigningKey {
  if (existsSync(join(dir, PRIVATE_KEY_FILE))) throw new Error(`${join(dir, PRIVATE_KEY_FILE)} exists: a signing key is already made here`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(join(dir, PRIVATE_KEY_FILE), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  writeFileSync(join(dir, PUBLIC_KEY_FILE), publicPem(publicKey), { flag: 'wx' });
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), dir };
}

export function loadKeys(dir = DEFAULT_KEYS_DIR): SigningKey | undefined {
  const path = join(dir, PRIVATE_KEY_FILE);
  if (!existsSync(path)) return undefined;
  const privateKey = createPrivateKey(readFileSync(path));
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), dir };
}

/**
 * The keys parties registered with DCC: `{ "parties": { "<party>": ["<public key PEM>", ...] } }`.
 * A pack is trusted only when signed by a key registered for the party it names.
 */
export class KeyRegistry {
  private readonly byParty = new Map<string, KeyObject[]>();

  static fromJson(input: unknown): KeyRegistry {
    const registry = new KeyRegistry();
    const parties = (input as { parties?: unknown } | null)?.parties;
    if (!parties || typeof parties !== 'object') throw new Error('a key registry is { "parties": { "<party>": ["<public key PEM>"] } }');
    for (const [party, pems] of Object.entries(parties as Record<string, unknown>)) {
      if (!Array.isArray(pems)) throw new Error(`the keys of "${party}" must be a list of public key PEMs`);
      for (const pem of pems) registry.register(party, parsePublicKey(String(pem)));
    }
    return registry;
  }

  static fromFile(path: string): KeyRegistry {
    return KeyRegistry.fromJson(JSON.parse(readFileSync(path, 'utf8')));
  }

  register(party: string, key: KeyObject): void {
    const keys = this.byParty.get(party) ?? [];
    // Worked out here, once: the service then finds each key's id known on every submission.
    const id = keyIdOf(key);
    if (!keys.some((k) => keyIdOf(k) === id)) keys.push(key);
    this.byParty.set(party, keys);
  }

  keysOf(party: string): KeyObject[] {
    return this.byParty.get(party) ?? [];
  }

  parties(): string[] {
    return [...this.byParty.keys()];
  }
}
