/**
 * Identity attacks against local login with MFA and against DCC Identity (OIDC). Every attack is a
 * negative check that must be refused; the suite counts them and fails below 100.
 *
 * MFA: replayed TOTP codes (on the API and the portal), 20 parallel submissions of one valid code
 * (exactly one signs in), replays of an authenticator, emailed or reset code that neither lock the
 * owner out nor clear the count of wrong guesses, and end a login at the lockout count, a clock-skew grid of codes from steps -5..+5 (only -1, 0 and +1 pass; the
 * simulated clock moves through the control API, nothing sleeps), lockout at the configured count
 * for wrong passwords, wrong codes and wrong reset codes together, and one answer for unknown,
 * locked and wrong-password accounts: same status, body, headers and (within noise) time, and the
 * same time for a forgotten password or a reset code whether or not the account exists.
 *
 * OIDC: authorization requests without PKCE or with `plain` (and malformed challenges), token
 * requests with a wrong verifier, a reused code (which revokes what it issued), 40+ redirect-URI
 * variants per tenant, and forged tokens presented to the FSM API and to userinfo. Tokens are forged
 * with jose only. To prove each claim check on its own (expiry, audience, issuer, MFA, account), the
 * platform must trust the signing key: msw adds a test key to the tenants' published key sets, and a
 * well-formed token signed with it is accepted first, so each refusal is the claim's, not the key's.
 */
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  UnsecuredJWT,
  type JWK,
  type JWTPayload,
} from 'jose';
import { bypass, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import * as oidc from 'openid-client';
import { alertOf, FormAgent, promptOf as pagePrompt, type FormPage } from '../../clients/form-agent';
import { FsmApiClient, type LoginStep } from '../../clients/fsm-api';
import type { ApiResponse } from '../../clients/http';
import { answerPrompt, type Person } from '../../clients/login-answers';
import { signInWithOidc } from '../../clients/oidc-sign-in';
import { SimControlClient } from '../../clients/sim-control';
import type { Simulators } from '../../simulators/start';
import { securityEvents } from '../../simulators/store/mfa';
import { signedInClient, startTestSimulators, TEST_PASSWORD, testPerson, type SignedIn } from '../support';
import { report, scaled } from './scale';

type LoginResponse = ApiResponse<{ result: LoginStep }>;

const WRONG_PASSWORD = 'Wrong-Password-1!';
const REDIRECT = 'http://127.0.0.1:9/callback';
const APP_REDIRECT = 'https://app.example.com/callback';
const TENANTS = ['production', 'non-production'] as const;

const tally = { attacks: 0, refused: 0, replays: 0, parallelSubmissions: 0, skewCells: 0, redirectVariants: 0, forgedTokens: 0 };

/** One negative check: counted as an attack, and as refused once the assertion holds. */
function refused(ok: boolean, what: string): void {
  tally.attacks += 1;
  assert.ok(ok, `not refused: ${what}`);
  tally.refused += 1;
}

/** A refusal of the API in ServiceNow's shape, with one of these statuses. */
function refusedApi(response: ApiResponse, statuses: number[], what: string, message?: RegExp): void {
  const body = response.body as { status?: string; error?: { message?: string; detail?: string } };
  const said = `${body?.error?.message ?? ''} ${body?.error?.detail ?? ''}`;
  refused(
    statuses.includes(response.status) && body?.status === 'failure' && (!message || message.test(said)),
    `${what}: HTTP ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`,
  );
}

let sims: Simulators;
let control: SimControlClient;
let n = 0;
const partyName = (name: string) => `${name} ${++n}`;
const mock = setupServer();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

before(async () => {
  sims = await startTestSimulators();
  control = new SimControlClient(sims.urls.fsm);
  // Before any token is verified, so the platform's first read of the key sets already has the test key.
  mock.listen({ onUnhandledRequest: 'bypass' });
  // Codes belong to time steps: a frozen clock makes every step boundary one this suite moves.
  await control.changeClock({ set: '2027-03-01T09:00:15Z', freeze: true });
});
after(async () => {
  mock.close();
  await sims?.stop();
  report('identity-attacks', tally);
});

const api = () => new FsmApiClient(sims.urls.fsm);

/** Starts a second login with the right password: the prompt asking for a code. */
async function codePrompt(who: SignedIn): Promise<string> {
  const response = await api().startLogin(who.username, TEST_PASSWORD);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  const result = response.body.result;
  if (result.status !== 'prompt') assert.fail(`expected a prompt, got ${result.status}`);
  assert.equal(result.prompt.name, 'mfa_verify');
  return result.login_token;
}

const statusOf = (response: LoginResponse) => (response.status === 200 ? response.body.result.status : `HTTP ${response.status}`);

/** Signs in through the portal's pages up to the code prompt, as a browser would. */
async function portalCodePage(who: SignedIn): Promise<{ agent: FormAgent; page: FormPage }> {
  const agent = new FormAgent('about:blank#never');
  const page = await agent.submit(await agent.open(`${sims.urls.fsm}/portal/login`), { username: who.username, password: TEST_PASSWORD });
  assert.equal(pagePrompt(page.html).name, 'mfa_verify', page.html.slice(0, 300));
  return { agent, page };
}

describe('MFA attacks', () => {
  it('refuses every replayed TOTP code: at once, a step later, after a newer code, across the API and the portal', async () => {
    const rounds = scaled(6, 40);
    const admin = await signedInClient(sims, partyName('Replay Energy'));
    // The code that enrolled the app is spent: it cannot open the next login.
    const enrolment = await admin.person.app.codeAt(0);
    refusedApi(
      await api().continueLogin(await codePrompt(admin), { code: enrolment }),
      [400],
      'the enrolment code replayed',
      /already been used/,
    );
    tally.replays += 1;
    let older: string | undefined;
    for (let round = 0; round < rounds; round++) {
      const code = await admin.person.app.code();
      assert.equal(statusOf(await api().continueLogin(await codePrompt(admin), { code })), 'authenticated');
      // Each round signs in once (which resets the failure count), then replays: never enough to lock.
      refusedApi(
        await api().continueLogin(await codePrompt(admin), { code }),
        [400],
        `round ${round}: the same code again`,
        /already been used/,
      );
      await control.changeClock({ advance: 'PT30S' });
      refusedApi(
        await api().continueLogin(await codePrompt(admin), { code }),
        [400],
        `round ${round}: the code one step later, inside the drift window`,
        /already been used/,
      );
      if (older)
        refusedApi(await api().continueLogin(await codePrompt(admin), { code: older }), [400], `round ${round}: an older used code`);
      tally.replays += older ? 3 : 2;
      older = code;
    }
    // The portal runs the same check: a code spent on the API is spent on the portal.
    const spent = await admin.person.app.code();
    assert.equal(statusOf(await api().continueLogin(await codePrompt(admin), { code: spent })), 'authenticated');
    const { agent, page } = await portalCodePage(admin);
    const replay = await agent.submit(page, { code: spent });
    refused(
      replay.status === 400 && /already been used/.test(alertOf(replay.html) ?? ''),
      `a code spent on the API replayed on the portal: ${replay.status} ${alertOf(replay.html)}`,
    );
    tally.replays += 1;
  });

  it('lets exactly one of 20 parallel submissions of one valid code sign in', async () => {
    const rounds = scaled(1, 4);
    for (let round = 0; round < rounds; round++) {
      // Twenty logins in progress, one code for all of them, sent at once.
      const many = await signedInClient(sims, partyName('Parallel Logins'));
      const tokens = await Promise.all(Array.from({ length: 20 }, () => codePrompt(many)));
      const code = await many.person.app.code();
      const answers = await Promise.all(tokens.map((t) => api().continueLogin(t, { code })));
      assertExactlyOne(answers, 'one code in 20 logins');
      // Twenty submissions of one code in one login in progress.
      const one = await signedInClient(sims, partyName('Parallel Submit'));
      const token = await codePrompt(one);
      const same = await one.person.app.code();
      assertExactlyOne(
        await Promise.all(Array.from({ length: 20 }, () => api().continueLogin(token, { code: same }))),
        'one code 20 times in one login',
      );
      // An emailed code is consumed by the first correct use, too.
      const mail = await signedInClient(sims, partyName('Parallel Mail'), { mfaMethod: 'email' });
      const mailToken = await codePrompt(mail);
      const emailed = await mail.person.readEmailCode();
      assertExactlyOne(
        await Promise.all(Array.from({ length: 20 }, () => api().continueLogin(mailToken, { code: emailed }))),
        'one emailed code 20 times in one login',
      );
    }
  });

  function assertExactlyOne(answers: LoginResponse[], what: string): void {
    const won = answers.filter((a) => statusOf(a) === 'authenticated');
    assert.equal(won.length, 1, `${what}: ${answers.map(statusOf).join(', ')}`);
    tally.parallelSubmissions += answers.length;
    for (const answer of answers) if (statusOf(answer) !== 'authenticated') refusedApi(answer, [400, 401], `${what}: a losing submission`);
  }

  /** The owner signs in with the password and a fresh code: not locked out. */
  async function ownerSignsIn(who: SignedIn, what: string, password = TEST_PASSWORD): Promise<void> {
    const client = api();
    const { response } = await client.answerPrompts(await client.startLogin(who.username, password), (p) => answerPrompt(who.person, p));
    assert.equal(statusOf(response), 'authenticated', `${what}: the owner's next sign-in: ${JSON.stringify(response.body).slice(0, 300)}`);
  }

  async function replaysRecorded(who: SignedIn, kind: string): Promise<number> {
    const events = await securityEvents(sims.core.db, (await who.api.me()).body.result.sys_id);
    return events.filter((e) => e.kind === kind).length;
  }

  it('takes a replay of an accepted code for a security event, not a guess: the owner still signs in, and guesses still lock', async () => {
    const { maxFailures } = sims.core.config.lockout;
    // An authenticator code sent to 20 logins at once.
    const totp = await signedInClient(sims, partyName('Replay Owner'));
    const logins = await Promise.all(Array.from({ length: 20 }, () => codePrompt(totp)));
    const code = await totp.person.app.code();
    assertExactlyOne(await Promise.all(logins.map((t) => api().continueLogin(t, { code }))), 'one authenticator code in 20 logins');
    assert.equal(await replaysRecorded(totp, 'totp_replay'), 19, 'each replay is recorded');
    await ownerSignsIn(totp, 'after 19 replays of an authenticator code');

    // An emailed code sent to 20 logins at once (each login sent a new code: the last one is live).
    const mail = await signedInClient(sims, partyName('Replay Mail'), { mfaMethod: 'email' });
    const mailLogins: string[] = [];
    for (let i = 0; i < 20; i++) mailLogins.push(await codePrompt(mail));
    const emailed = await mail.person.readEmailCode();
    assertExactlyOne(await Promise.all(mailLogins.map((t) => api().continueLogin(t, { code: emailed }))), 'one emailed code in 20 logins');
    assert.equal(await replaysRecorded(mail, 'email_code_replay'), 19, 'each replay is recorded');
    await ownerSignsIn(mail, 'after 19 replays of an emailed code');

    // A password reset code sent 20 times at once.
    const forgetful = await signedInClient(sims, partyName('Replay Reset'));
    assert.equal((await api().forgotPassword(forgetful.username)).status, 202);
    const resetCode = await forgetful.person.readEmailCode();
    const newPassword = 'Replay-Reset-Password-2027!';
    const resets = await Promise.all(Array.from({ length: 20 }, () => api().resetPassword(forgetful.username, resetCode, newPassword)));
    assert.equal(resets.filter((r) => r.status === 200).length, 1, `one reset code 20 times: ${resets.map((r) => r.status).join(', ')}`);
    for (const reset of resets) if (reset.status !== 200) refusedApi(reset, [401], 'a reset code replayed', /already been used/);
    await ownerSignsIn(forgetful, 'after 19 replays of a reset code', newPassword);

    // Replays are bounded in each login: at the lockout count the login ends, and the account stays open.
    const spent = await totp.person.app.code();
    assert.equal(statusOf(await api().continueLogin(await codePrompt(totp), { code: spent })), 'authenticated');
    const replayed = await codePrompt(totp);
    for (let i = 1; i < maxFailures; i++)
      refusedApi(await api().continueLogin(replayed, { code: spent }), [400], `replay ${i} in one login`, /already been used/);
    refusedApi(await api().continueLogin(replayed, { code: spent }), [401], `replay ${maxFailures} in one login ends it`);
    await ownerSignsIn(totp, 'after a login ended by replays');

    // Replays neither count nor clear the count: wrong guesses around them still lock the account.
    for (let i = 1; i < maxFailures; i++) {
      refusedApi(await api().continueLogin(await codePrompt(totp), { code: '000000' }), [400], `wrong guess ${i}`, /not right/);
      refusedApi(
        await api().continueLogin(await codePrompt(totp), { code: spent }),
        [400],
        `a replay after wrong guess ${i}`,
        /already been used/,
      );
    }
    refusedApi(await api().continueLogin(await codePrompt(totp), { code: '000000' }), [401], `wrong guess ${maxFailures} locks`);
    refusedApi(await api().startLogin(totp.username, TEST_PASSWORD), [401], 'the right password while locked', /User Not Authenticated/);
  });

  it('accepts codes of steps -1, 0 and +1 only, across a grid from -5 to +5, moving the simulated clock', async () => {
    const grids = scaled(1, 6);
    const { totpStepSeconds } = sims.core.config.mfa;
    // One step of drift each way (README, "Configuration"), as authenticator apps expect.
    const accepted = [-1, 0, 1];
    // Refusals count towards the lockout: at most four in a row before a success resets the count.
    const order = [-5, -4, -3, -2, -1, 2, 3, 4, 5, 0, 1];
    for (let grid = 0; grid < grids; grid++) {
      const admin = await signedInClient(sims, partyName('Skew Gas'));
      let at = Date.parse((await control.clock()).now) + 3_600_000;
      for (const offset of order) {
        // Each cell in a step of its own, 15 s into it, well after every step used so far.
        at = (Math.floor(at / 1000 / totpStepSeconds) + 20) * totpStepSeconds * 1000 + 15_000;
        await control.changeClock({ set: new Date(at).toISOString() });
        const code = await admin.person.app.codeAt(offset);
        const inWindow = accepted.includes(offset);
        const window = await Promise.all(accepted.map((o) => admin.person.app.codeAt(o)));
        if (!inWindow && window.includes(code)) continue; // a few in a million: another step's code has the same digits
        const answer = await api().continueLogin(await codePrompt(admin), { code });
        tally.skewCells += 1;
        if (inWindow) assert.equal(statusOf(answer), 'authenticated', `a code ${offset} steps from now must be accepted`);
        else refusedApi(answer, [400], `a code ${offset} steps from now`, /not right/);
      }
    }
  });

  it('locks an account at the configured count of failures of any kind, not before, for the configured time', async () => {
    const { maxFailures, minutes } = sims.core.config.lockout;
    type Kind = 'password' | 'code' | 'reset code';
    const failures: Record<Kind, (who: SignedIn, loginToken: string) => Promise<ApiResponse>> = {
      password: (who) => api().startLogin(who.username, WRONG_PASSWORD),
      code: (_who, loginToken) => api().continueLogin(loginToken, { code: '000000' }),
      'reset code': (who) => api().resetPassword(who.username, '000000', 'Another-Password-2027!'),
    };
    const mixes: Kind[][] = [['password'], ['code'], ['password', 'code', 'reset code']];
    for (const mix of mixes) {
      const who = await signedInClient(sims, partyName(`Lockout ${mix.join(' ')}`));
      let open = await codePrompt(who);
      for (let i = 0; i < maxFailures; i++) {
        const kind = mix[i % mix.length] ?? 'password';
        const last = i === maxFailures - 1;
        // A wrong code is answered next to its field until the one that locks the account ends the login.
        refusedApi(
          await failures[kind](who, open),
          kind === 'code' && !last ? [400] : [401],
          `${mix.join('+')}: failure ${i + 1} of ${maxFailures} (${kind})`,
        );
        // Not locked yet: the right password still reaches the code prompt (where the next wrong code goes).
        if (!last) open = await codePrompt(who);
      }
      refusedApi(
        await api().startLogin(who.username, TEST_PASSWORD),
        [401],
        `${mix.join('+')}: the right password while locked`,
        /User Not Authenticated/,
      );
      await control.changeClock({ advance: `PT${minutes * 60 - 1}S` });
      refusedApi(
        await api().startLogin(who.username, TEST_PASSWORD),
        [401],
        `${mix.join('+')}: the right password a second before the lock ends`,
      );
      await control.changeClock({ advance: 'PT2S' });
      assert.ok(await codePrompt(who), 'the lock ends after the configured minutes');
    }
  });

  it('answers unknown, locked and wrong-password accounts alike: status, body, headers and time', async () => {
    const samples = scaled(30, 90);
    const { maxFailures } = sims.core.config.lockout;
    const locked = await signedInClient(sims, partyName('Locked Out'));
    for (let i = 0; i < maxFailures; i++) await api().startLogin(locked.username, WRONG_PASSWORD);
    const known = await signedInClient(sims, partyName('Known Account'));
    const since = (await control.journal({ limit: 1 }))[0]?.id ?? 0;
    const namesOf = (headers: Headers) => {
      const names: string[] = [];
      headers.forEach((_value, name) => names.push(name));
      return names.filter((h) => h !== 'date').sort();
    };
    const shape = (r: ApiResponse) => ({
      status: r.status,
      body: r.body,
      headers: namesOf(r.headers),
      length: r.headers.get('content-length'),
    });
    const kinds = ['unknown', 'locked', 'wrong password'] as const;
    let first: ReturnType<typeof shape> | undefined;
    for (let i = 0; i < samples; i++) {
      // A known account's failures would lock it: a whole login resets its count every few samples.
      if (i % (maxFailures - 1) === maxFailures - 2)
        await known.api.answerPrompts(await api().startLogin(known.username, TEST_PASSWORD), (p) => answerPrompt(known.person, p));
      const answers = [
        await api().startLogin(`ghost-${randomBytes(4).toString('hex')}@${known.username.split('@')[1]}`, WRONG_PASSWORD),
        await api().startLogin(locked.username, TEST_PASSWORD),
        await api().startLogin(known.username, WRONG_PASSWORD),
      ];
      first ??= shape(answers[0] as ApiResponse);
      answers.forEach((answer, k) => {
        refusedApi(answer, [401], `${kinds[k]} account`, /User Not Authenticated/);
        assert.deepEqual(shape(answer), first, `the ${kinds[k]} answer differs from the unknown-user answer`);
      });
    }
    const logins = (await control.journal({ since })).filter((e) => e.path === '/api/x_dcc/auth/login' && e.status === 401);
    const timesOf = kinds.map((_, k) => logins.filter((_e, i) => i % 3 === k).map((e) => e.durationMs));
    const [unknown = [], lockedTimes = [], wrong = []] = timesOf;
    console.log(
      `# sign-in refusals, server time medians: unknown ${median(unknown).toFixed(1)} ms, locked ${median(lockedTimes).toFixed(1)} ms, wrong password ${median(wrong).toFixed(1)} ms`,
    );
    // Without the decoy hash an unknown user answers in a fraction of the time; with it, and the same steps for every failure, alike within noise.
    assertAlike(lockedTimes, unknown, 'a locked account');
    assertAlike(wrong, unknown, 'a wrong password');
    await portalAndIdpAlike(known, locked);
  });

  it('takes as long to answer a forgotten password or a reset code for an account that exists as for one that does not', async () => {
    const samples = scaled(60, 200);
    const { maxFailures } = sims.core.config.lockout;
    const known = await signedInClient(sims, partyName('Timing Energy'));
    const domain = known.username.split('@')[1];
    const ghost = () => `ghost-${randomBytes(4).toString('hex')}@${domain}`;
    const requests = {
      forgot: { path: '/api/x_dcc/auth/password/forgot', send: (username: string) => api().forgotPassword(username) },
      reset: {
        path: '/api/x_dcc/auth/password/reset',
        send: (username: string) => api().resetPassword(username, '000000', 'Another-Password-2027!'),
      },
    };
    for (const [name, { path, send }] of Object.entries(requests)) {
      const since = (await control.journal({ limit: 1 }))[0]?.id ?? 0;
      const order: boolean[] = [];
      for (let i = 0; i < samples; i++) {
        // Interleaved, each kind first in turn, so a slow moment of the machine falls on both kinds alike.
        for (const isKnown of i % 2 ? [true, false] : [false, true]) {
          order.push(isKnown);
          const answer = await send(isKnown ? known.username : ghost());
          assert.equal(answer.status, name === 'forgot' ? 202 : 401, JSON.stringify(answer.body));
        }
        // Whatever the platform does after answering (sending the code) is done before the next pair.
        await control.mailbox(known.username);
        // Wrong reset codes count: the owner signs in now and then, so the account stays open (locked, it answers as unknown).
        if (name === 'reset' && i % (maxFailures - 1) === maxFailures - 2) await ownerSignsIn(known, 'clearing the count of wrong codes');
      }
      const entries = (await control.journal({ since })).filter((e) => e.path === path);
      assert.equal(entries.length, order.length);
      const timesOf = (isKnown: boolean) => entries.filter((_e, i) => order[i] === isKnown).map((e) => e.durationMs);
      console.log(
        `# ${name}: server time medians over ${samples} each: account exists ${median(timesOf(true)).toFixed(2)} ms, does not ${median(timesOf(false)).toFixed(2)} ms`,
      );
      assertAlike(timesOf(true), timesOf(false), `${name}: an existing account`);
    }
  });

  /**
   * The median of the ratios of requests sent one after the other (so that a slow moment of a busy
   * machine falls on both) is within 0.67..1.5: an attacker timing the answers learns nothing.
   */
  function assertAlike(times: number[], unknownTimes: number[], what: string): void {
    const ratio = median(times.map((t, i) => t / (unknownTimes[i] ?? Number.NaN)));
    console.log(`# ${what} answers in ${ratio.toFixed(2)} times an unknown account's time (median of ${times.length} pairs)`);
    refused(ratio >= 0.67 && ratio <= 1.5, `${what} answers in ${ratio.toFixed(2)} times an unknown account's time`);
  }

  /** The portal's and DCC Identity's sign-in pages give the same page too (the typed user name aside). */
  async function portalAndIdpAlike(known: SignedIn, locked: SignedIn): Promise<void> {
    const ghost = `ghost-${randomBytes(4).toString('hex')}@nowhere.example`;
    const attempts: [string, string][] = [
      [ghost, WRONG_PASSWORD],
      [locked.username, TEST_PASSWORD],
      [known.username, WRONG_PASSWORD],
    ];
    const registered = await control.registerIdpClient(sims.urls.idp, { tenant: 'production', redirect_uris: [REDIRECT] });
    const config = await oidc.discovery(new URL(registered.issuer), registered.client_id, registered.client_secret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    const authorize = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    for (const [surface, url] of [
      ['portal', `${sims.urls.fsm}/portal/login`],
      ['DCC Identity', authorize.href],
    ] as const) {
      const agent = new FormAgent(REDIRECT);
      const start = await agent.open(url);
      const pages = [];
      for (const [username, password] of attempts) {
        const page = await agent.submit(start, { username, password });
        refused(
          page.status === 401,
          `${surface}: ${username === ghost ? 'unknown' : username === locked.username ? 'locked' : 'wrong password'}: HTTP ${page.status}`,
        );
        pages.push({ status: page.status, html: page.html.replaceAll(username, 'USER') });
      }
      assert.deepEqual(pages[1], pages[0], `${surface}: a locked account's page differs from an unknown user's`);
      assert.deepEqual(pages[2], pages[0], `${surface}: a wrong password's page differs from an unknown user's`);
    }
  }
});

describe('OIDC attacks', () => {
  interface Tenant {
    name: string;
    issuer: string;
    clientId: string;
    clientSecret: string;
    metadata: oidc.ServerMetadata;
  }
  const tenants = new Map<string, Tenant>();
  let person: Person;
  let username: string;
  let accessToken: string;
  /** A browser signed in to the production tenant: new codes without signing in again. */
  let browser: FormAgent;
  let trusted: { key: CryptoKey; rs512: CryptoKey; jwk: JWK };

  const tenantOf = (name: string) => tenants.get(name) as Tenant;
  const production = () => tenantOf('production');

  before(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    // The same key for RS512 (Web Crypto binds a key to one hash), to show only RS256 is accepted.
    const rs512 = (await importJWK(await exportJWK(privateKey), 'RS512')) as CryptoKey;
    trusted = {
      key: privateKey,
      rs512,
      jwk: { ...(await exportJWK(publicKey)), kid: 'hardening-trusted-test-key', alg: 'RS256', use: 'sig' },
    };
    mock.use(
      http.get(`${sims.urls.idp}/:tenant/discovery/v2.0/keys`, async ({ request }) => {
        const published = (await (await fetch(bypass(request))).json()) as { keys: JWK[] };
        return HttpResponse.json({ keys: [...published.keys, trusted.jwk] });
      }),
    );
    for (const name of TENANTS) {
      const registered = await control.registerIdpClient(sims.urls.idp, { tenant: name, redirect_uris: [REDIRECT, APP_REDIRECT] });
      const config = await oidc.discovery(new URL(registered.issuer), registered.client_id, registered.client_secret, undefined, {
        execute: [oidc.allowInsecureRequests],
      });
      tenants.set(name, {
        name,
        issuer: registered.issuer,
        clientId: registered.client_id,
        clientSecret: registered.client_secret,
        metadata: config.serverMetadata(),
      });
    }
    const party = await control.onboardParty({
      name: partyName('Entra Attack Energy'),
      userRoles: ['IS'],
      regions: ['North'],
      gatewayConnected: true,
      administrator: { email: `admin${n}@entra-attack.example`, name: 'Eve Entra', identityPath: 'entra' },
    });
    username = party.administrator.username;
    person = testPerson(sims, username);
    const first = await signInWithOidc(
      { ...clientOf(production()), redirectUri: REDIRECT },
      username,
      party.administrator.oneTimePassword,
      (p) => answerPrompt(person, p),
    );
    if (!first.ok) assert.fail(`first sign-in through DCC Identity: ${first.message}`);
    accessToken = first.value.accessToken;
    browser = new FormAgent(REDIRECT);
  });

  const clientOf = (t: Tenant) => ({ issuer: t.issuer, clientId: t.clientId, clientSecret: t.clientSecret });

  function authorizeUrl(t: Tenant, params: Record<string, string | undefined>): string {
    const url = new URL(t.metadata.authorization_endpoint ?? '');
    const all = { client_id: t.clientId, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT, state: 'st-1', ...params };
    for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.set(k, v);
    return url.href;
  }

  /** A code for the signed-in browser (signing it in first if need be), with its PKCE verifier. */
  async function newCode(scope = 'openid profile email offline_access fsm'): Promise<{ code: string; verifier: string }> {
    const verifier = oidc.randomPKCECodeVerifier();
    let page = await browser.open(
      authorizeUrl(production(), {
        scope,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce: oidc.randomNonce(),
      }),
    );
    if (!page.url.startsWith(REDIRECT)) {
      page = await browser.submit(page, { username, password: TEST_PASSWORD });
      page = await browser.submit(page, { code: await person.app.code() });
    }
    const code = new URL(page.url).searchParams.get('code');
    assert.ok(code, `no code at ${page.url}: ${alertOf(page.html) ?? page.html.slice(0, 200)}`);
    return { code, verifier };
  }

  async function redeem(t: Tenant, params: Record<string, string>, client: Pick<Tenant, 'clientId' | 'clientSecret'> = t) {
    const response = await fetch(t.metadata.token_endpoint ?? '', {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(params),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }
  const codeGrant = (code: string, verifier: string | undefined, redirect = REDIRECT) => ({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirect,
    ...(verifier ? { code_verifier: verifier } : {}),
  });
  const refresh = (t: Tenant, token: string) => redeem(t, { grant_type: 'refresh_token', refresh_token: token });

  async function userinfo(t: Tenant, token: string) {
    const response = await fetch(t.metadata.userinfo_endpoint ?? '', { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, text: await response.text(), challenge: response.headers.get('www-authenticate') ?? '' };
  }

  it('refuses authorization requests without PKCE, with plain or unknown methods, or malformed challenges', async () => {
    const challenge = await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier());
    const cases: [string, Record<string, string | undefined>][] = [
      ['no PKCE at all', {}],
      ['a method without a challenge', { code_challenge_method: 'S256' }],
      ['a challenge without a method (plain by default)', { code_challenge: challenge }],
      ['plain', { code_challenge: challenge, code_challenge_method: 'plain' }],
      ['plain, upper case', { code_challenge: challenge, code_challenge_method: 'PLAIN' }],
      ['an unknown method S512', { code_challenge: challenge, code_challenge_method: 'S512' }],
      ['s256 in lower case', { code_challenge: challenge, code_challenge_method: 's256' }],
      ['a challenge of 42 characters', { code_challenge: challenge.slice(0, 42), code_challenge_method: 'S256' }],
      ['a challenge of 129 characters', { code_challenge: challenge.repeat(4).slice(0, 129), code_challenge_method: 'S256' }],
      ['a challenge with characters outside base64url', { code_challenge: `${challenge.slice(0, 42)}+`, code_challenge_method: 'S256' }],
    ];
    for (const name of TENANTS) {
      for (const [what, params] of cases) {
        const response = await fetch(authorizeUrl(tenantOf(name), params), { redirect: 'manual' });
        const location = new URL(response.headers.get('location') ?? 'about:blank', REDIRECT);
        const back = location.href.startsWith(REDIRECT);
        refused(
          back && location.searchParams.get('error') === 'invalid_request' && !location.searchParams.has('code'),
          `${name}: ${what}: ${response.status} ${location.href}`,
        );
      }
    }
  });

  it('refuses a code with a missing or wrong verifier, and a code reused, at another tenant or client, or for another redirect URI', async () => {
    const { code, verifier } = await newCode();
    const challenge = await oidc.calculatePKCECodeChallenge(verifier);
    const other = await control.registerIdpClient(sims.urls.idp, { tenant: 'production', redirect_uris: [REDIRECT] });
    const attempts: [string, () => ReturnType<typeof redeem>][] = [
      ['no verifier', () => redeem(production(), codeGrant(code, undefined))],
      ['a wrong verifier', () => redeem(production(), codeGrant(code, oidc.randomPKCECodeVerifier()))],
      ['the challenge sent as the verifier (a plain downgrade)', () => redeem(production(), codeGrant(code, challenge))],
      ['the verifier in upper case', () => redeem(production(), codeGrant(code, verifier.toUpperCase()))],
      ['another redirect URI', () => redeem(production(), codeGrant(code, verifier, APP_REDIRECT))],
      [
        'another client of the tenant',
        () => redeem(production(), codeGrant(code, verifier), { clientId: other.client_id, clientSecret: other.client_secret }),
      ],
      ['the other tenant', () => redeem(tenantOf('non-production'), codeGrant(code, verifier))],
      [
        'a wrong client secret',
        () =>
          redeem(production(), codeGrant(code, verifier), {
            clientId: production().clientId,
            clientSecret: randomBytes(32).toString('base64url'),
          }),
      ],
    ];
    for (const [what, attempt] of attempts) {
      const answer = await attempt();
      refused(
        answer.status >= 400 &&
          answer.status < 500 &&
          ['invalid_grant', 'invalid_client'].includes(answer.body.error ?? '') &&
          !answer.body.access_token,
        `${what}: ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    }
    // None of those spent the code on an attacker; its owner still redeems it.
    const owner = await redeem(production(), codeGrant(code, verifier));
    assert.equal(owner.status, 200, JSON.stringify(owner.body));
  });

  it('makes a reused code revoke the tokens it issued: the access token at userinfo and the refresh token', async () => {
    for (const scope of ['openid profile email offline_access', 'openid profile email offline_access fsm']) {
      const { code, verifier } = await newCode(scope);
      const first = await redeem(production(), codeGrant(code, verifier));
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const tokens = first.body as { access_token: string; refresh_token: string };
      if (!scope.includes('fsm'))
        assert.equal((await userinfo(production(), tokens.access_token)).status, 200, 'userinfo before the reuse');
      const again = await redeem(production(), codeGrant(code, verifier));
      refused(again.status === 400 && again.body.error === 'invalid_grant', `${scope}: the code used twice: ${JSON.stringify(again.body)}`);
      const refreshed = await refresh(production(), tokens.refresh_token);
      refused(
        refreshed.status === 400 && refreshed.body.error === 'invalid_grant',
        `${scope}: the refresh token after the reuse: ${JSON.stringify(refreshed.body)}`,
      );
      if (!scope.includes('fsm')) {
        const info = await userinfo(production(), tokens.access_token);
        refused(info.status === 401, `${scope}: userinfo with the revoked access token: ${info.status} ${info.text}`);
      }
    }
  });

  /** Forms that parse to the registered URI: the code can go nowhere else. */
  const VARIANTS: [string, string][] = [
    // Spellings that parse to the registered URL are still not the registered string (RFC 9700 §4.1.3).
    ['HTTPS://app.example.com/callback', 'scheme in upper case'],
    ['https://APP.EXAMPLE.COM/callback', 'host in upper case'],
    ['https://app.example.com:443/callback', 'the default port spelt out'],
    ['https://app.example.com/evil/../callback', 'dot segments that resolve to the path'],
    ['http://2130706433:9/callback', 'the loopback address as one decimal number'],
    ['http://0x7f000001:9/callback', 'the loopback address in hexadecimal'],
    [`${APP_REDIRECT}/`, 'trailing slash'],
    ['https://app.example.com/Callback', 'path case change'],
    ['https://app.example.com/CALLBACK', 'path in upper case'],
    [`${APP_REDIRECT}/extra`, 'extra path segment'],
    [`${APP_REDIRECT}2`, 'longer path'],
    ['https://app.example.com/call', 'path prefix'],
    ['https://app.example.com/', 'root path'],
    ['https://app.example.com', 'no path'],
    [`${APP_REDIRECT}?x=1`, 'query added'],
    [`${APP_REDIRECT}?`, 'empty query'],
    [`${APP_REDIRECT}?next=https://evil.example/`, 'open redirect through a query'],
    [`${APP_REDIRECT}#fragment`, 'fragment'],
    [`${APP_REDIRECT}#`, 'empty fragment'],
    ['https://attacker@app.example.com/callback', 'userinfo before the host'],
    ['https://app.example.com@evil.example/callback', 'registered host as userinfo of another host'],
    ['https://app.example.com%40evil.example/callback', 'encoded @ in the host'],
    ['https://app.example.com:8443/callback', 'other port'],
    ['http://app.example.com/callback', 'http instead of https'],
    ['https://app.example.com/%63allback', 'encoded letter'],
    ['https://app.example.com/callback%2F..%2Fevil', 'encoded slashes'],
    ['https://app.example.com/callback/../evil', 'dot-dot out of the path'],
    ['https://app.example.com//callback', 'double slash'],
    ['https://app.example.com/callback;jsessionid=1', 'path parameter'],
    ['https://app.example.com/callback%00', 'encoded NUL'],
    ['https://app.example.com/callback%20', 'encoded trailing space'],
    ['https://app.example.com/callback%0d%0aSet-Cookie:x=1', 'encoded CR LF'],
    ['https://app.example.com/callback\\@evil.example', 'backslash'],
    ['https://evil.example/callback', 'another host'],
    ['https://evil.app.example.com/callback', 'subdomain'],
    ['https://app.example.com.evil.example/callback', 'registered host as a prefix'],
    ['https://app.example.com./callback', 'trailing dot on the host'],
    ['https://xn--pp-8kc.example.com/callback', 'homograph (Cyrillic a)'],
    ['https://app.example.co/callback', 'look-alike domain'],
    ['//evil.example/callback', 'protocol-relative'],
    ['javascript:alert(document.domain)//', 'javascript: URI'],
    ['data:text/html,<script>alert(1)</script>', 'data: URI'],
    ['app.example.com/callback', 'no scheme'],
    ['com.example.app:/callback', 'custom scheme'],
    ['http://localhost:9/callback', 'localhost for the registered IP'],
    ['http://[::1]:9/callback', 'IPv6 loopback for the registered IP'],
    ['http://127.0.0.2:9/callback', 'another loopback address'],
    ['http://127.0.0.1:09/callback', 'the loopback port spelt with a leading zero'],
    ['http://127.0.0.1:80/callback', 'the default port spelt out on the loopback'],
    ['https://127.0.0.1:9/callback', 'https for the registered http'],
    [`${REDIRECT}/`, 'loopback trailing slash'],
    [`${REDIRECT}?code=planted`, 'loopback with a planted code'],
  ];

  it('takes the registered loopback redirect URI on any port (RFC 8252 §7.3, as Entra does), and only the port may change', async () => {
    const challenge = await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier());
    for (const name of TENANTS) {
      for (const port of [':10', ':65535', '']) {
        const response = await fetch(
          authorizeUrl(tenantOf(name), {
            redirect_uri: `http://127.0.0.1${port}/callback`,
            code_challenge: challenge,
            code_challenge_method: 'S256',
          }),
          { redirect: 'manual' },
        );
        const location = new URL(response.headers.get('location') ?? 'about:blank', tenantOf(name).issuer);
        assert.ok(
          response.status === 303 && location.origin === new URL(tenantOf(name).issuer).origin && location.pathname.includes('/login/'),
          `${name}, port "${port}": ${response.status} ${location.href} ${alertOf(await response.text()) ?? ''}`,
        );
      }
    }
  });

  it(`refuses ${VARIANTS.length} variants of the registered redirect URIs on both tenants, and never redirects to them`, async () => {
    const challenge = await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier());
    for (const name of TENANTS) {
      for (const [variant, what] of VARIANTS) {
        const response = await fetch(
          authorizeUrl(tenantOf(name), { redirect_uri: variant, code_challenge: challenge, code_challenge_method: 'S256' }),
          { redirect: 'manual' },
        );
        const page = await response.text();
        tally.redirectVariants += 1;
        refused(
          response.status === 400 && !response.headers.has('location') && /redirect_uri/.test(alertOf(page) ?? ''),
          `${name}: ${what} (${variant}): ${response.status} ${response.headers.get('location') ?? alertOf(page)}`,
        );
      }
    }
  });

  it('refuses forged tokens at the FSM API and at userinfo', async () => {
    const claims = decodeJwt(accessToken);
    const { kid } = decodeProtectedHeader(accessToken);
    const [header = '', payload = '', signature = ''] = accessToken.split('.');
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const withClaims = (change: JWTPayload) => `${header}.${b64({ ...claims, ...change })}.${signature}`;
    const now = Math.floor(Date.now() / 1000);
    const sign = (
      change: JWTPayload,
      key: CryptoKey | Uint8Array = trusted.key,
      protectedHeader: Record<string, unknown> = { alg: 'RS256', kid: trusted.jwk.kid },
    ) => new SignJWT({ ...claims, iat: now, exp: now + 600, ...change }).setProtectedHeader(protectedHeader as { alg: string }).sign(key);

    // The controls: the real token, and a well-formed token signed with the key the platform now trusts.
    const me = (token: string) => new FsmApiClient(sims.urls.fsm, { authorization: `Bearer ${token}` }).me();
    assert.equal((await me(accessToken)).status, 200, 'the real access token');
    assert.equal((await me(await sign({}))).status, 200, 'a token signed with the trusted test key');
    const httpsIssuer = sims.idpHttpsIssuers.production ?? '';
    assert.equal((await me(await sign({ iss: httpsIssuer }))).status, 200, 'a token from the tenant at its https origin');

    const attacker = await generateKeyPair('RS256');
    const ecAttacker = await generateKeyPair('ES256');
    const published = (await (await fetch(production().metadata.jwks_uri ?? '')).json()) as { keys: JWK[] };
    const realKey = published.keys.find((k) => k.kid === kid) ?? assert.fail('the signing key is not published');
    const publicPem = createPublicKey({ key: realKey as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const { code, verifier } = await newCode();
    const issued = (await redeem(production(), codeGrant(code, verifier))).body as {
      id_token: string;
      refresh_token: string;
      access_token: string;
    };
    const idSignature = issued.id_token.split('.')[2] ?? '';
    const otherIssuer = tenantOf('non-production').issuer;
    const otherTid = otherIssuer.split('/')[3];
    const forged: [string, string][] = [
      ['alg none', new UnsecuredJWT(claims).encode()],
      ['alg "None" with the original signature', `${b64({ alg: 'None', typ: 'JWT', kid })}.${payload}.${signature}`],
      ['alg none header on the original payload and signature', `${b64({ alg: 'none' })}.${payload}.${signature}`],
      ['no signature', `${header}.${payload}.`],
      ['a truncated signature', `${header}.${payload}.${signature.slice(0, -6)}`],
      ['the signature of another token', `${header}.${payload}.${idSignature}`],
      ['another RSA key under the real kid', await sign({}, attacker.privateKey, { alg: 'RS256', kid })],
      ['another RSA key without a kid', await sign({}, attacker.privateKey, { alg: 'RS256' })],
      [
        'HS256 keyed with the published public key (algorithm confusion)',
        await sign({}, new TextEncoder().encode(String(publicPem)), { alg: 'HS256', kid }),
      ],
      ['ES256 with another key under the real kid', await sign({}, ecAttacker.privateKey, { alg: 'ES256', kid })],
      [
        'its own key embedded in the header (jwk)',
        await sign({}, attacker.privateKey, { alg: 'RS256', jwk: await exportJWK(attacker.publicKey) }),
      ],
      [
        'a key set URL of its own in the header (jku)',
        await sign({}, attacker.privateKey, { alg: 'RS256', kid, jku: 'http://127.0.0.1:9/keys' }),
      ],
      ['another account (oid), original signature', withClaims({ oid: 'f'.repeat(32), sub: 'f'.repeat(32) })],
      ['a later expiry, original signature', withClaims({ exp: now + 365 * 24 * 3600 })],
      ['another audience, original signature', withClaims({ aud: 'api://other' })],
      ['the other tenant, original signature', withClaims({ iss: otherIssuer, tid: otherIssuer.split('/')[3] })],
      ['more methods in amr, original signature', withClaims({ amr: ['pwd', 'mfa', 'otp', 'hwk'] })],
      ['expired (trusted key)', await sign({ iat: now - 7200, exp: now - 3600 })],
      ['not valid yet (trusted key)', await sign({ nbf: now + 3600 })],
      ['another audience (trusted key)', await sign({ aud: 'api://other' })],
      ['no audience (trusted key)', await sign({ aud: undefined })],
      ['an untrusted issuer (trusted key)', await sign({ iss: `https://login.microsoftonline.com/${String(claims.tid)}/v2.0` })],
      ['no issuer (trusted key)', await sign({ iss: undefined })],
      ["the other tenant's tid (trusted key)", await sign({ tid: otherTid })],
      ['no tid (trusted key)', await sign({ tid: undefined })],
      ["the https issuer with the other tenant's tid (trusted key)", await sign({ iss: httpsIssuer, tid: otherTid })],
      ["the API's Application ID URI as audience, not its client ID (trusted key)", await sign({ aud: 'api://dcc-fsm' })],
      ['no MFA in amr (trusted key)', await sign({ amr: ['pwd'] })],
      ['no amr (trusted key)', await sign({ amr: undefined })],
      ['an unknown account (trusted key)', await sign({ oid: 'e'.repeat(32), sub: 'e'.repeat(32) })],
      ['RS512 (trusted key)', await sign({}, trusted.rs512, { alg: 'RS512', kid: trusted.jwk.kid })],
      ['the ID token (its audience is the client)', issued.id_token],
      ['the refresh token', issued.refresh_token],
    ];
    tally.forgedTokens += forged.length;
    for (const [what, token] of forged) {
      refusedApi(await me(token), [401], `FSM API: ${what}`);
      const info = await userinfo(production(), token);
      refused(
        (info.status === 400 || info.status === 401) && !info.text.includes(username),
        `userinfo: ${what}: ${info.status} ${info.text.slice(0, 200)}`,
      );
    }
    // userinfo answers only an access token issued for it.
    const { code: plainCode, verifier: plainVerifier } = await newCode('openid profile email');
    const forUserinfo = (await redeem(production(), codeGrant(plainCode, plainVerifier))).body.access_token ?? '';
    assert.equal((await userinfo(production(), forUserinfo)).status, 200, 'userinfo with its own access token');
    refused(
      (await userinfo(tenantOf('non-production'), forUserinfo)).status === 401,
      "userinfo of the other tenant with this tenant's access token",
    );
    refusedApi(await me(forUserinfo), [401], 'FSM API: an access token without the fsm scope');
  });

  it('asks again on prompt=login and prompt=select_account, and ends the session at the end-session endpoint, never on a forged or misdirected sign-out', async () => {
    const t = production();
    const signedOut = `${REDIRECT}/signed-out`;
    const app = await control.registerIdpClient(sims.urls.idp, {
      tenant: 'production',
      redirect_uris: [REDIRECT],
      post_logout_redirect_uris: [signedOut],
    });
    const agent = new FormAgent(REDIRECT);
    const verifier = oidc.randomPKCECodeVerifier();
    const authorize = async (extra: Record<string, string> = {}) =>
      agent.open(
        authorizeUrl(t, {
          client_id: app.client_id,
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          ...extra,
        }),
      );
    const gotCode = (page: FormPage) => page.url.startsWith(REDIRECT) && new URL(page.url).searchParams.has('code');
    const endSession = (redirect: string) => {
      const url = new URL(t.metadata.end_session_endpoint ?? '');
      url.searchParams.set('client_id', app.client_id);
      url.searchParams.set('post_logout_redirect_uri', redirect);
      return agent.open(url.href);
    };
    // A code of a step no other test has spent.
    await control.changeClock({ advance: 'PT30S' });
    const signedIn = await agent.submit(await agent.submit(await authorize(), { username, password: TEST_PASSWORD }), {
      code: await person.app.code(),
    });
    assert.ok(gotCode(signedIn), alertOf(signedIn.html) ?? signedIn.url);
    assert.ok(gotCode(await authorize()), 'the session signs in without asking');

    const again = await authorize({ prompt: 'login' });
    refused(!gotCode(again) && pagePrompt(again.html).name === 'login', `prompt=login with a session: ${again.url}`);
    const wrong = await agent.submit(again, { username, password: WRONG_PASSWORD });
    refused(!gotCode(wrong) && wrong.status === 401, `prompt=login answered with a wrong password: HTTP ${wrong.status}`);
    const select = await authorize({ prompt: 'select_account' });
    refused(!gotCode(select) && pagePrompt(select.html).name === 'select_account', `prompt=select_account with a session: ${select.url}`);
    assert.ok(gotCode(await agent.submit(select, { account: 'current' })), 'continuing as the person signed in');

    const misdirected = await endSession('https://evil.example/signed-out');
    refused(
      misdirected.status === 400 && !misdirected.url.startsWith('https://evil'),
      `an unregistered post-logout URI: ${misdirected.url}`,
    );
    const forged = await agent.submit(await endSession(signedOut), { logout: 'yes', xsrf: 'f'.repeat(43) });
    refused(forged.status === 400 && !forged.url.startsWith(signedOut), `a sign-out without its xsrf token: HTTP ${forged.status}`);
    assert.ok(gotCode(await authorize()), 'still signed in after the refused sign-outs');
    const confirm = await endSession(signedOut);
    assert.equal(pagePrompt(confirm.html).name, 'logout', confirm.html.slice(0, 300));
    assert.ok((await agent.submit(confirm, { logout: 'yes' })).url.startsWith(signedOut), 'back at the registered post-logout URI');
    const after = await authorize();
    refused(!gotCode(after) && pagePrompt(after.html).name === 'login', `a request after signing out: ${after.url}`);
  });

  it('refuses a TOTP code spent at DCC Identity when it is replayed there', async () => {
    const agent = new FormAgent(REDIRECT);
    const verifier = oidc.randomPKCECodeVerifier();
    const start = async (a: FormAgent) =>
      a.submit(
        await a.open(
          authorizeUrl(production(), { code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }),
        ),
        { username, password: TEST_PASSWORD },
      );
    const code = await person.app.code();
    const signedIn = await agent.submit(await start(agent), { code });
    assert.ok(signedIn.url.startsWith(REDIRECT), alertOf(signedIn.html) ?? signedIn.url);
    const thief = new FormAgent(REDIRECT);
    const replay = await thief.submit(await start(thief), { code });
    refused(
      replay.status === 400 && !replay.url.startsWith(REDIRECT) && /already been used/.test(alertOf(replay.html) ?? ''),
      `a spent code at DCC Identity: ${replay.status} ${alertOf(replay.html)}`,
    );
    tally.replays += 1;
  });
});

it('ran at least 100 negative checks, every one refused', () => {
  assert.ok(tally.attacks >= 100, `only ${tally.attacks} negative checks ran`);
  assert.equal(tally.refused, tally.attacks);
});
