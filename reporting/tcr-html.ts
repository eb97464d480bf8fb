/** The Test Completion Report as one self-contained, accessible HTML page, with SVG charts. */
import { escapeHtml as e } from '../simulators/http/html';
import type { Tcr } from './tcr';

const STATUS_COLOURS: Record<string, string> = { passed: '#1b7f3b', failed: '#b00020', blocked: '#b26a00', notRun: '#6b6b6b' };

function barChart(title: string, bars: { label: string; value: number; colour: string }[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars
    .map((b, i) => {
      const width = Math.round((b.value / max) * 300);
      const y = i * 28;
      return `<text x="0" y="${y + 17}">${e(b.label)}</text><rect x="110" y="${y + 4}" width="${width}" height="18" fill="${b.colour}"></rect><text x="${118 + width}" y="${y + 17}">${b.value}</text>`;
    })
    .join('');
  return `<figure><svg role="img" aria-label="${e(title)}" width="460" height="${bars.length * 28 + 4}" font-size="13">${rows}</svg><figcaption>${e(title)}</figcaption></figure>`;
}

function table(caption: string, head: string[], rows: (string | number)[][]): string {
  if (!rows.length) return `<p><em>${e(caption)}: none.</em></p>`;
  const th = head.map((h) => `<th scope="col">${e(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${e(String(c))}</td>`).join('')}</tr>`).join('');
  return `<table><caption>${e(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

export function renderTcrHtml(tcr: Tcr): string {
  const x = tcr.execution;
  const coverageCounts = ['passed', 'failing', 'uncovered'].map((status) => tcr.coverage.filter((c) => c.status === status).length);
  const sections = [
    `<section><h2>Summary</h2><p class="${tcr.summary.exitCriteriaMet ? 'met' : 'unmet'}">${e(tcr.summary.text)}</p>${tcr.complete ? '' : '<p class="unmet" role="alert">Incomplete: a run in scope did not finish. The figures cover what was recorded.</p>'}</section>`,
    `<section><h2>Scope and environment</h2><p>${e(tcr.scope.description)}; parties: ${e(tcr.scope.parties.join(', ') || 'none')}.</p>${table(
      'Runs',
      ['Run', 'Party', 'Target', 'Counts as', 'Suite', 'Mode', 'Started', 'Finished', 'Harness', 'Node', 'Seed'],
      tcr.scope.runs.map((r) => [
        r.id,
        r.party,
        `${r.target} (${r.targetKind ?? 'kind not recorded'})`,
        r.evidence,
        r.suite,
        r.mode,
        r.startedAt,
        r.notStarted ? `not started: ${r.notStarted}` : (r.finishedAt ?? 'did not finish'),
        r.harnessVersion,
        r.nodeVersion,
        r.seed,
      ]),
    )}</section>`,
    `<section><h2>Execution</h2>${barChart('Scenarios by result', [
      { label: 'Passed', value: x.passed, colour: STATUS_COLOURS.passed ?? '' },
      { label: 'Failed', value: x.failed, colour: STATUS_COLOURS.failed ?? '' },
      { label: 'Blocked', value: x.blocked, colour: STATUS_COLOURS.blocked ?? '' },
      { label: 'Not run', value: x.notRun, colour: STATUS_COLOURS.notRun ?? '' },
    ])}${table('Execution figures', ['Planned', 'Run', 'Passed', 'Failed', 'Blocked', 'Not run'], [[x.planned, x.run, x.passed, x.failed, x.blocked, x.notRun]])}${x.notRunReasons.map((r) => `<p>${e(r)}</p>`).join('')}</section>`,
    `<section><h2>Deviations</h2>${table(
      'Deviations',
      ['Scenario', 'Kind', 'Detail'],
      tcr.deviations.map((d) => [d.scenario, d.kind, d.detail]),
    )}</section>`,
    `<section><h2>Exit criteria</h2>${table(
      'Exit criteria',
      ['Criterion', 'Description', 'Met', 'Evidence'],
      tcr.exitCriteria.map((c) => [c.id, c.description, c.met ? 'Met' : 'NOT MET', c.evidence]),
    )}</section>`,
    `<section><h2>Testing issues</h2>${table(
      'Testing issues by severity',
      ['Severity', 'Open', 'Resolved', 'Deferred', 'Closed'],
      Object.entries(tcr.testingIssues.bySeverity).map(([s, c]) => [s, c.open, c.resolved, c.deferred, c.closed]),
    )}${table(
      'Testing issues',
      ['Issue', 'Severity', 'Status', 'Title', 'Occurrences', 'Workaround', 'Reason'],
      tcr.testingIssues.items.map((i) => [i.id, i.severity, i.status, i.title, i.occurrences, i.workaround ?? '', i.reason ?? '']),
    )}</section>`,
    `<section><h2>Coverage traceability</h2>${barChart('Requirements by coverage', [
      { label: 'Passed', value: coverageCounts[0] ?? 0, colour: STATUS_COLOURS.passed ?? '' },
      { label: 'Failing', value: coverageCounts[1] ?? 0, colour: STATUS_COLOURS.failed ?? '' },
      { label: 'Uncovered', value: coverageCounts[2] ?? 0, colour: STATUS_COLOURS.notRun ?? '' },
    ])}${table(
      'Requirement to scenarios to latest result',
      ['Requirement', 'Title', 'Status', 'Scenarios (latest result)'],
      tcr.coverage.map((c) => [c.id, c.title, c.status, c.scenarios.map((s) => `${s.name}: ${s.status}`).join('; ') || '-']),
    )}</section>`,
    `<section><h2>Mandated completion by party</h2>${table(
      'Mandated tests by party',
      ['Party', 'Test', 'Passed on an environment', 'Rehearsed', 'Status', 'When', 'Target', 'Run'],
      tcr.partyCompletion.map((p) => [
        p.party,
        p.test,
        p.passed ? 'yes' : 'no',
        p.rehearsed ? 'yes' : 'no',
        p.status,
        p.at,
        p.target,
        p.runId,
      ]),
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
    )}</section>`,
    `<section><h2>Residual risks</h2>${tcr.residualRisks.length ? `<ul>${tcr.residualRisks.map((r) => `<li>${e(r)}</li>`).join('')}</ul>` : '<p>None identified.</p>'}${tcr.assumptions.map((a) => `<p><strong>Assumption:</strong> ${e(a)}</p>`).join('')}</section>`,
    `<section><h2>Approval</h2>${table('Approval', ['Status', 'Prepared by', 'Reviewer', 'Approver'], [[tcr.approval.status, tcr.approval.preparedBy, tcr.approval.reviewer ?? '(to sign)', tcr.approval.approver ?? '(to sign)']])}</section>`,
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(tcr.title)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:70rem;margin:1.5rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:600;padding:.3rem 0}.met{color:#1b7f3b;font-weight:600}.unmet{color:#b00020;font-weight:600}
section{page-break-inside:avoid}</style></head>
<body><header><h1>${e(tcr.title)}</h1><p>Generated ${e(tcr.generatedAt)} by the FSM Test Harness. Status: <strong>${e(tcr.approval.status.toUpperCase())}</strong>.</p><p class="${tcr.target.environmentRuns ? 'target' : 'unmet'}" role="note"><strong>${e(tcr.target.headline)}</strong>${tcr.target.environmentRuns ? ` ${e(tcr.target.note)}` : ''}</p></header><main>${sections.join('\n')}</main></body></html>`;
}
