/**
 * Inline SVG charts for the dashboard (no script, no CDN): completion over the UIT window, and each
 * mandated test's state across parties. Each has a title and a description for screen readers, and
 * the dashboard gives the same figures as a table beside it.
 */
import type { Cell, Dashboard } from './model';
import { h } from './page';

const COLOURS: [Cell, string][] = [
  ['Passed', '#1e6b34'],
  ['Failed on environment', '#a4262c'],
  ['Rehearsed only', '#b7791f'],
  ['Rehearsal failed', '#7a4b8c'],
  ['Not attempted', '#6b6b6b'],
];

export function trendChart(trend: Dashboard['trend'], parties: number, window?: { from: string; to: string }): string {
  const width = 640;
  const height = 220;
  const pad = 40;
  const from = Date.parse(window?.from ?? trend[0]?.day ?? '2026-01-01');
  const to = Math.max(Date.parse(window?.to ?? trend.at(-1)?.day ?? '2026-01-01'), from + 86_400_000);
  const x = (day: string) => pad + ((Date.parse(day) - from) / (to - from)) * (width - 2 * pad);
  const y = (n: number) => height - pad - (n / Math.max(parties, 1)) * (height - 2 * pad);
  const points = trend.map((p) => `${x(p.day).toFixed(1)},${y(p.partiesComplete).toFixed(1)}`).join(' ');
  const last = trend.at(-1);
  const desc = last
    ? `On ${last.day}, ${last.partiesComplete} of ${parties} parties had passed every mandated test on a recognised environment.`
    : 'No run submitted yet.';
  return `<svg role="img" aria-labelledby="trend-title trend-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<title id="trend-title">Parties complete over the UIT window</title><desc id="trend-desc">${h(desc)}</desc>
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#1b1b1b"/>
<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#1b1b1b"/>
<text x="${pad - 6}" y="${y(parties) + 4}" text-anchor="end" font-size="12">${parties}</text>
<text x="${pad - 6}" y="${height - pad + 4}" text-anchor="end" font-size="12">0</text>
<text x="${pad}" y="${height - pad + 18}" font-size="12">${h(new Date(from).toISOString().slice(0, 10))}</text>
<text x="${width - pad}" y="${height - pad + 18}" text-anchor="end" font-size="12">${h(new Date(to).toISOString().slice(0, 10))}</text>
${trend.length > 1 ? `<polyline points="${points}" fill="none" stroke="#0b3d5c" stroke-width="2"/>` : ''}
${trend.map((p) => `<circle cx="${x(p.day).toFixed(1)}" cy="${y(p.partiesComplete).toFixed(1)}" r="3" fill="#0b3d5c"/>`).join('')}
</svg>`;
}

/** One stacked bar per mandated test: how many parties are in each state. */
export function testsChart(cells: Dashboard['cells'], mandated: string[]): string {
  const width = 640;
  const bar = 22;
  const left = 110;
  const height = mandated.length * (bar + 10) + 40;
  const parties = Math.max(new Set(cells.map((c) => c.party)).size, 1);
  const scale = (width - left - 20) / parties;
  const rows = mandated.map((test, i) => {
    let offset = left;
    const segments = COLOURS.map(([cell, colour]) => {
      const n = cells.filter((c) => c.test === test && c.cell === cell).length;
      const rect = n
        ? `<rect x="${offset.toFixed(1)}" y="${i * (bar + 10) + 10}" width="${(n * scale).toFixed(1)}" height="${bar}" fill="${colour}"><title>${h(`${test}: ${n} ${cell}`)}</title></rect>`
        : '';
      offset += n * scale;
      return rect;
    });
    return `<text x="${left - 8}" y="${i * (bar + 10) + 26}" text-anchor="end" font-size="12">${h(test)}</text>${segments.join('')}`;
  });
  const legend = COLOURS.map(
    ([cell, colour], i) =>
      `<rect x="${left + i * 105}" y="${height - 20}" width="10" height="10" fill="${colour}"/><text x="${left + i * 105 + 14}" y="${height - 11}" font-size="11">${h(cell)}</text>`,
  );
  return `<svg role="img" aria-labelledby="tests-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<title id="tests-title">Parties by state, per mandated test (the table below gives each party's)</title>${rows.join('')}${legend.join('')}</svg>`;
}
