/**
 * Signing in through the DCC Identity Provider Service as any OpenID Connect application does:
 * openid-client (unmodified) runs the authorization code flow with PKCE, state and nonce; the
 * FormAgent plays the person's browser on the sign-in pages, answering each step as the person would.
 */
import * as oidc from 'openid-client';
import { alertOf, FormAgent, promptOf, textById } from './form-agent';
import { ProductError } from './http';
import type { LoginPrompt } from './fsm-api';
import { harnessMessage } from './messages';

export interface OidcClientRegistration {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface OidcSignedIn {
  prompts: string[];
  accessToken: string;
  idClaims: Record<string, unknown>;
}

export type OidcOutcome = { ok: true; value: OidcSignedIn } | { ok: false; status: number; message: string };

const MAX_PAGES = 10;

export async function signInWithOidc(
  client: OidcClientRegistration,
  username: string,
  password: string,
  answer: (prompt: LoginPrompt) => Promise<Record<string, string>>,
): Promise<OidcOutcome> {
  const config = await oidc.discovery(new URL(client.issuer), client.clientId, client.clientSecret, undefined, {
    execute: [oidc.allowInsecureRequests],
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: client.redirectUri,
    scope: 'openid profile email offline_access fsm',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const agent = new FormAgent(client.redirectUri);
  let page = await agent.open(url.href);
  const prompts: string[] = [];
  for (let i = 0; i < MAX_PAGES && !page.url.startsWith(client.redirectUri); i++) {
    const { name, method } = promptOf(page.html);
    if (page.status >= 400) return { ok: false, status: page.status, message: alertOf(page.html) ?? `HTTP ${page.status}` };
    // A page that answers 2xx but asks nothing is not a refusal to judge: the sign-in went somewhere it should not.
    if (!name)
      throw new ProductError(
        `Signing in through DCC Identity: ${page.url} answered HTTP ${page.status} with a page that is no sign-in step${alertOf(page.html) ? ` (it says "${alertOf(page.html)}")` : ''}`,
      );
    if (name === 'login') {
      page = await agent.submit(page, { username, password });
      continue;
    }
    prompts.push(name);
    const secret = textById(page.html, 'totp-key');
    const prompt: LoginPrompt = { name, title: '', message: '', fields: [], data: { method, ...(secret ? { secret } : {}) } };
    page = await agent.submit(page, await answer(prompt));
  }
  if (!page.url.startsWith(client.redirectUri))
    throw new Error(harnessMessage(`Sign-in did not finish after ${MAX_PAGES} pages: ${prompts.join(', ')}`));
  const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  return { ok: true, value: { prompts, accessToken: tokens.access_token, idClaims: { ...tokens.claims() } } };
}
