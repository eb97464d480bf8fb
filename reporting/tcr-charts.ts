/**
 * The TCR's charts as inline SVG (no script, no CDN: the HTML and the PDF carry them): bars of
 * counts, the results of each mandated test by party, completion over time, issues by severity.
 * Each has a text alternative (role="img", aria-label) and a caption; the tables beside them hold the figures.
 */
import { escapeHtml as e } from '../simulators/http/html';
import type { Tcr } from './tcr';

export const COLOURS = {
  passed: '#1b7f3b',
  failed: '#b00020',
  blocked: '#b26a00',
  rehearsed: '#3d6fb6',
  none: '#8a8a8a',
} as const;

const figure = (title: string, width: number, height: number, body: string, legend = '') =>
  `<figure><svg role="img" aria-label="${e(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-size="12" font-family="system-ui,sans-serif">${body}</svg><figcaption>${e(title)}${legend}</figcaption></figure>`;

const legendOf = (items: [string, string][]) =>
  ` <span class="legend">${items.map(([label, colour]) => `<span><i style="background:${colour}"></i>${e(label)}</span>`).join('')}</span>`;

export function barChart(title: string, bars: { label: string; value: number; colour: string }[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars
    .map((b, i) => {
      const width = Math.round((b.value / max) * 300);
      const y = i * 26;
      return `<text x="0" y="${y + 16}">${e(b.label)}</text><rect x="110" y="${y + 4}" width="${width}" height="16" fill="${b.colour}"></rect><text x="${116 + width}" y="${y + 16}">${b.value}</text>`;
    })
    .join('');
  return figure(title, 460, bars.length * 26 + 4, rows);
}

const CELL: Record<string, [string, string]> = {
  'passed on environment (unconfirmed)': ['passed', COLOURS.passed],
  'failed on environment': ['failed', COLOURS.failed],
  'rehearsed, not complete': ['rehearsed', COLOURS.rehearsed],
  'rehearsal failed': ['rehearsal failed', COLOURS.blocked],
};

/** A grid: a row per party, a column per mandated test, each cell coloured by the test's status for the party. */
export function mandatedChart(tcr: Tcr): string {
  const tests = [...new Set([...tcr.goNoGo.flatMap((g) => g.notPassed), ...tcr.partyCompletion.map((r) => r.test)])].sort();
  const parties = tcr.scope.parties;
  if (!tests.length || !parties.length) return '<p><em>Results by mandated test and party: no mandated test in scope.</em></p>';
  const [left, cellW, cellH] = [210, 96, 24];
  const cells = parties.flatMap((party, row) =>
    tests.map((test, col) => {
      const status = tcr.partyCompletion.find((r) => r.party === party && r.test === test)?.status;
      const [label, colour] = (status && CELL[status]) || ['not attempted', COLOURS.none];
      const [x, y] = [left + col * cellW, 22 + row * cellH];
      return `<rect x="${x}" y="${y}" width="${cellW - 3}" height="${cellH - 3}" fill="${colour}"><title>${e(`${party}, ${test}: ${label}`)}</title></rect><text x="${x + 5}" y="${y + 15}" fill="#fff">${e(label)}</text>`;
    }),
  );
  const heads = tests.map((t, col) => `<text x="${left + col * cellW}" y="14" font-weight="600">${e(t)}</text>`);
  const names = parties.map((p, row) => `<text x="0" y="${22 + row * cellH + 15}">${e(p.length > 32 ? `${p.slice(0, 31)}…` : p)}</text>`);
  const legend = legendOf(Object.values(CELL).concat([['not attempted', COLOURS.none]]));
  return figure(
    'Results by mandated test and party',
    left + tests.length * cellW,
    26 + parties.length * cellH,
    [...heads, ...names, ...cells].join(''),
    legend,
  );
}

/** Two step lines over the runs in order: mandated tests (party x test) passed on an environment, and rehearsed only. */
export function completionChart(tcr: Tcr): string {
  const points = tcr.measures;
  if (!points.length) return '<p><em>Completion over time: no run in scope reached its target.</em></p>';
  const total = Math.max(
    1,
    tcr.scope.parties.length * new Set(tcr.partyCompletion.map((r) => r.test).concat(tcr.goNoGo.flatMap((g) => g.notPassed))).size,
  );
  const [w, h, left, top] = [600, 140, 40, 10];
  const x = (i: number) => left + (points.length === 1 ? (w - left) / 2 : (i * (w - left - 10)) / (points.length - 1));
  const y = (v: number) => top + h - (v / total) * h;
  const line = (value: (p: (typeof points)[number]) => number, colour: string) =>
    `<polyline fill="none" stroke="${colour}" stroke-width="2.5" points="${points.map((p, i) => `${x(i)},${y(value(p))}`).join(' ')}"></polyline>` +
    points
      .map(
        (p, i) => `<circle cx="${x(i)}" cy="${y(value(p))}" r="3" fill="${colour}"><title>${e(`${p.runId}: ${value(p)}`)}</title></circle>`,
      )
      .join('');
  const axis = `<line x1="${left}" y1="${top + h}" x2="${w}" y2="${top + h}" stroke="#666"></line><line x1="${left}" y1="${top}" x2="${left}" y2="${top + h}" stroke="#666"></line><text x="0" y="${top + 10}">${total}</text><text x="0" y="${top + h}">0</text>`;
  const ends = points.length === 1 ? [points[0]] : [points[0], points.at(-1)];
  const dates = ends.map((p, i) => {
    const at = points.length === 1 ? x(0) - 50 : i ? w - 120 : left;
    return `<text x="${at}" y="${top + h + 16}">${e(p?.at.slice(0, 16).replace('T', ' ') ?? '')}</text>`;
  });
  return figure(
    `Completion over time: mandated tests passed per party, of ${total}, after each of ${points.length} run(s)`,
    w,
    h + 30,
    axis +
      dates.join('') +
      line((p) => p.mandatedRehearsedOnly, COLOURS.rehearsed) +
      line((p) => p.mandatedPassedOnEnvironment, COLOURS.passed),
    legendOf([
      ['passed on an environment', COLOURS.passed],
      ['rehearsed only', COLOURS.rehearsed],
    ]),
  );
}

/** A stacked bar per severity: open, resolved, deferred, closed. */
export function issuesChart(tcr: Tcr): string {
  const statuses: [keyof Tcr['testingIssues']['bySeverity'][string], string][] = [
    ['open', COLOURS.failed],
    ['deferred', COLOURS.blocked],
    ['resolved', COLOURS.passed],
    ['closed', COLOURS.none],
  ];
  const rows = Object.entries(tcr.testingIssues.bySeverity);
  const max = Math.max(1, ...rows.map(([, c]) => c.open + c.resolved + c.deferred + c.closed));
  const bars = rows
    .map(([severity, counts], i) => {
      let x = 90;
      const y = i * 24;
      const parts = statuses.map(([status, colour]) => {
        const width = Math.round((counts[status] / max) * 320);
        const rect = width
          ? `<rect x="${x}" y="${y + 3}" width="${width}" height="16" fill="${colour}"><title>${e(`severity ${severity}: ${counts[status]} ${status}`)}</title></rect>`
          : '';
        x += width;
        return rect;
      });
      const total = counts.open + counts.resolved + counts.deferred + counts.closed;
      return `<text x="0" y="${y + 15}">Severity ${e(severity)}</text>${parts.join('')}<text x="${x + 6}" y="${y + 15}">${total}</text>`;
    })
    .join('');
  return figure('Testing issues by severity', 460, rows.length * 24 + 4, bars, legendOf(statuses.map(([s, c]) => [s, c])));
}
