/**
 * Publishing a report: the TCR in JSON, HTML, JUnit XML and PDF into a folder, and the Allure HTML
 * report from the run's results. Anything that cannot be produced (no browser for the PDF, no Java
 * for Allure) becomes a warning that says how to fix it; the rest is still written.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from '../simulators/store/db';
import type { CriteriaConfig } from './criteria';
import { buildTcr, type Tcr, type TcrScope } from './tcr';
import { renderTcrHtml } from './tcr-html';
import { renderTcrJunit } from './tcr-junit';
import { renderPdf } from './tcr-pdf';

export interface Published {
  tcr: Tcr;
  files: string[];
  warnings: string[];
}

export async function publishTcr(
  db: Queryable,
  scope: TcrScope,
  outDir: string,
  criteria: CriteriaConfig,
  catalogue: Record<string, string>,
  options: { pdf?: boolean } = {},
): Promise<Published> {
  const tcr = await buildTcr(db, scope, criteria, catalogue);
  mkdirSync(outDir, { recursive: true });
  const html = renderTcrHtml(tcr);
  const files = [
    write(join(outDir, 'tcr.json'), `${JSON.stringify(tcr, null, 2)}\n`),
    write(join(outDir, 'tcr.html'), html),
    write(join(outDir, 'tcr-junit.xml'), renderTcrJunit(tcr)),
  ];
  const warnings: string[] = [];
  if (options.pdf !== false) {
    try {
      await renderPdf(html, join(outDir, 'tcr.pdf'));
      files.push(join(outDir, 'tcr.pdf'));
    } catch (error) {
      warnings.push(`No PDF: ${(error as Error).message}`);
    }
  }
  return { tcr, files, warnings };
}

function write(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

/** Runs allure-commandline (it needs Java); answers a warning instead of failing the run. */
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
