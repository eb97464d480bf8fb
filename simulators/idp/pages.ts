/**
 * Server-rendered pages of the identity provider's sign-in: plain, accessible HTML (a label for every
 * field, errors announced and shown next to their field), built from the login pipeline's prompts.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Prompt } from '../services/login-checks';
import { errorSummary, promptForms, type FormError } from '../http/forms';
import { escapeHtml as e } from '../http/html';

export type { FormError };

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
  return page(prompt.title, promptForms(prompt, action, hidden, error), prompt.name, prompt.data?.method ?? '');
}

/** prompt=select_account with a session: go on as the person signed in, or sign in as someone else. */
export function selectAccountPage(title: string, action: string, csrf: string, username: string): string {
  const choice = (account: string, label: string) =>
    `<form method="post" action="${e(action)}"><input type="hidden" name="csrf" value="${e(csrf)}"><input type="hidden" name="account" value="${account}"><button type="submit">${e(label)}</button></form>`;
  return page(
    title,
    `<p>You are signed in as <strong>${e(username)}</strong>.</p>${choice('current', `Continue as ${username}`)}${choice('other', 'Use another account')}`,
    'select_account',
  );
}

/**
 * The end-session page (oidc-provider's logoutSource): its form carries the action and the xsrf token;
 * a hidden logout=yes makes one copy sign out, the other stays signed in.
 */
export function logoutPage(tenantName: string) {
  return async (ctx: KoaContextWithOIDC, form: string): Promise<void> => {
    const signOut = form.replace(
      '</form>',
      '<input type="hidden" name="logout" value="yes"><button type="submit">Sign out</button></form>',
    );
    const stay = form.replace(' id="op.logoutForm"', '').replace('</form>', '<button type="submit">Stay signed in</button></form>');
    ctx.type = 'html';
    ctx.body = page(`Sign out of DCC Identity (${tenantName})`, `<p>Do you want to sign out?</p>${signOut}${stay}`, 'logout');
  };
}
