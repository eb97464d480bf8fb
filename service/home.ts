/**
 * The dashboard's first screen, for DCC's test manager: what counts (recognised environments) and
 * what is a rehearsal, said first; then go/no-go, each party's mandated tests, the trend over the
 * UIT window, the runs received (each a link to its scenarios and evidence) and the issued TCRs.
 */
import type { ServiceConfig } from './config';
import { testsChart, trendChart } from './charts';
import type { Dashboard } from './model';
import { cellClass, h, page } from './page';

export interface ReportRow {
  party: string;
  documentId: string;
  keyId: string;
  payload: { approval?: unknown; version?: unknown; title?: unknown };
  receivedAt: Date;
}

export const runLink = (party: string, runId: string) => `/runs/${encodeURIComponent(party)}/${encodeURIComponent(runId)}`;

function whatCounts(d: Dashboard, config: ServiceConfig): string {
  const envs = config.environments.length
    ? `<ul>${config.environments
        .map(
          (e) =>
            `<li>${h(e.name)}: <code>${h(e.url)}</code>${e.tenant ? `, tenant ${h(e.tenant)}` : ''}${e.tlsSha256 ? `, TLS certificate SHA-256 <span class="hash">${h(e.tlsSha256)}</span>` : ''}</li>`,
        )
        .join('')}</ul>`
    : '<p>No environment is recognised yet: every run is a rehearsal.</p>';
  const counted = d.runs.filter((r) => r.recognised).length;
  return `<section class="counts" aria-labelledby="counts-h"><h2 id="counts-h">What counts</h2>
<p><strong>Only runs against an environment DCC recognises count as mandated completion.</strong> Any other run (the simulator, or any URL not listed here) is a <strong>rehearsal</strong>, whatever kind of target its party's harness says it was.</p>
${envs}<p>Of ${d.runs.length} runs received, ${counted} count and ${d.runs.length - counted} ${d.runs.length - counted === 1 ? 'is a rehearsal' : 'are rehearsals'}.</p></section>`;
}

