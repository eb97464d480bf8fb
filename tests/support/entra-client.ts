/**
 * One person signing in to DCC Identity through an unmodified client, `@azure/msal-node` or
 * `openid-client`, over https. It runs as a process of its own, started by
 * tests/integration/entra-clients.test.ts, so that it trusts the simulators' local CA the way a party's
 * application would: NODE_EXTRA_CA_CERTS, no flag in either client. The person's browser is a FormAgent on
 * the sign-in pages; their authenticator app is Debian's oathtool, not this project's TOTP code.
 *
 * Input: one JSON argument (EntraClientInput). Output: one JSON line (EntraClientResult) on stdout.
 */
import { execFileSync } from 'node:child_process';
import * as msal from '@azure/msal-node';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { alertOf, FormAgent, promptOf, textById, type FormPage } from '../../clients/form-agent';

export interface EntraClientInput {
  client: 'msal' | 'openid-client';
  /** https://host/{tenant id} */
  authority: string;
  /** How MSAL learns the authority is genuine: the instance's own discovery answers, or knownAuthorities. */
  trust: 'instance-discovery' | 'known-authorities';
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  username: string;
  oneTimePassword: string;
  newPassword: string;
  fsmHttps: string;
}

export interface EntraClientResult {
  prompts: string[];
  loginHintShown: boolean;
  idClaims: Record<string, unknown>;
  accessClaims: Record<string, unknown>;
  tableStatus: number;
  tableRows: number;
  /** MSAL's account key (oid.tid from client_info), for MSAL only. */
  homeAccountId?: string;
  /** With the session kept, a second request: no prompt → straight back with a code; prompt=login → the login page. */
  again: { silent: string; promptLogin: string };
  /** After the end-session endpoint: what a request without a prompt shows (openid-client only). */
  afterLogout?: string;
}

const FSM_API_SCOPE = 'api://dcc-fsm/fsm';
const totp = (secret: string) => execFileSync('oathtool', ['--totp', '--base32', secret], { encoding: 'utf8' }).trim();

/** Answers each sign-in page as the person would, until the redirect back to the application. */
async function signIn(agent: FormAgent, url: string, input: EntraClientInput, prompts: string[]): Promise<FormPage> {
  let page = await agent.open(url);
  for (let i = 0; i < 10 && !page.url.startsWith(input.redirectUri); i++) {
    const { name } = promptOf(page.html);
    if (page.status >= 400 || !name) throw new Error(`sign-in stopped at ${page.url}: HTTP ${page.status} ${alertOf(page.html) ?? ''}`);
    prompts.push(name);
    const secret = textById(page.html, 'totp-key') ?? '';
    const answers = new Map<string, () => Record<string, string>>([
      ['login', () => ({ username: input.username, password: input.oneTimePassword })],
      ['password_change', () => ({ new_password: input.newPassword, confirm_password: input.newPassword })],
      ['mfa_choose', () => ({ method: 'totp' })],
      ['mfa_enrol_totp', () => ({ code: totp(secret) })],
    ]);
    const answer = answers.get(name)?.();
    if (!answer) throw new Error(`no answer for the sign-in step ${name}`);
    page = await agent.submit(page, answer);
  }
  if (!page.url.startsWith(input.redirectUri)) throw new Error(`sign-in did not finish: ${prompts.join(', ')}`);
  return page;
}

/** What a browser with the session sees for this authorization URL: the redirect back, or the sign-in step it asks for. */
async function landing(agent: FormAgent, url: string, redirectUri: string): Promise<string> {
  const page = await agent.open(url);
  return page.url.startsWith(redirectUri) && new URL(page.url).searchParams.has('code')
    ? 'code'
    : promptOf(page.html).name || `HTTP ${page.status}`;
}

async function tableApi(fsmHttps: string, accessToken: string) {
  const response = await fetch(`${fsmHttps}/api/now/table/incident?sysparm_limit=5`, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
  });
  const body = (await response.json()) as { result?: unknown[] };
  return { tableStatus: response.status, tableRows: Array.isArray(body.result) ? body.result.length : -1 };
}

