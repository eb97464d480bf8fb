/**
 * The sections of the HTML Test Completion Report that carry tables and charts, and the helpers that
 * make them: every table wraps inside the page width, so nothing is cut when Chromium prints it.
 */
import { escapeHtml as e } from '../simulators/http/html';
import { barChart, completionChart, COLOURS, issuesChart, mandatedChart } from './tcr-charts';
import type { Tcr } from './tcr';

export type Cell = string | number | { html: string };

export const cell = (c: Cell) => (typeof c === 'object' ? c.html : e(String(c)));
/** Text with long unbroken runs (ids, URLs, digests): it may break anywhere, where ordinary text breaks between words. */
export const wrap = (text: string) => ({ html: `<span class="x">${e(text)}</span>` });
/** An id (run, issue, test): kept on one line when short, so it is read whole; a long one may break anywhere. */
export const id = (text: string) => (text.length <= 28 ? { html: `<span class="nw">${e(text)}</span>` } : wrap(text));
export const code = (text: string | null) => ({ html: text ? `<code>${e(text)}</code>` : '-' });
/** ISO timestamps as people read them: minutes, UTC. */
export const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '-');

export function table(caption: string, head: string[], rows: Cell[][], cls = ''): string {
  if (!rows.length) return `<p><em>${e(caption)}: none.</em></p>`;
  const th = head.map((h) => `<th scope="col">${e(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('');
  return `<table${cls ? ` class="${cls}"` : ''}><caption>${e(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

export const list = (items: string[], none: string) =>
  items.length ? `<ul>${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>` : `<p>${e(none)}</p>`;
export const section = (title: string, body: string) => `<section><h2>${e(title)}</h2>${body}</section>`;

export function scopeSection(tcr: Tcr): string {
  const runs = tcr.scope.runs;
  return section(
    'Scope and environment',
    `<p>${e(tcr.scope.description)}; parties: ${e(tcr.scope.parties.join(', ') || 'none')}. Test plan / approach: ${e(tcr.document.testPlan)}</p>${table(
      'Runs: target and timing',
      ['Run', 'Party', 'Target', 'Counts as', 'Started', 'Finished'],
      runs.map((r) => [
        id(r.id),
        r.party,
        wrap(`${r.target} (${r.targetKind ?? 'kind not recorded'})`),
        r.evidence,
        when(r.startedAt),
        r.notStarted ? `not started: ${r.notStarted}` : r.finishedAt ? when(r.finishedAt) : 'did not finish',
      ]),
    )}${table(
      'Runs: configuration',
      ['Run', 'Suite', 'Tags', 'Mode', 'Harness', 'Node', 'Seed'],
      runs.map((r) => [id(r.id), r.suite, r.tags ?? '(whole suite)', r.mode, r.harnessVersion, r.nodeVersion, r.seed]),
    )}`,
  );
}

export function executionSection(tcr: Tcr): string {
  const x = tcr.execution;
  return section(
    'Execution',
    `${barChart('Scenarios by result', [
      { label: 'Passed', value: x.passed, colour: COLOURS.passed },
      { label: 'Failed', value: x.failed, colour: COLOURS.failed },
      { label: 'Blocked', value: x.blocked, colour: COLOURS.blocked },
      { label: 'Not run', value: x.notRun, colour: COLOURS.none },
    ])}${table('Execution figures', ['Planned', 'Run', 'Passed', 'Failed', 'Blocked', 'Not run'], [[x.planned, x.run, x.passed, x.failed, x.blocked, x.notRun]])}${x.notRunReasons.map((r) => `<p>${e(r)}</p>`).join('')}`,
  );
}

export function measuresSection(tcr: Tcr): string {
  return section(
    'Test measures',
    `${completionChart(tcr)}${table(
      'Measures per run (completion: mandated tests passed per party across the window after the run)',
      ['Run', 'Party', 'Ended', 'Counts as', 'Planned', 'Passed', 'Failed', 'Blocked', 'Not run', 'Passed on env.', 'Rehearsed only'],
      tcr.measures.map((m) => [
        id(m.runId),
        m.party,
        when(m.at),
        m.evidence,
        m.planned,
        m.passed,
        m.failed,
        m.blocked,
        m.notRun,
        m.mandatedPassedOnEnvironment,
        m.mandatedRehearsedOnly,
      ]),
      'small',
    )}`,
  );
}

export function completionSection(tcr: Tcr): string {
  return section(
    'Mandated completion by party',
    `${mandatedChart(tcr)}${table(
      'Mandated tests by party',
      ['Party', 'Test', 'Status', 'When', 'Target', 'Run'],
      tcr.partyCompletion.map((p) => [p.party, id(p.test), p.status, when(p.at), wrap(p.target), id(p.runId)]),
      'small',
    )}<p>Only runs against a real environment count; simulator runs are rehearsals. ${e(tcr.target.note)}</p>${table(
      'Go/no-go: parties not yet passed on an environment',
      ['Party', 'Mandated tests not passed', 'Of which rehearsed only', 'Expected incident volume'],
      tcr.goNoGo
        .filter((g) => g.notPassed.length)
        .map((g) => [
          g.party,
          g.notPassed.join(', '),
          g.rehearsedOnly.join(', ') || '-',
          g.expectedIncidentVolume ?? 'unknown (no migrated data)',
        ]),
    )}`,
  );
}

export function issuesSection(tcr: Tcr): string {
  if (!tcr.testingIssues.items.length) return section('Testing issues', '<p>No testing issue in scope.</p>');
  return section(
    'Testing issues',
    `${issuesChart(tcr)}${table(
      'Testing issues by severity',
      ['Severity', 'Open', 'Resolved', 'Deferred', 'Closed'],
      Object.entries(tcr.testingIssues.bySeverity).map(([s, c]) => [s, c.open, c.resolved, c.deferred, c.closed]),
    )}${table(
      'Testing issues',
      ['Issue', 'Severity', 'Status', 'Title', 'Occurrences', 'Workaround', 'Reason'],
      tcr.testingIssues.items.map((i) => [id(i.id), i.severity, i.status, i.title, i.occurrences, i.workaround ?? '', i.reason ?? '']),
    )}`,
  );
}

export function coverageSection(tcr: Tcr): string {
  const inScope = tcr.coverage.filter((c) => c.inScope);
  const count = (status: string) => inScope.filter((c) => c.status === status).length;
  return section(
    'Coverage traceability',
    `${barChart('Requirements in scope by coverage', [
      { label: 'Passed', value: count('passed'), colour: COLOURS.passed },
      { label: 'Failing', value: count('failing'), colour: COLOURS.failed },
    ])}${table(
      'Requirement to scenarios to latest result (requirements in scope)',
      ['Requirement', 'Title', 'Status', 'Scenarios (latest result)'],
      inScope.map((c) => [id(c.id), c.title, c.status, c.scenarios.map((s) => `${s.name}: ${s.status}`).join('; ')]),
    )}<p>${tcr.coverage.length - inScope.length} requirement(s) of the catalogue are outside this report's scope: no scenario in scope proves them, or they are the harness's own properties (TST-*), not the product's.</p>`,
  );
}

export function deliverablesSection(tcr: Tcr): string {
  return section(
    'Test deliverables',
    `${table(
      'Evidence packs (each file listed with its SHA-256 in the manifest; the manifest bound by a signed in-toto statement)',
      ['Run', 'Evidence pack', 'State', 'Manifest SHA-256', 'Signed statement SHA-256', 'Signing key id'],
      tcr.testDeliverables.packs.map((p) => [
        id(p.runId),
        code(p.path),
        p.state,
        code(p.manifestSha256),
        code(p.statementSha256),
        code(p.keyId),
      ]),
      'small',
    )}<p>This report: ${e(tcr.testDeliverables.report.join(', '))}${tcr.document.status === 'ISSUED' ? ', and tcr.dsse.json, its signature' : ''}.</p>`,
  );
}
