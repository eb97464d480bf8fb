/**
 * Issuing a Test Completion Report: draft → issued, with the reviewer and approver named and the
 * time recorded. An issued report is evidence, kept beside the packs (never under reports/) in
 * .fsm-evidence/issued/<document id>/: tcr.json, tcr.html, tcr.pdf, and tcr.dsse.json, a DSSE
 * envelope whose payload is tcr.json's bytes, signed with the installation's key. tcr.json lists
 * the SHA-256 of the HTML and the PDF, so the one signature covers all three. A document id is
 * issued once: issuing it again is refused, and verify names any issued file altered, added or removed.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { harnessMessage } from '../clients/messages';
import { ISSUED_DIR } from './evidence';
import { openEnvelope, signEnvelope } from './signing/dsse';
import type { Trust } from './signing/attest';
import type { SigningKey } from './signing/keys';
import { sha256 } from './signing/statement';
import type { Tcr } from './tcr';
import { renderTcrHtml } from './tcr-html';
import { renderPdf } from './tcr-pdf';

export const TCR_PAYLOAD = 'application/vnd.fsm-harness.tcr+json';
export const TCR_ENVELOPE = 'tcr.dsse.json';
const SIGNED = new Set(['tcr.json', TCR_ENVELOPE]);

export const issuedRoot = (evidenceRoot: string) => join(evidenceRoot, ISSUED_DIR);

/** The document ids issued so far: a draft takes the next free one. */
export function issuedIds(evidenceRoot: string): string[] {
  const root = issuedRoot(evidenceRoot);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name);
}

export interface Issuer {
  reviewer?: string;
  approver?: string;
}

/** The draft as issued: version 1.0, ISSUED, who reviewed and approved it and when. Refuses without both names. */
export function issueTcr(draft: Tcr, issuer: Issuer, at: Date): Tcr {
  const reviewer = issuer.reviewer?.trim();
  const approver = issuer.approver?.trim();
  if (!reviewer || !approver)
    throw new Error(harnessMessage('An issued report names who reviewed and who approved it: give --reviewer NAME and --approver NAME.'));
  if (draft.document.status !== 'DRAFT') throw new Error(harnessMessage(`${draft.document.id} is already issued.`));
  const issuedAt = at.toISOString();
  return {
    ...draft,
    document: {
      ...draft.document,
      version: '1.0',
      status: 'ISSUED',
      changeHistory: [
        ...draft.document.changeHistory,
        { version: '1.0', date: issuedAt, by: approver, change: `Issued: reviewed by ${reviewer}, approved by ${approver}.` },
      ],
    },
    approval: { ...draft.approval, status: 'issued', reviewer, approver, issuedAt },
  };
}

/** Writes an issued report into its own folder, all or nothing; refuses a document id already issued. */
export async function writeIssued(tcr: Tcr, evidenceRoot: string, signer: SigningKey): Promise<{ dir: string; files: string[] }> {
  const root = issuedRoot(evidenceRoot);
  const dir = join(root, tcr.document.id);
  const refuse = () =>
    new Error(
      harnessMessage(
        `${tcr.document.id} is already issued (${dir}): an issued report is never replaced. Issue a new one (without --id, or another id).`,
      ),
    );
  if (existsSync(dir)) throw refuse();
  const work = join(root, `.${tcr.document.id}.${process.pid}.tmp`);
  mkdirSync(work, { recursive: true });
  try {
    const html = join(work, 'tcr.html');
    writeFileSync(html, renderTcrHtml(tcr));
    await renderPdf(html, join(work, 'tcr.pdf'), `${tcr.document.id} version ${tcr.document.version} ${tcr.document.status}`);
    const renditions = ['tcr.html', 'tcr.pdf'].map((path) => ({ path, sha256: sha256(readFileSync(join(work, path))) }));
    const payload = Buffer.from(`${JSON.stringify({ ...tcr, renditions }, null, 2)}\n`);
    writeFileSync(join(work, 'tcr.json'), payload);
    writeFileSync(join(work, TCR_ENVELOPE), `${JSON.stringify(signEnvelope(TCR_PAYLOAD, payload, signer.privateKey), null, 2)}\n`);
    for (const file of readdirSync(work)) chmodSync(join(work, file), 0o444);
    if (existsSync(dir)) throw refuse();
    renameSync(work, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { dir, files: ['tcr.json', 'tcr.html', 'tcr.pdf', TCR_ENVELOPE].map((f) => join(dir, f)) };
}

/** What is wrong with the issued reports, one line each: signatures that do not verify, files altered, added or removed. */
export function verifyIssued(evidenceRoot: string, trust: Trust): { reports: number; problems: string[] } {
  const ids = issuedIds(evidenceRoot);
  return { reports: ids.length, problems: ids.flatMap((id) => checkIssued(join(issuedRoot(evidenceRoot), id), id, trust)) };
}

function checkIssued(dir: string, id: string, trust: Trust): string[] {
  const at = (path: string) => `${dir.split(sep).join('/')}/${path}`;
  if (!existsSync(join(dir, TCR_ENVELOPE))) return [`${at(TCR_ENVELOPE)} is missing: issued report ${id} is not signed.`];
  let envelope: { payload?: unknown };
  let claimed: Tcr;
  try {
    envelope = JSON.parse(readFileSync(join(dir, TCR_ENVELOPE), 'utf8')) as { payload?: unknown };
    claimed = JSON.parse(Buffer.from(String(envelope.payload), 'base64').toString('utf8')) as Tcr;
  } catch {
    return [`${at(TCR_ENVELOPE)} is not a readable signed report: it was altered.`];
  }
  const keys = [...new Set((claimed.scope?.parties ?? ['']).flatMap((party) => trust(party)))];
  const opened = openEnvelope(envelope, TCR_PAYLOAD, keys);
  if (!opened.ok) return [`${at(TCR_ENVELOPE)} is refused: ${opened.problem} (issued report ${id}).`];
  const problems: string[] = [];
  if (claimed.document.id !== id || claimed.document.status !== 'ISSUED')
    problems.push(`${at('')} holds ${claimed.document.id} (${claimed.document.status}), not issued report ${id}: it was moved or renamed.`);
  const listed = [{ path: 'tcr.json', sha256: sha256(opened.payload) }, ...(claimed.renditions ?? [])];
  for (const file of listed) {
    if (!existsSync(join(dir, file.path))) problems.push(`${at(file.path)} was removed from issued report ${id}.`);
    else if (sha256(readFileSync(join(dir, file.path))) !== file.sha256)
      problems.push(`${at(file.path)} was altered after ${id} was issued.`);
  }
  const known = new Set([...SIGNED, ...listed.map((f) => f.path)]);
  for (const file of readdirSync(dir)) if (!known.has(file)) problems.push(`${at(file)} was added after ${id} was issued.`);
  return problems;
}
