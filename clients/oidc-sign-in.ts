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
  const config = await discover(client.issuer, client.clientId, client.clientSecret);
  const flow = await startCodeFlow(config, client.redirectUri, 'openid profile email offline_access fsm');
  const { url } = flow;
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
  const tokens = await flow.exchange(new URL(page.url));
  return { ok: true, value: { prompts, accessToken: tokens.access_token, idClaims: { ...tokens.claims() } } };
}

/** A tenant's configuration for a client: confidential with its secret, or public (PKCE only) without; http only for the simulator's own tenants. */
export function discover(issuer: string, clientId: string, clientSecret?: string): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(issuer),
    clientId,
    clientSecret,
    clientSecret === undefined ? oidc.None() : undefined,
    issuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
}

/** The authorization code flow's request, with PKCE (S256), state and nonce, and its end: the code at the redirect URI exchanged for tokens, each check made. */
export async function startCodeFlow(config: oidc.Configuration, redirectUri: string, scope: string) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return {
    url,
    exchange: (callback: URL) =>
      oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }),
  };
}
