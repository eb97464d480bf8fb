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

export function trendChart(trend: Dashboard['trend'], parties: number, tests: number, window?: { from: string; to: string }): string {
  const width = 640;
  const height = 220;
  const pad = 44;
  const from = Date.parse(window?.from ?? trend[0]?.day ?? '2026-01-01');
  const to = Math.max(Date.parse(window?.to ?? trend.at(-1)?.day ?? '2026-01-01'), from + 86_400_000);
  const x = (day: string) => pad + ((Date.parse(day) - from) / (to - from)) * (width - 2 * pad);
  const y = (share: number) => height - pad - share * (height - 2 * pad);
  const series = [
    {
      label: 'Mandated tests passed',
      colour: '#1e6b34',
      share: (p: Dashboard['trend'][number]) => p.testsPassed / Math.max(parties * tests, 1),
    },
    { label: 'Parties complete', colour: '#0b3d5c', share: (p: Dashboard['trend'][number]) => p.partiesComplete / Math.max(parties, 1) },
  ];
  const lines = series.map((s) => {
    const points = trend.map((p) => `${x(p.day).toFixed(1)},${y(s.share(p)).toFixed(1)}`);
    const dots = points.map((pt) => `<circle cx="${pt.split(',')[0]}" cy="${pt.split(',')[1]}" r="3.5" fill="${s.colour}"/>`).join('');
    return `${points.length > 1 ? `<polyline points="${points.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2"/>` : ''}${dots}`;
  });
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${pad + 10 + i * 190}" y="8" width="10" height="10" fill="${s.colour}"/><text x="${pad + 24 + i * 190}" y="17" font-size="12">${s.label}</text>`,
    )
    .join('');
  const last = trend.at(-1);
  const desc = last
    ? `On ${last.day}, ${last.partiesComplete} of ${parties} parties had passed every mandated test on a recognised environment, and ${last.testsPassed} of ${parties * tests} mandated tests were passed.`
    : 'No run submitted yet.';
  return `<svg role="img" aria-labelledby="trend-title trend-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<title id="trend-title">Parties complete over the UIT window</title><desc id="trend-desc">${h(desc)}</desc>
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#1b1b1b"/>
<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#1b1b1b"/>
<text x="${pad - 6}" y="${y(1) + 4}" text-anchor="end" font-size="12">100%</text>${legend}
<text x="${pad - 6}" y="${height - pad + 4}" text-anchor="end" font-size="12">0%</text>
<text x="${pad}" y="${height - pad + 18}" font-size="12">${h(new Date(from).toISOString().slice(0, 10))}</text>
<text x="${width - pad}" y="${height - pad + 18}" text-anchor="end" font-size="12">${h(new Date(to).toISOString().slice(0, 10))}</text>
${lines.join('')}
</svg>`;
}

/** One stacked bar per mandated test: how many parties are in each state. */
export function testsChart(cells: Dashboard['cells'], mandated: string[]): string {
  const width = 720;
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
  // The legend starts at the left edge, and allows 7 px a character: at 6.5 from the bars' edge its last label was cut.
  let at = 10;
  const legend = COLOURS.map(([cell, colour]) => {
    const item = `<rect x="${at}" y="${height - 20}" width="10" height="10" fill="${colour}"/><text x="${at + 14}" y="${height - 11}" font-size="11">${h(cell)}</text>`;
    at += 24 + cell.length * 7;
    return item;
  });
  return `<svg role="img" aria-labelledby="tests-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<title id="tests-title">Parties by state, per mandated test (the table below gives each party's)</title>${rows.join('')}${legend.join('')}</svg>`;
}
