/**
 * Accessible form fragments shared by every server-rendered page (the identity provider's sign-in and
 * the portal): a label for every field, the error next to its field (aria-invalid, aria-describedby)
 * and a summary announced as an alert. The login pipeline's prompts render through `promptForms`.
 */
import type { Prompt, PromptField } from '../services/login-checks';
import { escapeHtml as e } from './html';

export interface FormError {
  message: string;
  field?: string;
  /** Each field's own problem, when there are several: each shown next to its field. */
  problems?: readonly { field: string; message: string }[];
}

/** What the error says about one field: its own problem, or the error itself when it is about that field. */
function messageFor(name: string, error?: FormError): string | undefined {
  if (!error) return undefined;
  if (error.problems?.length) {
    const own = error.problems.filter((p) => p.field === name || p.field.startsWith(`${name}.`)).map((p) => p.message);
    return own.length ? [...new Set(own)].join('. ') : undefined;
  }
  return error.field === name ? error.message : undefined;
}

export function errorSummary(error?: FormError): string {
  return error ? `<p class="error" role="alert" id="form-error">${e(error.message)}</p>` : '';
}

export function hiddenInputs(hidden: Record<string, string>): string {
  return Object.entries(hidden)
    .map(([k, v]) => `<input type="hidden" name="${e(k)}" value="${e(v)}">`)
    .join('');
}

/** The error note of a field, and the attributes that tie the field to it. */
export function fieldError(id: string, name: string, error?: FormError): { attrs: string; note: string } {
  const message = messageFor(name, error);
  if (message === undefined) return { attrs: '', note: '' };
  return {
    attrs: ` aria-invalid="true" aria-describedby="${id}-error"`,
    note: `<span class="error" id="${id}-error">${e(message)}</span>`,
  };
}

export function promptField(field: PromptField, error?: FormError): string {
  const id = `f-${field.name}`;
  const { attrs, note } = fieldError(id, field.name, error);
  if (field.type === 'choice') {
    const options = (field.choices ?? [])
      .map(
        (c, i) =>
          `<label class="choice"><input type="radio" name="${e(field.name)}" value="${e(c.value)}"${i === 0 ? ' checked' : ''}> ${e(c.label)}</label>`,
      )
      .join('');
    return `<fieldset${attrs}><legend>${e(field.label)}</legend>${options}${note}</fieldset>`;
  }
  const type = field.type === 'password' ? 'password' : 'text';
  const extra =
    field.type === 'code'
      ? ' inputmode="numeric" autocomplete="one-time-code"'
      : field.type === 'password'
        ? ' autocomplete="new-password"'
        : '';
  return `<label for="${id}">${e(field.label)}</label><input id="${id}" name="${e(field.name)}" type="${type}"${extra}${attrs} required>${note}`;
}

/** A prompt of the login pipeline as forms: its fields, the TOTP key and QR code, its other actions. */
export function promptForms(prompt: Prompt, action: string, hidden: Record<string, string>, error?: FormError): string {
  const qr = prompt.data?.qr_code
    ? `<p><img src="${e(prompt.data.qr_code)}" alt="QR code to scan with your authenticator app" width="240" height="240"></p>
<p>Or type this key into the app: <code id="totp-key" aria-label="Key for your authenticator app">${e(prompt.data.secret ?? '')}</code></p>`
    : '';
  const problem = prompt.error ? `<p class="error" role="alert">${e(prompt.error)}</p>` : '';
  const actions = (prompt.actions ?? [])
    .map(
      (a) =>
        `<form method="post" action="${e(action)}">${hiddenInputs(hidden)}<input type="hidden" name="action" value="${e(a.name)}"><button type="submit">${e(a.label)}</button></form>`,
    )
    .join('');
  return `${errorSummary(error)}${problem}<p>${e(prompt.message)}</p>${qr}
<form method="post" action="${e(action)}">${hiddenInputs(hidden)}${prompt.fields.map((f) => promptField(f, error)).join('')}
<button type="submit">Continue</button></form>${actions}`;
}
