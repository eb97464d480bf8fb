/**
 * Just enough X.509 (RFC 5280) to make a local certificate authority and the certificates it signs,
 * with node:crypto only: a DER writer for the few ASN.1 types a certificate needs, ECDSA P-256 keys
 * and SHA-256 signatures. Node's X509Certificate reads the result, and TLS clients verify it.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';

const der = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  const n = body.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
};
const seq = (...items: Buffer[]) => der(0x30, ...items);
const set = (...items: Buffer[]) => der(0x31, ...items);
const octets = (value: Buffer) => der(0x04, value);
const bits = (value: Buffer) => der(0x03, Buffer.from([0]), value);
const utf8 = (value: string) => der(0x0c, Buffer.from(value, 'utf8'));
const bool = (value: boolean) => der(0x01, Buffer.from([value ? 0xff : 0]));
const integer = (value: Buffer) => derInteger(value);

/**
 * A DER INTEGER of an unsigned big-endian value, in its one minimal form: leading zero bytes dropped,
 * one put back only before a top bit set. OpenSSL 3.5 (Node 24) refuses any other ("illegal padding"),
 * as a random serial starting with a zero byte once in 128 certificates would otherwise make.
 */
export function derInteger(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const digits = value.length ? value.subarray(start) : Buffer.from([0]);
  return der(0x02, (digits[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), digits]) : digits);
}
/** UTCTime, as RFC 5280 §4.1.2.5 asks for dates before 2050. */
const time = (date: Date) =>
  der(
    0x17,
    Buffer.from(
      date
        .toISOString()
        .slice(2)
        .replace(/[-:T]|\.\d+/g, ''),
      'ascii',
    ),
  );

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [a * 40 + b];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const name = (commonName: string) => seq(set(seq(oid('2.5.4.10'), utf8('FSM Test Harness'))), set(seq(oid('2.5.4.3'), utf8(commonName))));
const extension = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
const keyId = (key: KeyObject) =>
  createHash('sha1')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest();

export interface Issued {
  key: KeyObject;
  /** PEM */
  cert: string;
}

export interface CertificateRequest {
  commonName: string;
  /** A CA's certificate may sign others; a server's names the hosts (DNS names or IP addresses) it serves. */
  ca: boolean;
  hosts?: string[];
  days: number;
  /** Signs with this issuer; none makes a self-signed certificate. */
  issuer?: { key: KeyObject; commonName: string; publicKey: KeyObject };
}

export function issueCertificate(request: CertificateRequest): Issued {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issuer = request.issuer ?? { key: privateKey, commonName: request.commonName, publicKey };
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = new Date(notBefore.getTime() + request.days * 24 * 3600 * 1000);
  const altNames = (request.hosts ?? []).map((host) =>
    isIP(host) === 4
      ? der(0x87, Buffer.from(host.split('.').map(Number)))
      : isIP(host) === 6
        ? der(0x87, ipv6Bytes(host))
        : der(0x82, Buffer.from(host, 'ascii')),
  );
  const extensions = [
    extension('2.5.29.19', true, seq(...(request.ca ? [bool(true), integer(Buffer.from([0]))] : []))),
    // keyCertSign and cRLSign for a CA; digitalSignature for a TLS server's ECDHE handshake.
    extension('2.5.29.15', true, request.ca ? bits(Buffer.from([0x06])) : bits(Buffer.from([0x80]))),
    extension('2.5.29.14', false, octets(keyId(publicKey))),
    extension('2.5.29.35', false, seq(der(0x80, keyId(issuer.publicKey)))),
    ...(request.ca ? [] : [extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), extension('2.5.29.17', false, seq(...altNames))]),
  ];
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const tbs = seq(
    der(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_SHA256,
    name(issuer.commonName),
    seq(time(notBefore), time(notAfter)),
    name(request.commonName),
    publicKey.export({ type: 'spki', format: 'der' }),
    der(0xa3, seq(...extensions)),
  );
  const certificate = seq(tbs, ECDSA_SHA256, bits(sign('sha256', tbs, issuer.key)));
  const body = certificate.toString('base64').replace(/.{64}/g, '$&\n');
  return { key: privateKey, cert: `-----BEGIN CERTIFICATE-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n` };
}

function ipv6Bytes(host: string): Buffer {
  const [head = '', tail = ''] = host.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = [...groups(head), ...Array.from({ length: host.includes('::') ? missing : 0 }, () => '0'), ...groups(tail)];
  return Buffer.concat(all.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')));
}
