/**
 * The API side of login: start with user name and password, answer each prompt the pipeline asks
 * (choose a password now; MFA later), and receive a bearer token. `me` says who the token is for.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Core } from '../services/context';
import type { LoginResult, LoginService } from '../services/login';
import { endSession } from '../services/sessions';
import { parseInput } from '../services/validate';
import { findParty } from '../store/parties';
import { authenticateApi, bearerToken, callerOf } from './authenticate';

const Start = z.object({ username: z.string().max(254), password: z.string().max(256) }).strict();
const Continue = z.object({ login_token: z.string().max(100) }).catchall(z.string().max(512));

function wire(result: LoginResult) {
  return result.status === 'prompt'
    ? { status: 'prompt', login_token: result.loginToken, prompt: result.prompt }
    : { status: 'authenticated', access_token: result.sessionToken, token_type: 'Bearer', expires_in: result.expiresInSeconds };
}

export function authApi(core: Core, login: LoginService): Router {
  const router = Router();

  router.post('/login', async (req, res) => {
    const { username, password } = parseInput(Start, req.body);
    res.json({ result: wire(await login.start(username, password, 'api')) });
  });

  router.post('/login/continue', async (req, res) => {
    const { login_token, ...answers } = parseInput(Continue, req.body);
    res.json({ result: wire(await login.continue(login_token, answers, 'api')) });
  });

  router.post('/logout', authenticateApi(core), async (req, res) => {
    const token = bearerToken(req.get('authorization'));
    if (token) await endSession(core, token);
    res.status(204).end();
  });

  router.get('/me', authenticateApi(core), async (_req, res) => {
    const caller = callerOf(res);
    const party = await findParty(core.db, caller.partyId);
    res.json({
      result: {
        sys_id: caller.accountId,
        user_name: caller.username,
        company: { value: caller.partyId, name: party?.name ?? '' },
        roles: caller.roles,
        functional_components: [...core.roles.componentsOf(caller.roles)].sort(),
      },
    });
  });

  return router;
}
