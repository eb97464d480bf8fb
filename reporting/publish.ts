/**
 * Publishing a report: the draft TCR in JSON, HTML, JUnit XML and PDF into a folder, or the issued TCR
 * into the evidence root (tcr-issue.ts); and the Allure HTML report from the run's results. Anything a
 * draft cannot have (no browser for the PDF, no Java for Allure) becomes a warning that says how to fix
 * it; the rest is still written. An issued report is all or nothing.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from '../simulators/store/db';
import type { CriteriaConfig } from './criteria';
import { DEFAULT_EVIDENCE_DIR } from './evidence';
import type { SigningKey } from './signing/keys';
import { buildTcr, type Tcr, type TcrScope } from './tcr';
import { renderTcrHtml } from './tcr-html';
import { issuedIds, issueTcr, writeIssued, type Issuer } from './tcr-issue';
import type { DocumentInput } from './tcr-parts';
import { renderTcrJunit } from './tcr-junit';
import { renderPdf, type Printer } from './tcr-pdf';

export interface Published {
  tcr: Tcr;
  files: string[];
  warnings: string[];
}

export interface DraftOptions {
  pdf?: boolean;
  document?: DocumentInput;
  evidenceRoot?: string;
  printer?: Printer;
}

export async function publishTcr(
  db: Queryable,
  scope: TcrScope,
  outDir: string,
  criteria: CriteriaConfig,
  catalogue: Record<string, string>,
  options: DraftOptions = {},
): Promise<Published> {
  return writeDraft(await draftTcr(db, scope, criteria, catalogue, options), outDir, options);
}

/** The draft TCR of `scope`: all it reads of the store (the files are written by writeDraft, with the store closed). */
export function draftTcr(
  db: Queryable,
  scope: TcrScope,
  criteria: CriteriaConfig,
  catalogue: Record<string, string>,
  options: Pick<DraftOptions, 'document' | 'evidenceRoot'> = {},
): Promise<Tcr> {
  const evidenceRoot = options.evidenceRoot ?? DEFAULT_EVIDENCE_DIR;
  return buildTcr(db, scope, criteria, catalogue, new Date(), { ...options.document, issued: issuedIds(evidenceRoot), evidenceRoot });
}

/** Writes a draft's JSON, HTML, JUnit XML and (unless `pdf` is false) PDF into `outDir`. */
export async function writeDraft(tcr: Tcr, outDir: string, options: Pick<DraftOptions, 'pdf' | 'printer'> = {}): Promise<Published> {
  mkdirSync(outDir, { recursive: true });
  const htmlPath = write(join(outDir, 'tcr.html'), renderTcrHtml(tcr));
  const files = [
    write(join(outDir, 'tcr.json'), `${JSON.stringify(tcr, null, 2)}\n`),
    htmlPath,
    write(join(outDir, 'tcr-junit.xml'), renderTcrJunit(tcr)),
  ];
  const warnings: string[] = [];
  if (options.pdf !== false) {
    try {
      await renderPdf(
        htmlPath,
        join(outDir, 'tcr.pdf'),
        `${tcr.document.id} version ${tcr.document.version} ${tcr.document.status}`,
        options.printer,
      );
      files.push(join(outDir, 'tcr.pdf'));
    } catch (error) {
      warnings.push(`No PDF: ${(error as Error).message}`);
    }
  }
  return { tcr, files, warnings };
}

/** Builds the report, issues it (reviewer, approver, now) and keeps it, signed, in the evidence root. */
export async function publishIssued(
  db: Queryable,
  scope: TcrScope,
  criteria: CriteriaConfig,
  catalogue: Record<string, string>,
  issue: Issuer & { document?: DocumentInput; evidenceRoot?: string; signer: SigningKey },
): Promise<{ tcr: Tcr; dir: string; files: string[] }> {
  const evidenceRoot = issue.evidenceRoot ?? DEFAULT_EVIDENCE_DIR;
  const now = new Date();
  const draft = await buildTcr(db, scope, criteria, catalogue, now, { ...issue.document, issued: issuedIds(evidenceRoot), evidenceRoot });
  const tcr = issueTcr(draft, issue, now);
  return { tcr, ...(await writeIssued(tcr, evidenceRoot, issue.signer)) };
}

function write(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

/**
 * Renders the Allure report with allure-commandline (a Java program), in a child process so the caller
 * can build the TCR and the evidence pack meanwhile. Resolves to a warning when there is no report.
 */
export async function generateAllure(resultsDir: string, outDir: string): Promise<string | undefined> {
  const run = (command: string, args: string[]) =>
    new Promise<{ status: number | null; stderr: string; error?: Error }>((resolve) => {
      let stderr = '';
      const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', (error) => resolve({ status: null, stderr, error }));
      child.on('close', (status) => resolve({ status, stderr }));
    });
  const java = await run('java', ['-version']);
  if (java.error || java.status !== 0)
    return 'No Allure report: allure-commandline needs Java. Install a Java runtime (Debian: apt-get install default-jre-headless).';
  const allure = await run(join('node_modules', '.bin', 'allure'), ['generate', resultsDir, '-o', outDir, '--clean']);
  if (allure.error || allure.status !== 0)
    return `No Allure report: allure generate failed: ${(allure.stderr || allure.error?.message || '').trim().split('\n')[0]}`;
  return undefined;
}