async function withMsal(input: EntraClientInput): Promise<EntraClientResult> {
  const host = new URL(input.authority).host;
  const trust =
    input.trust === 'known-authorities'
      ? { knownAuthorities: [host] }
      : {
          cloudDiscoveryMetadata: await (
            await fetch(
              `https://${host}/common/discovery/instance?api-version=1.1&authorization_endpoint=${input.authority}/oauth2/v2.0/authorize`,
            )
          ).text(),
          authorityMetadata: await (await fetch(`${input.authority}/v2.0/.well-known/openid-configuration`)).text(),
        };
  const app = new msal.ConfidentialClientApplication({
    auth: { clientId: input.clientId, clientSecret: input.clientSecret, authority: input.authority, ...trust },
  });
  const pkce = await new msal.CryptoProvider().generatePkceCodes();
  const request = { scopes: [FSM_API_SCOPE], redirectUri: input.redirectUri };
  const authUrl = (extra: Partial<msal.AuthorizationUrlRequest> = {}) =>
    app.getAuthCodeUrl({ ...request, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', loginHint: input.username, ...extra });
  const agent = new FormAgent(input.redirectUri);
  const prompts: string[] = [];
  const loginPage = await agent.open(await authUrl());
  const loginHintShown = loginPage.html.includes(`value="${input.username}"`);
  const back = await signIn(agent, await authUrl(), input, prompts);
  const code = new URL(back.url).searchParams.get('code') ?? '';
  const result = await app.acquireTokenByCode({ ...request, code, codeVerifier: pkce.verifier });
  return {
    prompts,
    loginHintShown,
    idClaims: result.idTokenClaims as Record<string, unknown>,
    accessClaims: decodeJwt(result.accessToken) as Record<string, unknown>,
    ...(await tableApi(input.fsmHttps, result.accessToken)),
    homeAccountId: result.account?.homeAccountId,
    again: {
      silent: await landing(agent, await authUrl(), input.redirectUri),
      promptLogin: await landing(agent, await authUrl({ prompt: 'login' }), input.redirectUri),
    },
  };
}

async function withOpenidClient(input: EntraClientInput): Promise<EntraClientResult> {
  const config = await oidc.discovery(new URL(`${input.authority}/v2.0`), input.clientId, input.clientSecret);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authUrl = async (extra: Record<string, string> = {}) =>
    oidc.buildAuthorizationUrl(config, {
      redirect_uri: input.redirectUri,
      scope: `openid profile offline_access ${FSM_API_SCOPE}`,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      login_hint: input.username,
      ...extra,
    }).href;
  const agent = new FormAgent(input.redirectUri);
  const prompts: string[] = [];
  const loginHintShown = (await agent.open(await authUrl())).html.includes(`value="${input.username}"`);
  const back = await signIn(agent, await authUrl(), input, prompts);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(back.url), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  const again = {
    silent: await landing(agent, await authUrl(), input.redirectUri),
    promptLogin: await landing(agent, await authUrl({ prompt: 'login' }), input.redirectUri),
  };
  const logout = await agent.open(
    oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token ?? '', post_logout_redirect_uri: input.postLogoutRedirectUri }).href,
  );
  // The post-logout URI is under the redirect URI, where the agent stops.
  const signedOut = await agent.submit(logout, { logout: 'yes' });
  if (!signedOut.url.startsWith(input.postLogoutRedirectUri))
    throw new Error(`sign-out did not return to the application: ${signedOut.url}`);
  return {
    prompts,
    loginHintShown,
    idClaims: { ...tokens.claims() },
    accessClaims: decodeJwt(tokens.access_token) as Record<string, unknown>,
    ...(await tableApi(input.fsmHttps, tokens.access_token)),
    again,
    afterLogout: await landing(agent, await authUrl(), input.redirectUri),
  };
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as EntraClientInput;
  const result = input.client === 'msal' ? await withMsal(input) : await withOpenidClient(input);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
  process.exitCode = 1;
});
