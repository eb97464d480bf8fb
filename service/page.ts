/** The dashboard's page frame: one stylesheet inline (no CDN: the network may be offline), every value escaped. */
import { escapeHtml } from '../simulators/http/html';

export const h = (value: unknown) => escapeHtml(String(value ?? ''));

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff;line-height:1.4}
header,main{padding:0 1.5rem}header{background:#0b3d5c;color:#fff;padding:1rem 1.5rem}header a{color:#fff}
h1{margin:0;font-size:1.6rem}h2{margin-top:2rem;border-bottom:2px solid #0b3d5c}
.counts{border-left:6px solid #0b3d5c;background:#eef4f8;padding:.75rem 1rem;margin:1rem 0}
.nogo{border-left-color:#a4262c;background:#fbeeee}.go{border-left-color:#1e6b34;background:#ecf6ee}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #8a8a8a;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#e8e8e8}caption{text-align:left;font-weight:600;padding:.3rem 0}
.Passed{background:#d7efdc}.Failed-on-environment,.Rehearsal-failed{background:#f8d7d7}.Rehearsed-only{background:#fff1c2}
code,.hash{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-all}
a{color:#0b4f7c}nav a{margin-right:1rem}figure{margin:1rem 0}figcaption{font-weight:600}
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title><style>${STYLE}</style></head>
<body><header><p><a href="/">DCC completion service</a></p><h1>${h(title)}</h1></header>
<main>${body}</main></body></html>`;
}

export const cellClass = (text: string) => text.replace(/[^A-Za-z]+/g, '-');
