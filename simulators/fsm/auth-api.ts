/**
 * The API side of local identity: start with user name and password, answer each prompt the pipeline
 * asks (a new password, MFA enrolment, a code), and receive a bearer token. Also: change the MFA
 * method, reset a forgotten password, and `me`.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Route } from '../domain/access';
import { sourceAddress } from '../http/origin';
import type { SimConfig } from '../config';
import type { Services } from '../services';
import type { LoginResult } from '../services/login';
import { parseInput } from '../services/validate';
import { authenticateApi, bearerToken, callerOf, type IdpTokenVerifier } from './authenticate';

const Start = z.object({ username: z.string().min(1).max(254), password: z.string().min(1).max(256) }).strict();
const Continue = z.object({ login_token: z.string().max(100) }).catchall(z.string().max(512));

export function authApi(
  config: SimConfig,
  { login, profile, sessions, passwordReset, users, integrationAuth }: Services,
  route: Route,
  verifyIdpToken?: IdpTokenVerifier,
): Router {
  const router = Router();
  const authenticated = authenticateApi({ sessions, integrationAuth }, route, verifyIdpToken);

  async function wire(result: LoginResult) {
    if (result.status === 'prompt') return { status: 'prompt', login_token: result.loginToken, prompt: result.prompt };
    if (result.purpose !== 'login') return { status: 'done' };
    const token = await sessions.create(result.accountId, 'api', result.amr);
    return { status: 'authenticated', access_token: token, token_type: 'Bearer', expires_in: config.session.idleMinutes * 60 };
  }
  const channel = (req: Request) => ({ path: 'local' as const, route, ip: sourceAddress(req) });

  router.post('/login', async (req, res) => {
    const { username, password } = parseInput(Start, req.body);
    res.json({ result: await wire(await login.start(username, password, channel(req))) });
  });

  router.post('/login/continue', async (req, res) => {
    const { login_token, ...answers } = parseInput(Continue, req.body);
    res.json({ result: await wire(await login.continue(login_token, answers)) });
  });

  router.post('/mfa/change', authenticated, async (_req, res) => {
    res.json({ result: await wire(await login.startMfaChange(callerOf(res))) });
  });

  router.post('/password/forgot', async (req, res) => {
    passwordReset.request(req.body);
    res.status(202).json({ result: { message: 'If the account exists, we have sent a code to its email address.' } });
  });

  router.post('/password/reset', async (req, res) => {
    await passwordReset.reset(req.body);
    res.json({ result: { message: 'Your password has been changed. Sign in with it.' } });
  });

  /** An administrator resets the MFA of a user of their own party (IAM-02). */
  router.post('/users/:sysId/mfa/reset', authenticated, async (req, res) => {
    await users.resetMfa(callerOf(res), String(req.params.sysId));
    res.json({ result: { message: 'MFA has been reset. The user sets it up again at their next sign-in.' } });
  });

  router.post('/logout', authenticated, async (req, res) => {
    const token = bearerToken(req.get('authorization'));
    if (token) await sessions.end(token);
    res.status(204).end();
  });

  router.get('/me', authenticated, async (_req, res) => {
    const caller = callerOf(res);
    const { account, partyName, components } = await profile.me(caller);
    res.json({
      result: {
        sys_id: caller.accountId,
        user_name: caller.username,
        company: { value: caller.partyId, name: partyName },
        roles: caller.roles,
        functional_components: components,
        identity_path: account.identity_path,
        mfa_method: account.mfa_method,
        amr: caller.amr,
      },
    });
  });

  return router;
}
