/**
 * Issued Test Completion Reports submitted to the service: a DSSE envelope whose payload is the issued
 * TCR's JSON, signed by a key registered for the party that issued it. The service accepts any JSON
 * payload with a document id and an approval, and shows what is there.
 */
import { z } from 'zod';
import { sha256 } from '../reporting/pack-check';
import { openEnvelope } from '../reporting/signing/dsse';
import { keyIdOf } from '../reporting/signing/keys';
import { DomainError } from '../simulators/domain/errors';
import type { ServiceConfig } from './config';
import { shapeOf, signatureKeyIds } from './ingest';
import type { IssuedReport } from './store';

export const TCR_PAYLOAD = 'application/vnd.fsm-harness.tcr+json';

const reportSubmission = z.object({ party: z.string().min(1).max(100).optional(), envelope: z.unknown() }).strict();
const issued = z.object({ documentId: z.string().min(1).max(200), approval: z.record(z.string(), z.unknown()) }).passthrough();

const refused = (status: number, message: string, detail: string) => new DomainError('refused', status, message, detail);

/** The registered party whose key signed the envelope. */
function signer(envelope: unknown, config: ServiceConfig): string | undefined {
  const signedBy = new Set(signatureKeyIds(envelope));
  return config.registry.parties().find((party) => config.registry.keysOf(party).some((k) => signedBy.has(keyIdOf(k))));
}

export function verifyReport(body: unknown, config: ServiceConfig): IssuedReport {
  const { party: claimed, envelope } = shapeOf(reportSubmission, body, 'a report submission (party, envelope)');
  const party = signer(envelope, config);
  if (!party)
    throw refused(
      403,
      'The report is signed by a key not registered for any party',
      'Sign it with the key your party registered with DCC.',
    );
  if (claimed !== undefined && claimed !== party)
    throw refused(403, `This report is signed by party "${party}"'s key: it cannot be submitted as "${claimed}"'s`, '');
  const opened = openEnvelope(envelope, TCR_PAYLOAD, config.registry.keysOf(party));
  if (!opened.ok) throw refused(422, 'The signed report is refused', `${opened.problem} (party "${party}").`);
  let json: unknown;
  try {
    json = JSON.parse(opened.payload.toString('utf8'));
  } catch {
    throw refused(422, 'The signed report is not JSON', 'Its payload must be the issued TCR as JSON.');
  }
  const payload = issued.safeParse(json);
  if (!payload.success)
    throw refused(422, 'The signed report is not an issued TCR', 'Its payload needs a documentId and an approval (issue it first).');
  return {
    party,
    documentId: payload.data.documentId,
    envelopeSha256: sha256(JSON.stringify(envelope)),
    keyId: opened.keyid,
    payload: json,
  };
}
