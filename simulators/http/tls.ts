/**
 * The simulators' https: a local certificate authority kept in a state directory (made once, reused by
 * later starts, so a client told to trust it once keeps trusting it), and a server certificate it signs
 * at each start for the host the simulators listen on. Clients trust the CA as they would a company's:
 * NODE_EXTRA_CA_CERTS=<caPath> for Node, the system or browser store for the rest.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate } from './x509';

export interface LocalTls {
  /** The CA certificate (PEM file) clients trust. */
  caPath: string;
  /** The server's key and certificate chain, for https.createServer. */
  key: string;
  cert: string;
}

const CA_NAME = 'FSM Test Harness local CA';
const CA_DAYS = 3650;
const SERVER_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

export function localTls(stateDir: string, host: string): LocalTls {
  const ca = localCa(stateDir);
  const hosts = [...new Set([host, 'localhost', '127.0.0.1', '::1'])].filter((h) => h !== '0.0.0.0' && h !== '::');
  const server = issueCertificate({
    commonName: host,
    ca: false,
    hosts,
    days: SERVER_DAYS,
    issuer: { key: ca.key, commonName: CA_NAME, publicKey: createPublicKey(ca.key) },
  });
  return { caPath: ca.caPath, key: server.key.export({ type: 'pkcs8', format: 'pem' }).toString(), cert: server.cert };
}

/**
 * The CA in `stateDir/ca/`, made if missing or about to expire. It is made in a directory of its own and
 * renamed into place: two simulators starting at once end up with the same CA, never half of each.
 */
function localCa(stateDir: string) {
  const dir = join(stateDir, 'ca');
  const caPath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'ca-key.pem');
  if (!usable(caPath, keyPath)) {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const made = issueCertificate({ commonName: CA_NAME, ca: true, days: CA_DAYS });
    const draft = join(stateDir, `ca-${process.pid}-${Date.now()}`);
    mkdirSync(draft, { mode: 0o700 });
    writeFileSync(join(draft, 'ca.pem'), made.cert, { mode: 0o644 });
    writeFileSync(join(draft, 'ca-key.pem'), made.key.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    try {
      renameSync(draft, dir);
    } catch {
      // Another start put its CA in place first: use that one. An unusable one (expired, damaged) is replaced.
      if (usable(caPath, keyPath)) rmSync(draft, { recursive: true, force: true });
      else {
        rmSync(dir, { recursive: true, force: true });
        renameSync(draft, dir);
      }
    }
  }
  return { caPath, key: createPrivateKey(readFileSync(keyPath)) };
}

function usable(caPath: string, keyPath: string): boolean {
  try {
    const cert = new X509Certificate(readFileSync(caPath));
    return cert.ca && cert.checkPrivateKey(createPrivateKey(readFileSync(keyPath))) && Date.parse(cert.validTo) > Date.now() + DAY_MS;
  } catch {
    return false;
  }
}
