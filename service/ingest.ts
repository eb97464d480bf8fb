/**
 * What the completion service checks before it stores anything a party submits: the pack's signed
 * statement against the keys registered for the party it names, the statement against the manifest
 * (the digest it signs), and every file against the manifest. The rules are verify's own
 * (reporting/signing/attest.ts, reporting/pack-check.ts); this module only says which refusal each is.
 */
import { z } from 'zod';
import { fileProblems, manifestShape, sha256 } from '../reporting/pack-check';
import { bindingProblems, openStatement, readUnverified, type UnverifiedStatement } from '../reporting/signing/attest';
import { keyIdOf } from '../reporting/signing/keys';
import { DomainError, InvalidInput } from '../simulators/domain/errors';
import type { ServiceConfig } from './config';
import type { VerifiedPack } from './store';

export const submissionShape = z
  .object({
    /** The party submitting: refused unless it is the party the signed statement names. */
    party: z.string().min(1).max(100).optional(),
    envelope: z.unknown(),
    /** manifest.json exactly as sealed: its SHA-256 is what the statement signs. */
    manifest: z.string().min(1).max(4_000_000),
    files: z.array(z.object({ path: z.string().min(1).max(500), base64: z.string() }).strict()).max(5000),
  })
  .strict();

const refused = (status: number, message: string, detail: string) => new DomainError('refused', status, message, detail);

export function shapeOf<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  throw new InvalidInput(`The request is not ${what}`, `${issues.slice(0, 500)}. fsm-harness submit sends it.`);
}

/** The party an envelope's signatures belong to, by key id: the first registered owner of a signing key. */
export function signatureKeyIds(envelope: unknown): string[] {
  const signatures = (envelope as { signatures?: unknown } | null)?.signatures;
  if (!Array.isArray(signatures)) return [];
  return signatures.map((s) => (s as { keyid?: unknown } | null)?.keyid).filter((k): k is string => typeof k === 'string');
}

/** The party whose registered keys may open the envelope, or a refusal naming what is wrong. */
function partyOf(read: UnverifiedStatement, config: ServiceConfig, claimed: string | undefined): string {
  const party = read.statement?.predicate.fsm.party;
  if (party === undefined)
    throw new InvalidInput('The envelope is not a signed run statement', 'Send the attestation.dsse.json of a sealed pack, unchanged.');
  const keys = config.registry.keysOf(party);
  if (!keys.length)
    throw refused(403, `Party "${party}" is not registered with this completion service`, 'DCC registers each party and its public key.');
  if (claimed !== undefined && claimed !== party)
    throw refused(
      403,
      `This pack is party "${party}"'s: it cannot be submitted as "${claimed}"'s`,
      'A pack counts only for the party its signed statement names.',
    );
  const registered = new Set(keys.map(keyIdOf));
  const signedBy = signatureKeyIds(read.envelope);
  if (!signedBy.some((id) => registered.has(id)))
    throw refused(
      403,
      `The pack is signed by a key not registered for party "${party}"`,
      `Key id ${signedBy.join(', ') || 'none'}. Register the public key of fsm-harness keys show with DCC, or sign with the registered key.`,
    );
  return party;
}

export function verifySubmission(body: unknown, config: ServiceConfig): VerifiedPack {
  const submission = shapeOf(submissionShape, body, 'a pack submission (party, envelope, manifest, files)');
  const read = readUnverified(submission.envelope);
  const party = partyOf(read, config, submission.party);
  const opened = openStatement(submission.envelope, config.registry.keysOf(party), read);
  if (!opened.ok) throw refused(422, 'The signed statement was altered', `The statement is refused: ${opened.problem} (party "${party}").`);
  const manifest = manifestOf(submission.manifest);
  const files = filesOf(submission.files);
  const manifestSha256 = sha256(submission.manifest);
  const problems = [
    ...bindingProblems(opened.statement, { runId: manifest.runId, manifestSha256, at: (path) => path }),
    ...fileProblems(manifest, { paths: [...files.keys()], read: (path) => files.get(path) }, (path) => path),
  ];
  if (problems.length)
    throw refused(422, `The pack of run ${manifest.runId} does not match what party "${party}" signed`, problems.join(' '));
  return { statement: opened.statement, statementSha256: opened.sha256, manifestSha256, keyId: opened.keyid, files: manifest.files };
}

function manifestOf(text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw refused(422, 'The manifest is not JSON', 'Send manifest.json of a sealed pack, unchanged.');
  }
  const parsed = manifestShape.safeParse(json);
  if (!parsed.success) throw refused(422, 'The manifest is not an evidence manifest', 'Send manifest.json of a sealed pack, unchanged.');
  return parsed.data;
}

function filesOf(files: { path: string; base64: string }[]): Map<string, Buffer> {
  const byPath = new Map<string, Buffer>();
  for (const file of files) {
    if (byPath.has(file.path)) throw new InvalidInput(`The file ${file.path} is sent twice`, 'Send each file of the pack once.');
    byPath.set(file.path, Buffer.from(file.base64, 'base64'));
  }
  return byPath;
}
