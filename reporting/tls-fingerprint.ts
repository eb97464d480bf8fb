/**
 * Which server a run was against, beyond its URL: the SHA-256 fingerprint of the TLS certificate the
 * platform presents. DCC's completion service recognises an environment by it, so a run against a
 * look-alike at the same name (a local proxy, a copied target file) does not pass for the real one.
 */
import { connect } from 'node:tls';

/** The fingerprint (AA:BB:...) of the certificate at an https URL; null for http or when nothing answers in time. */
export function tlsFingerprintOf(url: string, timeoutMs = 5000): Promise<string | null> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') return Promise.resolve(null);
  return new Promise((resolve) => {
    // Identity only, not trust: the run itself checks the certificate chain with every request.
    const socket = connect({
      host: parsed.hostname,
      port: Number(parsed.port || 443),
      servername: parsed.hostname,
      rejectUnauthorized: false,
    });
    const done = (value: string | null) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('secureConnect', () => done(socket.getPeerCertificate().fingerprint256 || null));
    socket.once('error', () => done(null));
  });
}
