/**
 * Server-rendered pages of the identity provider's sign-in: plain, accessible HTML (a label for every
 * field, errors announced and shown next to their field), built from the login pipeline's prompts.
 */
import type { Prompt, PromptField } from '../services/login-checks';
import { escapeHtml as e } from '../http/html';

export interface FormError {
  message: string;
  field?: string;
}

/** `name` marks the page with the login step it asks for (data-prompt), for assistive tooling and test agents. */
export function page(title: string, body: string, name = '', method = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} - DCC Identity</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
label{display:block;font-weight:600;margin-top:1rem}input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}
.error{color:#b00020;font-weight:600}button{font:inherit;margin-top:1rem;padding:.5rem 1rem}</style></head>
<body><main data-prompt="${e(name)}" data-method="${e(method)}"><h1>${e(title)}</h1>${body}</main></body></html>`;
}

function errorSummary(error?: FormError): string {
  return error ? `<p class="error" role="alert" id="form-error">${e(error.message)}</p>` : '';
}

function fieldHtml(field: PromptField, error?: FormError): string {
  const id = `f-${field.name}`;
  const invalid = error?.field === field.name;
  const describedBy = invalid ? ` aria-invalid="true" aria-describedby="${id}-error"` : '';
  const note = invalid ? `<span class="error" id="${id}-error">${e(error.message)}</span>` : '';
  if (field.type === 'choice') {
    const options = (field.choices ?? [])
      .map((c, i) => `<label><input type="radio" name="${e(field.name)}" value="${e(c.value)}"${i === 0 ? ' checked' : ''}> ${e(c.label)}</label>`)
      .join('');
    return `<fieldset${describedBy}><legend>${e(field.label)}</legend>${options}${note}</fieldset>`;
  }
  const type = field.type === 'password' ? 'password' : 'text';
  const extra = field.type === 'code' ? ' inputmode="numeric" autocomplete="one-time-code"' : field.type === 'password' ? ' autocomplete="new-password"' : '';
  return `<label for="${id}">${e(field.label)}</label><input id="${id}" name="${e(field.name)}" type="${type}"${extra}${describedBy} required>${note}`;
}

export function loginPage(title: string, action: string, csrf: string, error?: FormError, username = ''): string {
  return page(
    title,
    `${errorSummary(error)}<form method="post" action="${e(action)}">
<input type="hidden" name="csrf" value="${e(csrf)}">
<label for="f-username">Email address</label><input id="f-username" name="username" type="email" autocomplete="username" value="${e(username)}" required>
<label for="f-password">Password</label><input id="f-password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`,
    'login',
  );
}

export function promptPage(prompt: Prompt, action: string, hidden: Record<string, string>, error?: FormError): string {
  const hiddenInputs = Object.entries(hidden).map(([k, v]) => `<input type="hidden" name="${e(k)}" value="${e(v)}">`).join('');
  const qr = prompt.data?.qr_code
    ? `<p><img src="${e(prompt.data.qr_code)}" alt="QR code to scan with your authenticator app" width="240" height="240"></p>
<p>Or type this key into the app: <code id="totp-key">${e(prompt.data.secret ?? '')}</code></p>`
    : '';
  const problem = prompt.error ? `<p class="error" role="alert">${e(prompt.error)}</p>` : '';
  const actions = (prompt.actions ?? [])
    .map((a) => `<form method="post" action="${e(action)}">${hiddenInputs}<input type="hidden" name="action" value="${e(a.name)}"><button type="submit">${e(a.label)}</button></form>`)
    .join('');
  return page(
    prompt.title,
    `${errorSummary(error)}${problem}<p>${e(prompt.message)}</p>${qr}
<form method="post" action="${e(action)}">${hiddenInputs}${prompt.fields.map((f) => fieldHtml(f, error)).join('')}
<button type="submit">Continue</button></form>${actions}`,
    prompt.name,
    prompt.data?.method ?? '',
  );
}
