/**
 * The portal's page shell and the fragments every portal page is made of: a skip link, a navigation
 * landmark naming only what the person's roles allow, one h1, a status message, form fields with
 * their labels and errors, and tables with captions. Plain server-rendered HTML, WCAG 2.1 AA.
 */
import { errorSummary, fieldError, type FormError } from '../http/forms';
import { escapeHtml as e } from '../http/html';
import type { SpPaths } from './sp-paths';

export type { FormError };

/** Who is looking at a page, and the token its forms must carry. */
export interface Viewer {
  name: string;
  partyName: string;
  components: ReadonlySet<string>;
  csrf: string;
  /** The Service Portal's addresses, under the configured prefix. */
  sp: SpPaths;
}

/** The header's menu: what each entry needs to be offered; the tiles on the home page follow it. */
export const NAV: { href: (sp: SpPaths) => string; label: string; component: string }[] = [
  { href: (sp) => sp.home, label: 'Home', component: 'portal.access' },
  { href: (sp) => sp.page('list', { table: 'incident' }), label: 'Incidents', component: 'incidents.read' },
  { href: (sp) => sp.page('sc_home'), label: 'Service catalogue', component: 'requests.read' },
  { href: (sp) => sp.page('my_requests'), label: 'My requests', component: 'requests.read' },
  { href: (sp) => sp.page('kb_search'), label: 'Knowledge', component: 'knowledge.read' },
  { href: () => '/portal/users', label: 'Users', component: 'accounts.read' },
  { href: () => '/portal/oms', label: 'Communications Hubs', component: 'oms.read' },
  { href: (sp) => sp.page('user_profile'), label: 'Your profile', component: 'portal.access' },
];

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f4f5f7}
header{background:#032d42;color:#fff;padding:.25rem 1.5rem}header a{color:#fff;text-decoration:none}header a:hover{text-decoration:underline}
.bar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1.5rem}
.brand{font-size:1.15rem;font-weight:700;margin:.5rem 0}.brand small{font-weight:400;opacity:.85}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:.25rem 0;padding:0}
.who{display:flex;align-items:center;gap:1rem;font-size:.9rem}.who form button{margin:0;padding:.25rem .75rem}
main{max-width:64rem;margin:1.5rem auto;padding:1rem 1.5rem;background:#fff;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
label{display:block;font-weight:600;margin-top:1rem}label.choice{font-weight:400;margin-top:.25rem}
input,select,textarea{font:inherit;padding:.4rem;max-width:100%;box-sizing:border-box;border:1px solid #555;border-radius:3px}
input[type=text],input[type=email],input[type=password],input[type=number],input[type=date],input[type=search],select,textarea{width:100%}
button{font:inherit;margin-top:1rem;padding:.5rem 1rem;background:#0b3d62;color:#fff;border:0;border-radius:3px;cursor:pointer}
button.secondary{background:#fff;color:#0b3d62;border:1px solid #0b3d62}
:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
.error{color:#b00020;font-weight:600}.status{background:#e6f4ea;border-left:4px solid #1e7b34;padding:.5rem 1rem}
table{border-collapse:collapse;width:100%;margin-top:1rem}th,td{border-bottom:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:600}.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;color:#000;padding:.5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}.hint{display:block;color:#3d3d3d;font-size:.9rem}
.hero{background:#0b3d62;color:#fff;margin:0 0 1rem;padding:1.25rem 1.5rem;border-radius:6px}.hero label{margin-top:0}
.hero form{display:flex;gap:.5rem;align-items:flex-end;flex-wrap:wrap}.hero input{flex:1 1 20rem;width:auto}.hero button{margin:0;background:#f0b400;color:#1b1b1b}
.tiles{list-style:none;display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:1rem;padding:0;margin:1rem 0}
.tiles a{display:block;height:100%;box-sizing:border-box;padding:1rem;border:1px solid #c8ccd2;border-radius:6px;color:#0b3d62;text-decoration:none;background:#fff}
.tiles a:hover{border-color:#0b3d62;box-shadow:0 2px 6px rgba(0,0,0,.15)}.tiles strong{display:block;font-size:1.1rem}.tiles span{color:#3d3d3d;font-size:.9rem}
.widgets{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1.5rem}
.stream{list-style:none;padding:0}.stream li{border-left:4px solid #0b3d62;background:#f4f5f7;margin:.5rem 0;padding:.5rem .75rem}
.stream li.change{border-left-color:#6b6b6b}.stream li.file{border-left-color:#1e7b34}.stream .meta{font-size:.9rem;color:#3d3d3d;display:block}
.columns dl{grid-template-columns:1fr;gap:0}.columns dd{margin:0 0 .5rem}.columns caption{font-size:1.25rem;margin-top:1rem}
.columns{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:1.5rem}@media (max-width:48rem){.columns{grid-template-columns:1fr}}`;

/** `prompt` marks a sign-in page with the login step it asks for and its MFA method, as DCC Identity's pages do. */
export function portalPage(
  viewer: Viewer | undefined,
  title: string,
  body: string,
  status?: string,
  prompt?: { name: string; method: string },
): string {
  const nav = viewer
    ? `<div class="bar"><nav aria-label="Main"><ul>${NAV.filter((n) => viewer.components.has(n.component))
        .map((n) => `<li><a href="${e(n.href(viewer.sp))}">${e(n.label)}</a></li>`)
        .join('')}</ul></nav>
<div class="who"><p>Signed in as ${e(viewer.name)} (${e(viewer.partyName)})</p>
<form method="post" action="/portal/logout">${csrfInput(viewer)}<button type="submit" class="secondary">Sign out</button></form></div></div>`
    : '';
  const notice = status ? `<p class="status" role="status">${e(status)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} - DCC Future Service Management</title><style>${STYLE}</style></head>
<body><a class="skip" href="#main">Skip to main content</a>
<header><p class="brand">${viewer ? `<a href="${e(viewer.sp.home)}">DCC Future Service Management</a>` : 'DCC Future Service Management'} <small>(simulator)</small></p>${nav}</header>
<main id="main" tabindex="-1"${prompt ? ` data-prompt="${e(prompt.name)}" data-method="${e(prompt.method)}"` : ''}><h1>${e(title)}</h1>${notice}${body}</main></body></html>`;
}

export function csrfInput(viewer: { csrf: string }): string {
  return `<input type="hidden" name="csrf" value="${e(viewer.csrf)}">`;
}

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'textarea' | 'file';
  value?: string;
  required?: boolean;
  hint?: string;
  autocomplete?: string;
  attrs?: string;
}

/** A labelled field with its hint and, when the error names it, the error next to it. */
export function field(spec: FieldSpec, error?: FormError): string {
  const id = `f-${spec.name}`;
  const { attrs, note } = fieldError(id, spec.name, error);
  const hintId = spec.hint ? `${id}-hint` : '';
  const described = spec.hint && !attrs ? ` aria-describedby="${hintId}"` : '';
  const common = `id="${id}" name="${e(spec.name)}"${spec.required === false ? '' : ' required'}${attrs}${described}${spec.autocomplete ? ` autocomplete="${spec.autocomplete}"` : ''}${spec.attrs ? ` ${spec.attrs}` : ''}`;
  const control =
    spec.type === 'textarea'
      ? `<textarea ${common} rows="4">${e(spec.value ?? '')}</textarea>`
      : `<input ${common} type="${spec.type ?? 'text'}"${spec.type === 'file' ? '' : ` value="${e(spec.value ?? '')}"`}>`;
  const hint = spec.hint ? `<span class="hint" id="${hintId}">${e(spec.hint)}</span>` : '';
  return `<label for="${id}">${e(spec.label)}</label>${hint}${control}${note}`;
}

export function select(
  name: string,
  label: string,
  options: { value: string; label: string }[],
  selected = '',
  error?: FormError,
  multiple = false,
): string {
  const id = `f-${name}`;
  const { attrs, note } = fieldError(id, name, error);
  const chosen = new Set(selected.split(','));
  const opts = options.map((o) => `<option value="${e(o.value)}"${chosen.has(o.value) ? ' selected' : ''}>${e(o.label)}</option>`).join('');
  return `<label for="${id}">${e(label)}</label><select id="${id}" name="${e(name)}"${multiple ? ' multiple' : ''}${attrs}>${opts}</select>${note}`;
}

/** A form posting to `action` with the CSRF token, the error summary and a submit button. */
export function form(
  viewer: { csrf: string },
  action: string,
  fields: string,
  submit: string,
  error?: FormError,
  multipart = false,
): string {
  const enctype = multipart ? ' enctype="multipart/form-data"' : '';
  return `${errorSummary(error)}<form method="post" action="${e(action)}"${enctype}>${csrfInput(viewer)}${fields}<button type="submit">${e(submit)}</button></form>`;
}

/** A one-button form: an action on a record (confirm, accept, reinstate...). */
export function actionButton(viewer: { csrf: string }, action: string, label: string, hidden: Record<string, string> = {}): string {
  const inputs = Object.entries(hidden)
    .map(([k, v]) => `<input type="hidden" name="${e(k)}" value="${e(v)}">`)
    .join('');
  return `<form method="post" action="${e(action)}">${csrfInput(viewer)}${inputs}<button type="submit">${e(label)}</button></form>`;
}

/** A table with a caption and header cells; cells are HTML the caller has escaped. */
export function table(caption: string, headers: string[], rows: string[][], empty = 'None yet.'): string {
  if (rows.length === 0) return `<p>${e(caption)}: ${e(empty)}</p>`;
  const head = headers.map((h) => `<th scope="col">${e(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  return `<table><caption>${e(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A description list of label and value pairs (values escaped here). */
export function details(pairs: [string, string][]): string {
  return `<dl>${pairs.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`;
}

export function link(href: string, text: string): string {
  return `<a href="${e(href)}">${e(text)}</a>`;
}
