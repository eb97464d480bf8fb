/** Signing in and the person's credentials over the login API; signing in through DCC Identity as an OpenID Connect client does. */
import { signInWithOidc } from '../../../clients/oidc-sign-in';
import type { CallTheApi } from '../abilities/call-the-api';
import { outcomeOf, refusalOf, type Outcome } from '../outcome';
import type { IdentitySignIn, PromptAnswerer, SignedInAs } from './tasks';

/** Where the identity provider sends the browser back: never fetched, the agent stops there. */
const REDIRECT_URI = 'http://127.0.0.1:9/fsm-harness/callback';

export const identityViaApi = {
  async logIn(api: CallTheApi, username: string, password: string, answer: PromptAnswerer): Promise<Outcome<{ prompts: string[] }>> {
    const { response, prompts } = await api.answerPrompts(await api.startLogin(username, password), answer);
    return outcomeOf(response, 200, () => ({ prompts }));
  },

  /** Signs in through a tenant of the DCC Identity Provider Service (the Entra path, IAM-03). */
  async logInThroughIdentity(
    api: CallTheApi,
    tenant: string,
    username: string,
    password: string,
    answer: PromptAnswerer,
  ): Promise<Outcome<IdentitySignIn>> {
    const outcome = await signInWithOidc(await api.registerClient(tenant, REDIRECT_URI), username, password, answer);
    if (!outcome.ok) return outcome;
    api.useToken(outcome.value.accessToken);
    return { ok: true, value: { prompts: outcome.value.prompts, idClaims: outcome.value.idClaims } };
  },

  /** Asks for a code by email and sets a new password with it (UEPT-FSM-04). */
  async resetForgottenPassword(
    api: CallTheApi,
    username: string,
    readCode: () => Promise<string>,
    newPassword: string,
  ): Promise<Outcome<void>> {
    const asked = await api.forgotPassword(username);
    if (asked.status !== 202) return refusalOf(asked);
    return outcomeOf(await api.resetPassword(username, await readCode(), newPassword), 200, () => undefined);
  },

  /** Proves the current MFA method afresh, then enrols the one the actor now prefers. */
  async changeMfaMethod(api: CallTheApi, answer: PromptAnswerer): Promise<Outcome<{ prompts: string[] }>> {
    const { response, prompts } = await api.answerPrompts(await api.changeMfa(), answer);
    return outcomeOf(response, 200, () => ({ prompts }));
  },

  async whoAmI(api: CallTheApi): Promise<Outcome<SignedInAs>> {
    return outcomeOf(await api.me(), 200, ({ result: me }) => ({
      username: me.user_name,
      partyName: me.company.name,
      roles: me.roles,
      mfaMethod: me.mfa_method,
      amr: me.amr,
    }));
  },
};
