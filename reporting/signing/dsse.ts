/**
 * DSSE (Dead Simple Signing Envelope, github.com/secure-systems-lab/dsse): the envelope in-toto
 * attestations travel in. The signature covers the pre-authentication encoding of the payload type
 * and the payload bytes, so neither can be swapped without the signature failing.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { keyIdOf } from './keys';

export interface DsseEnvelope {
  payloadType: string;
  /** Base64 of the signed bytes. */
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

const envelopeShape = z.object({
  payloadType: z.string().min(1),
  payload: z.string(),
  signatures: z.array(z.object({ keyid: z.string(), sig: z.string() })).min(1),
});

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes as ASCII decimal. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

export function signEnvelope(payloadType: string, payload: Buffer, privateKey: KeyObject): DsseEnvelope {
  const sig = sign(null, pae(payloadType, payload), privateKey).toString('base64');
  return { payloadType, payload: payload.toString('base64'), signatures: [{ keyid: keyIdOf(privateKey), sig }] };
}

export type EnvelopeCheck = { ok: true; payload: Buffer; keyid: string } | { ok: false; problem: string; keyid?: string };

/**
 * Opens an envelope with one of `trusted` (the keys registered for its signer). Answers the payload only
 * when a signature by a trusted key verifies; otherwise says what is wrong: not an envelope, the wrong
 * payload type, signed by a key that is not trusted, or a signature that does not verify (altered bytes).
 */
export function openEnvelope(input: unknown, payloadType: string, trusted: KeyObject[]): EnvelopeCheck {
  const parsed = envelopeShape.safeParse(input);
  if (!parsed.success) return { ok: false, problem: 'it is not a DSSE envelope (payloadType, payload, signatures)' };
  const envelope = parsed.data;
  if (envelope.payloadType !== payloadType)
    return { ok: false, problem: `its payload type is "${envelope.payloadType}", not "${payloadType}"` };
  const payload = Buffer.from(envelope.payload, 'base64');
  const byId = new Map(trusted.map((key) => [keyIdOf(key), key]));
  const known = envelope.signatures.filter((s) => byId.has(s.keyid));
  if (!known.length)
    return {
      ok: false,
      problem: `it is signed by a key not registered for this party (${envelope.signatures.map((s) => s.keyid).join(', ')})`,
    };
  for (const signature of known) {
    const key = byId.get(signature.keyid) as KeyObject;
    if (verify(null, pae(payloadType, payload), key, Buffer.from(signature.sig, 'base64')))
      return { ok: true, payload, keyid: signature.keyid };
  }
  return { ok: false, problem: 'its signature does not verify: the statement was altered after signing', keyid: known[0]?.keyid };
}
