/** A run's drill-down: where it ran and whether that counts, each scenario's result, and its evidence files by hash. */
import type { StoredScenario } from '../reporting/results-store';
import type { ServiceRun } from './model';
import { h, page } from './page';

export interface RunEvidence {
  manifestSha256: string;
  statementSha256: string;
  keyId: string;
  files: { path: string; sha256: string; bytes: number }[];
}

export function runPage(run: ServiceRun, scenarios: StoredScenario[], evidence: RunEvidence): string {
  const verdict = run.recognised
    ? `Counts for completion: run against ${h(run.recognised)}, an environment DCC recognises.`
    : `A rehearsal: ${h(run.environmentUrl ?? 'no environment URL')} is not an environment DCC recognises (the harness called it "${h(run.targetKind ?? 'not recorded')}").`;
  const rows = scenarios.map(
    (s, i) =>
      `<tr><td>${i + 1}</td><td>${h(s.name)}</td><td><code>${h(s.uri)}</code></td><td>${h(s.requirements.join(' '))}</td><td>${h(s.status)}</td><td>${s.attempts}</td></tr>`,
  );
  const files = evidence.files.map(
    (f) => `<tr><td><code>${h(f.path)}</code></td><td class="hash">${h(f.sha256)}</td><td>${f.bytes}</td></tr>`,
  );
  return page(
    `Run ${run.runId}: ${run.party}`,
    `<p class="counts ${run.recognised ? 'go' : 'nogo'}">${verdict}</p>
<dl><dt>Party</dt><dd>${h(run.party)}</dd><dt>Environment</dt><dd>${h(run.environmentName ?? '')} <code>${h(run.environmentUrl ?? '')}</code></dd>
<dt>Suite and tags</dt><dd>${h(run.suite)} ${h(run.tags ?? '')}</dd><dt>Started, finished</dt><dd>${h(run.startedAt.toISOString())}, ${h(run.finishedAt?.toISOString() ?? 'not finished')}</dd>
<dt>Manifest SHA-256</dt><dd class="hash">${h(evidence.manifestSha256)}</dd><dt>Signed statement SHA-256</dt><dd class="hash">${h(evidence.statementSha256)}</dd>
<dt>Signed by key</dt><dd class="hash">${h(evidence.keyId)}</dd></dl>
<h2>Scenarios</h2><table><thead><tr><th scope="col">#</th><th scope="col">Scenario</th><th scope="col">Feature</th><th scope="col">Requirements</th><th scope="col">Status</th><th scope="col">Attempts</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<h2>Evidence files</h2><table><caption>${files.length} files, as listed in the signed manifest</caption><thead><tr><th scope="col">File</th><th scope="col">SHA-256</th><th scope="col">Bytes</th></tr></thead><tbody>${files.join('')}</tbody></table>`,
  );
}

/** The completion table as CSV: the same rows and the same words as the dashboard's table. */
export function completionCsv(
  cells: { party: string; test: string; cell: string; row?: { at: string; target: string; runId: string } }[],
  runIdOf: (key: string) => string,
): string {
  // A cell starting = + - @ would be a formula in a spreadsheet: it is kept as text.
  const quote = (v: unknown) =>
    `"${String(v)
      .replace(/^[=+\-@]/, "'$&")
      .replace(/"/g, '""')}"`;
  const lines = cells.map((c) =>
    [c.party, c.test, c.cell, c.row?.at ?? '', c.row?.target ?? '', c.row ? runIdOf(c.row.runId) : ''].map(quote).join(','),
  );
  return `party,test,status,at,environment,run\n${lines.join('\n')}\n`;
}
