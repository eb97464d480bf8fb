/**
 * Login as a pipeline: the password first (with lockout and one neutral failure message), the access
 * route, then each check of LOGIN_CHECKS until none is pending. The platform's API, its portal and the
 * identity provider all drive it; what they make of a completed login (a session, an ID token) is theirs.
 */
import { assertRouteAllowed, type Route } from '../domain/access';
import { NotAuthenticated } from '../domain/errors';
import { newToken } from '../domain/ids';
import { findAccount, recordLoginSuccess } from '../store/accounts';
import { findParty } from '../store/parties';
import {
  deleteLoginTransaction,
  findLoginTransaction,
  insertLoginTransaction,
  markLoginStepPassed,
  saveLoginState,
} from '../store/sessions';
import type { Caller, Core } from './context';
import { chargeRefusedCode, WrongCode } from './failures';
import { LOGIN_CHECKS, type LoginCheck, type LoginContext, type LoginPurpose, type LoginState, type Prompt } from './login-checks';
import { isLocked, PasswordProof } from './password-proof';

export type LoginResult =
  | { status: 'prompt'; loginToken: string; prompt: Prompt }
  | { status: 'complete'; purpose: LoginPurpose; accountId: string; amr: string[] };

/** Where the person signs in: which identity path serves it, and by which route they arrive. */
export interface LoginChannel {
  path: 'entra' | 'local';
  route: Route;
  ip: string;
}

/** Long enough to wait for an emailed code (valid 10 minutes) and ask for another. */
const LOGIN_TRANSACTION_MINUTES = 15;
const AMR_OF_METHOD = { totp: 'otp', email: 'email', sms: 'sms' } as const;

export class LoginService {
  private readonly passwords: PasswordProof;

  constructor(private readonly core: Core) {
    this.passwords = new PasswordProof(core);
  }

  async start(username: string, password: string, channel: LoginChannel): Promise<LoginResult> {
    const account = await this.passwords.prove(username, password);
    // ServiceNow's "Web service access only": an integration account never signs in interactively.
    if (account.web_service_access_only)
      throw new NotAuthenticated('This is an integration account: it calls the API with Basic auth or OAuth, and cannot sign in here.');
    if (account.identity_path !== channel.path) {
      throw new NotAuthenticated(
        account.identity_path === 'entra'
          ? 'Your account signs in through the DCC Identity Provider Service. Use "Sign in with DCC Identity".'
          : "Your account signs in with the platform's own login, not the DCC Identity Provider Service.",
      );
    }
    const party = await findParty(this.core.db, account.party_id);
    if (party) assertRouteAllowed(party, channel.route, channel.ip);
    return this.open(account.id, 'login', {});
  }

  /** Changing the MFA method: prove the current one, then enrol the new one (UEPT-FSM-04). */
  async startMfaChange(caller: Caller): Promise<LoginResult> {
    this.core.roles.require(caller.roles, 'portal.access');
    return this.open(caller.accountId, 'change_mfa', { enrol: true });
  }

  /** The prompt a login in progress is waiting on, to show it again (after a refused answer, say). */
  async current(loginToken: string): Promise<LoginResult> {
    return this.advance(loginToken);
  }

  async continue(loginToken: string, input: Record<string, unknown>): Promise<LoginResult> {
    const ctx = await this.load(loginToken);
    const check = LOGIN_CHECKS.find((c) => c.pending(ctx));
    if (check) await this.submit(loginToken, check, ctx, input);
    return this.advance(loginToken);
  }

  private async open(accountId: string, purpose: LoginPurpose, state: LoginState): Promise<LoginResult> {
    const loginToken = newToken();
    const expires = new Date(this.core.clock.now().getTime() + LOGIN_TRANSACTION_MINUTES * 60_000);
    await insertLoginTransaction(this.core.db, loginToken, { account_id: accountId, expires_at: expires, purpose, state: { ...state } });
    return this.advance(loginToken);
  }

  private async submit(loginToken: string, check: LoginCheck, ctx: LoginContext, input: Record<string, unknown>): Promise<void> {
    const { db } = this.core;
    let satisfied: boolean;
    try {
      satisfied = await check.submit(ctx, input);
    } catch (error) {
      // At the lockout count (of wrong codes for the account, or of replays in this login) the login ends.
      if (error instanceof WrongCode && (await chargeRefusedCode(this.core, ctx.account.id, error, loginToken))) {
        await deleteLoginTransaction(db, loginToken);
        throw new NotAuthenticated();
      }
      throw error;
    }
    await saveLoginState(db, loginToken, { ...ctx.state });
    if (satisfied) await markLoginStepPassed(db, loginToken, check.name);
  }

  private async advance(loginToken: string): Promise<LoginResult> {
    const ctx = await this.load(loginToken);
    const check = LOGIN_CHECKS.find((c) => c.pending(ctx));
    if (check) {
      const prompt = await check.prompt(ctx);
      await saveLoginState(this.core.db, loginToken, { ...ctx.state });
      return { status: 'prompt', loginToken, prompt };
    }
    await deleteLoginTransaction(this.core.db, loginToken);
    await recordLoginSuccess(this.core.db, ctx.account.id);
    const method = ctx.account.mfa_method;
    if (ctx.purpose === 'change_mfa') await this.core.audit({ accountId: ctx.account.id, kind: 'mfa_changed', detail: `now ${method}` });
    return {
      status: 'complete',
      purpose: ctx.purpose,
      accountId: ctx.account.id,
      amr: method ? ['pwd', 'mfa', AMR_OF_METHOD[method]] : ['pwd'],
    };
  }

  private async load(loginToken: string): Promise<LoginContext> {
    const { core } = this;
    const transaction = loginToken.length <= 100 ? await findLoginTransaction(core.db, loginToken) : undefined;
    const account = transaction && (await findAccount(core.db, transaction.account_id));
    if (!transaction || !account || transaction.expires_at <= core.clock.now() || isLocked(account, core.clock.now())) {
      throw new NotAuthenticated('Your sign-in has expired or was stopped. Start again.');
    }
    return {
      core,
      db: core.db,
      account,
      passed: transaction.passed,
      purpose: transaction.purpose as LoginPurpose,
      state: transaction.state as LoginState,
    };
  }
}
