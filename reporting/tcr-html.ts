/**
 * The Test Completion Report as one self-contained, accessible HTML page, in the order of
 * ISO/IEC/IEEE 29119-3's Test Completion Report, with inline SVG charts. Its first screen (and the
 * PDF's first page) says the document's id, version and status (DRAFT or ISSUED) and which kind of
 * target the runs were. Tables wrap inside the page width: nothing is cut when Chromium prints it.
 */
import { escapeHtml as e } from '../simulators/http/html';
import {
  completionSection,
  coverageSection,
  deliverablesSection,
  executionSection,
  id,
  issuesSection,
  list,
  measuresSection,
  scopeSection,
  section,
  table,
  when,
} from './tcr-html-sections';
import type { Tcr } from './tcr';

/** The first page: what the document is, its status, which kind of target, and the summary. */
function frontPage(tcr: Tcr): string {
  const d = tcr.document;
  const a = tcr.approval;
  const rows: [string, string][] = [
    ['Document id', d.id],
    ['Version', d.version],
    ['Status', d.status],
    ['Date', when(a.issuedAt ?? tcr.generatedAt)],
    ['Issuing organisation', d.issuingOrganisation],
    ['Prepared by', a.preparedBy],
    ['Reviewer', a.reviewer ?? '(to be named when issued)'],
    ['Approver', a.approver ?? '(to be named when issued)'],
    ['Distribution', d.distribution.join('; ')],
    ['Test plan / approach', d.testPlan],
  ];
  const facts = rows.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`).join('');
  return `<header><p class="status ${d.status}">${d.status}</p><h1>${e(tcr.title)}</h1>
<table class="facts"><caption>Document identification (ISO/IEC/IEEE 29119-3 Test Completion Report)</caption><tbody>${facts}</tbody></table>
<p class="${tcr.target.environmentRuns ? 'target' : 'unmet'}" role="note"><strong>${e(tcr.target.headline)}</strong>${tcr.target.environmentRuns ? ` ${e(tcr.target.note)}` : ''}</p>${section(
    'Summary',
    `<p class="${tcr.summary.exitCriteriaMet ? 'met' : 'unmet'}">${e(tcr.summary.text)}</p>${tcr.complete ? '' : '<p class="unmet" role="alert">Incomplete: a run in scope did not finish. The figures cover what was recorded.</p>'}${list(glance(tcr), '')}`,
  )}</header>`;
}

/** The summary's figures, for whoever reads only the first page. */
/** Why a run's own draft counts its pack as not sealed yet: the pack is sealed after it, with it inside. */
const UNSEALED_NOTE = ` (a run's own report is written just before its pack is sealed, and travels in it; \`fsm-harness verify\` checks the pack).`;

function glance(tcr: Tcr): string[] {
  const passed = tcr.partyCompletion.filter((r) => r.passed).length;
  const rehearsed = tcr.partyCompletion.filter((r) => !r.passed && r.rehearsed).length;
  const total = tcr.goNoGo.reduce((n, g) => n + g.notPassed.length, 0) + passed;
  const packs = tcr.testDeliverables.packs.filter((p) => p.state === 'sealed').length;
  return [
    `Exit criteria: ${tcr.exitCriteria.map((c) => `${c.id} ${c.met ? 'met' : 'NOT MET'}`).join(', ')}.`,
    `Mandated tests (party x test): ${passed} of ${total} passed on an environment, ${rehearsed} rehearsed only.`,
    `Testing issues open: ${tcr.testingIssues.items.filter((i) => i.status === 'open').length}. Residual risks: ${tcr.residualRisks.length}. Factors that blocked progress: ${tcr.blockingFactors.length}.`,
    `Evidence: ${packs} of ${tcr.testDeliverables.packs.length} run(s) sealed in signed evidence packs by the time of this report${packs < tcr.testDeliverables.packs.length ? UNSEALED_NOTE : '.'}`,
  ];
}

export function renderTcrHtml(tcr: Tcr): string {
  const sections = [
    scopeSection(tcr),
    executionSection(tcr),
    section(
      'Deviations',
      table(
        'Deviations from the planned testing',
        ['Scenario', 'Kind', 'Detail'],
        tcr.deviations.map((d) => [d.scenario, d.kind, d.detail]),
      ),
    ),
    section(
      'Exit criteria',
      table(
        'Test completion evaluation: exit criteria',
        ['Criterion', 'Description', 'Met', 'Evidence'],
        tcr.exitCriteria.map((c) => [id(c.id), c.description, c.met ? 'Met' : 'NOT MET', c.evidence]),
      ),
    ),
    section('Factors that blocked progress', list(tcr.blockingFactors, 'None recorded.')),
    measuresSection(tcr),
    completionSection(tcr),
    issuesSection(tcr),
    coverageSection(tcr),
    section(
      'Residual risks',
      `${list(tcr.residualRisks, 'None identified for the requirements in scope.')}${tcr.assumptions.map((a) => `<p><strong>Assumption:</strong> ${e(a)}</p>`).join('')}`,
    ),
    deliverablesSection(tcr),
    section('Reusable test assets', list(tcr.reusableAssets, 'None.')),
    section('Lessons learned', list(tcr.lessonsLearned, 'None recorded.')),
    section(
      'Change history',
      table(
        'Change history',
        ['Version', 'Date', 'By', 'Change'],
        tcr.document.changeHistory.map((c) => [c.version, when(c.date), c.by, c.change]),
      ),
    ),
    section(
      'Approval',
      table(
        'Approval',
        ['Status', 'Prepared by', 'Reviewer', 'Approver', 'Issued'],
        [
          [
            tcr.document.status,
            tcr.approval.preparedBy,
            tcr.approval.reviewer ?? '(to sign)',
            tcr.approval.approver ?? '(to sign)',
            when(tcr.approval.issuedAt),
          ],
        ],
      ),
    ),
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(`${tcr.document.id} ${tcr.document.status}: ${tcr.title}`)}</title>
<style>${STYLE}</style></head>
<body>${frontPage(tcr)}<main>${sections.join('\n')}</main></body></html>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;max-width:70rem;margin:1.5rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
.x,code{overflow-wrap:anywhere}.nw{white-space:nowrap}
table.small{font-size:.88em}table.facts th{width:12rem;background:#f3f3f3}
caption{text-align:left;font-weight:600;padding:.3rem 0}code{font:.85em ui-monospace,monospace}
.met{color:#1b7f3b;font-weight:600}.unmet{color:#b00020;font-weight:600}
.status{display:inline-block;border:3px solid;padding:.1rem .7rem;font-weight:700;font-size:1.5rem;letter-spacing:.12em;margin:0}
.status.DRAFT{color:#8a4f00}.status.ISSUED{color:#1b7f3b}
figure{margin:.5rem 0 1rem;break-inside:avoid}svg{max-width:100%;height:auto}
.legend span{white-space:nowrap;font-weight:400}.legend i{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 .9em;vertical-align:middle}
@page{size:A4}
@media print{body{font-size:10.5px;max-width:none;margin:0;padding:0}h2{break-after:avoid}tr,figure,caption{break-inside:avoid}header{break-after:page}}`;