function goNoGo(d: Dashboard, config: ServiceConfig): string {
  const pending = d.goNoGo.filter((g) => g.notPassed.length);
  const volume = (n: number | null) => (n === null ? 'unknown' : `${n} (${h(config.expectedIncidentsSource)})`);
  const verdict = pending.length
    ? `<p class="counts nogo"><strong>No-go:</strong> ${pending.length} of ${d.parties.length} parties have not passed every mandated test on a recognised environment.</p>`
    : `<p class="counts go"><strong>Go:</strong> every party has passed every mandated test on a recognised environment.</p>`;
  const rows = pending.map(
    (g) =>
      `<tr><th scope="row">${h(g.party)}</th><td>${h(g.notPassed.join(', '))}</td><td>${h(g.rehearsedOnly.join(', ') || 'none')}</td><td>${volume(g.expectedIncidentVolume)}</td></tr>`,
  );
  const table = rows.length
    ? `<table><caption>Parties not yet passed</caption><thead><tr><th scope="col">Party</th><th scope="col">Not passed on a recognised environment</th><th scope="col">Rehearsed only</th><th scope="col">Expected incident volume</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '';
  return `<section aria-labelledby="go-h"><h2 id="go-h">Go / no-go</h2>${verdict}${table}</section>`;
}

function matrix(d: Dashboard, mandated: string[]): string {
  const cellOf = new Map(d.cells.map((c) => [`${c.party}\n${c.test}`, c]));
  const runOf = new Map(d.runs.map((r) => [r.id, r]));
  const rows = d.parties.map((party) => {
    const cells = mandated.map((test) => {
      const c = cellOf.get(`${party}\n${test}`);
      const text = c?.cell ?? 'Not attempted';
      const run = c?.row ? runOf.get(c.row.runId) : undefined;
      return `<td class="${cellClass(text)}" data-test="${h(test)}">${run ? `<a href="${h(runLink(run.party, run.runId))}">${h(text)}</a>` : h(text)}</td>`;
    });
    return `<tr><th scope="row">${h(party)}</th>${cells.join('')}</tr>`;
  });
  return `<section aria-labelledby="matrix-h"><h2 id="matrix-h">Mandated tests by party</h2>
<p><a href="/completion.csv">Download this table as CSV</a></p>
<figure>${testsChart(d.cells, mandated)}</figure>
<table id="completion"><caption>Each party's mandated tests: passed on a recognised environment, rehearsed only, or not attempted</caption>
<thead><tr><th scope="col">Party</th>${mandated.map((t) => `<th scope="col">${h(t)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function trend(d: Dashboard, config: ServiceConfig, mandatedCount: number): string {
  const rows = d.trend.map((p) => `<tr><td>${h(p.day)}</td><td>${p.partiesComplete}</td><td>${p.testsPassed}</td></tr>`).join('');
  return `<section aria-labelledby="trend-h"><h2 id="trend-h">Completion over the UIT window</h2>
<figure>${trendChart(d.trend, d.parties.length, mandatedCount, config.window)}<figcaption>Share of mandated tests passed, and of parties that passed them all, on a recognised environment</figcaption></figure>
<details><summary>The figures</summary><table><thead><tr><th scope="col">Day</th><th scope="col">Parties complete</th><th scope="col">Mandated tests passed</th></tr></thead><tbody>${rows}</tbody></table></details></section>`;
}

function runs(d: Dashboard): string {
  const rows = [...d.runs]
    .reverse()
    .slice(0, 300)
    .map(
      (r) =>
        `<tr><td>${h(r.party)}</td><td><a href="${h(runLink(r.party, r.runId))}">${h(r.runId)}</a></td><td>${h(r.recognised ?? r.environmentUrl ?? 'not recorded')}</td><td>${r.recognised ? 'Counts' : 'Rehearsal'}</td><td>${h(r.tags ?? r.suite)}</td><td>${h(r.receivedAt.toISOString())}</td></tr>`,
    );
  return `<section aria-labelledby="runs-h"><h2 id="runs-h">Runs received</h2><table><caption>The latest ${rows.length} of ${d.runs.length} runs</caption>
<thead><tr><th scope="col">Party</th><th scope="col">Run</th><th scope="col">Environment</th><th scope="col">Evidence</th><th scope="col">Tags or suite</th><th scope="col">Received</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function reports(list: ReportRow[]): string {
  const approval = (a: unknown) =>
    a && typeof a === 'object'
      ? Object.entries(a)
          .filter(([, v]) => v !== null && typeof v !== 'object')
          .map(([k, v]) => `${h(k)}: ${h(v)}`)
          .join('<br>')
      : '';
  const rows = list.map(
    (r) =>
      `<tr><td>${h(r.party)}</td><td>${h(r.documentId)}</td><td>${h(r.payload.version ?? '')}</td><td>${approval(r.payload.approval)}</td><td>${h(r.receivedAt.toISOString())}</td><td class="hash">${h(r.keyId.slice(0, 16))}…</td></tr>`,
  );
  return `<section aria-labelledby="tcr-h"><h2 id="tcr-h">Issued Test Completion Reports</h2>${
    rows.length
      ? `<table><thead><tr><th scope="col">Party</th><th scope="col">Document</th><th scope="col">Version</th><th scope="col">Approval (who and when)</th><th scope="col">Received</th><th scope="col">Signed by key</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
      : '<p>No issued report received yet.</p>'
  }</section>`;
}

export function homePage(d: Dashboard, config: ServiceConfig, mandated: string[], list: ReportRow[]): string {
  return page(
    'UEPT completion',
    `${whatCounts(d, config)}${goNoGo(d, config)}${matrix(d, mandated)}${trend(d, config, mandated.length)}${runs(d)}${reports(list)}`,
  );
}
