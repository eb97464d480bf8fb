/** Local identity over HTTP: MFA enrolment and verification, replay, lockout, email gateway failures, resets, routes. */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { FsmApiClient, type LoginStep } from '../../clients/fsm-api';
import type { ApiResponse } from '../../clients/http';
import { answerPrompt } from '../../clients/login-answers';
import { SimControlClient } from '../../clients/sim-control';
import type { Simulators } from '../../simulators/start';
import { newSysId } from '../../simulators/domain/ids';
import { findAccountByUsername, insertAccount } from '../../simulators/store/accounts';
import { securityEvents } from '../../simulators/store/mfa';
import { assertRefused, signedInClient, startTestSimulators, TEST_PASSWORD, testPerson, type SignedIn } from '../support';

type LoginResponse = ApiResponse<{ result: LoginStep }>;

function promptOf(response: LoginResponse) {
  assert.equal(response.status, 200, JSON.stringify(response.body));
  const result = response.body.result;
  if (result.status !== 'prompt') assert.fail(`expected a prompt, got ${result.status}`);
  return result;
}

describe('MFA at login', () => {
  let sims: Simulators;
  let n = 0;
  const party = (name: string) => `${name} ${++n}`;
  const mail = setupServer();

  before(async () => {
    sims = await startTestSimulators();
    mail.listen({ onUnhandledRequest: 'bypass' });
  });
  afterEach(() => {
    mail.resetHandlers();
    sims.clock.reset();
  });
  after(async () => {
    mail.close();
    await sims?.stop();
  });

  async function secondLogin(who: SignedIn): Promise<LoginResponse> {
    return new FsmApiClient(sims.urls.fsm).startLogin(who.username, TEST_PASSWORD);
  }

  it('enrols an authenticator app at first login and asks for a code at every login after', async () => {
    const admin = await signedInClient(sims, party('Totp Energy'));
    assert.deepEqual(admin.prompts, ['password_change', 'mfa_choose', 'mfa_enrol_totp']);
    const me = (await admin.api.me()).body.result;
    assert.deepEqual({ method: me.mfa_method, amr: me.amr }, { method: 'totp', amr: ['pwd', 'mfa', 'otp'] });
    const verify = promptOf(await secondLogin(admin));
    assert.equal(verify.prompt.name, 'mfa_verify');
    const api = new FsmApiClient(sims.urls.fsm);
    const done = await api.continueLogin(verify.login_token, { code: await admin.person.app.code() });
    assert.equal(done.body.result.status, 'authenticated');
  });

  it('shows the key, the otpauth URI and a QR code at enrolment', async () => {
    const onboarded = await new SimControlClient(sims.urls.fsm).onboardParty({
      name: party('Qr Power'),
      userRoles: ['GS'],
      regions: ['South'],
      gatewayConnected: true,
      administrator: { email: `qr${n}@qr.example`, name: 'Q' },
    });
    const api = new FsmApiClient(sims.urls.fsm);
    let step = promptOf(await api.startLogin(onboarded.administrator.username, onboarded.administrator.oneTimePassword));
    step = promptOf(await api.continueLogin(step.login_token, { new_password: TEST_PASSWORD, confirm_password: TEST_PASSWORD }));
    step = promptOf(await api.continueLogin(step.login_token, { method: 'totp' }));
    const data = step.prompt.data ?? {};
    assert.match(data.secret ?? '', /^[A-Z2-7]{32}$/);
    assert.match(
      data.otpauth_uri ?? '',
      /^otpauth:\/\/totp\/DCC%20FSM:qr\d+%40qr\.example\?secret=[A-Z2-7]{32}&period=30&digits=6&algorithm=SHA1&issuer=DCC%20FSM$/,
    );
    const [, svg = ''] = /^data:image\/svg\+xml;base64,(.+)$/.exec(data.qr_code ?? '') ?? [];
    assert.match(
      Buffer.from(svg, 'base64').toString('utf8'),
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*width="240"[^>]*>.*<path[^>]+d="M[^"]{100,}"/s,
    );
    assertRefused(await api.continueLogin(step.login_token, { code: '12345' }), 400, /code does not match/);
  });

  it('accepts one step of drift, refuses two, and refuses a replayed code, logging it', async () => {
    const admin = await signedInClient(sims, party('Drift Gas'));
    const api = new FsmApiClient(sims.urls.fsm);
    const login = async () => promptOf(await secondLogin(admin)).login_token;
    sims.clock.advance('PT5M');
    assertRefused(await api.continueLogin(await login(), { code: await admin.person.app.codeAt(-2) }), 400, /not right/);
    const previous = await admin.person.app.codeAt(-1);
    assert.equal((await api.continueLogin(await login(), { code: previous })).body.result.status, 'authenticated');
    assertRefused(await api.continueLogin(await login(), { code: previous }), 400, /already been used/);
    const events = await securityEvents(sims.core.db, (await admin.api.me()).body.result.sys_id);
    assert.ok(events.some((e) => e.kind === 'totp_replay'));
  });

  it('enrols email codes, one live code at a time, valid for 10 minutes', async () => {
    const admin = await signedInClient(sims, party('Mail Supply'), { mfaMethod: 'email' });
    assert.deepEqual(admin.prompts, ['password_change', 'mfa_choose', 'mfa_enrol_email']);
    const api = new FsmApiClient(sims.urls.fsm);
    const first = promptOf(await secondLogin(admin));
    assert.match(first.prompt.message, /sent a 6-digit code to a\*\*\*@mail-supply-\d+\.example/);
    const oldCode = await admin.person.readEmailCode();
    const resent = promptOf(await api.continueLogin(first.login_token, { action: 'resend' }));
    assertRefused(await api.continueLogin(resent.login_token, { code: oldCode === '000000' ? '000001' : oldCode }), 400, /not right/);
    const fresh = await admin.person.readEmailCode();
    sims.clock.advance('PT10M1S');
    assertRefused(await api.continueLogin(resent.login_token, { code: fresh }), 400, /expired/);
    const again = promptOf(await api.continueLogin(resent.login_token, { action: 'resend' }));
    const done = await api.continueLogin(again.login_token, { code: await admin.person.readEmailCode() });
    assert.equal(done.body.result.status, 'authenticated');
  });

  it('locks the account after 5 wrong codes, says nothing more, and unlocks after 15 minutes', async () => {
    const admin = await signedInClient(sims, party('Lock Energy'));
    const api = new FsmApiClient(sims.urls.fsm);
    const token = promptOf(await secondLogin(admin)).login_token;
    for (let i = 0; i < 4; i++) assertRefused(await api.continueLogin(token, { code: '000000' }), 400, /not right/);
    assertRefused(await api.continueLogin(token, { code: '000000' }), 401, /User Not Authenticated/);
    const locked = await secondLogin(admin);
    const stranger = await new FsmApiClient(sims.urls.fsm).startLogin('nobody@nowhere.example', TEST_PASSWORD);
    assert.deepEqual([locked.status, locked.body], [401, stranger.body]);
    sims.clock.advance('PT15M1S');
    assert.equal(promptOf(await secondLogin(admin)).prompt.name, 'mfa_verify');
  });

  it('counts wrong codes across logins: a known password does not buy more guesses', async () => {
    const admin = await signedInClient(sims, party('Guess Co'));
    const api = new FsmApiClient(sims.urls.fsm);
    for (let i = 0; i < 4; i++)
      assertRefused(await api.continueLogin(promptOf(await secondLogin(admin)).login_token, { code: '000000' }), 400, /not right/);
    assertRefused(
      await api.continueLogin(promptOf(await secondLogin(admin)).login_token, { code: '000000' }),
      401,
      /User Not Authenticated/,
    );
    assertRefused(await secondLogin(admin), 401, /User Not Authenticated/);
  });

  it('locks the account after 5 wrong passwords, with the same answer as for an unknown user', async () => {
    const admin = await signedInClient(sims, party('Pwd Power'));
    const api = new FsmApiClient(sims.urls.fsm);
    for (let i = 0; i < 5; i++) assertRefused(await api.startLogin(admin.username, 'Wrong-Password-1!'), 401, /User Not Authenticated/);
    const locked = await api.startLogin(admin.username, TEST_PASSWORD);
    const unknown = await api.startLogin('ghost@nowhere.example', 'Wrong-Password-1!');
    assert.deepEqual(locked.body, unknown.body);
  });

  it('tells the person when the email gateway fails or is slow, and lets them choose another method', async () => {
    const onboarded = await new SimControlClient(sims.urls.fsm).onboardParty({
      name: party('Gateway Down'),
      userRoles: ['IS'],
      regions: ['North'],
      gatewayConnected: false,
      administrator: { email: `down${n}@down.example`, name: 'D' },
    });
    const api = new FsmApiClient(sims.urls.fsm);
    let step = promptOf(await api.startLogin(onboarded.administrator.username, onboarded.administrator.oneTimePassword));
    step = promptOf(await api.continueLogin(step.login_token, { new_password: TEST_PASSWORD, confirm_password: TEST_PASSWORD }));
    mail.use(http.post(`${sims.urls.fsm}/__sim/mailbox`, () => HttpResponse.json({ error: 'down' }, { status: 502 })));
    step = promptOf(await api.continueLogin(step.login_token, { method: 'email' }));
    assert.match(step.prompt.error ?? '', /could not send the email.*choose another way/);
    mail.use(http.post(`${sims.urls.fsm}/__sim/mailbox`, async () => delay('infinite')));
    step = promptOf(await api.continueLogin(step.login_token, { action: 'resend' }));
    assert.match(step.prompt.error ?? '', /could not send the email/);
    step = promptOf(await api.continueLogin(step.login_token, { action: 'choose_another' }));
    assert.equal(step.prompt.name, 'mfa_choose');
    const person = testPerson(sims, onboarded.administrator.username);
    step = promptOf(await api.continueLogin(step.login_token, { method: 'totp' }));
    const done = await api.continueLogin(step.login_token, await answerPrompt(person, step.prompt));
    assert.equal(done.body.result.status, 'authenticated');
  });

  it('refuses text messages while the feature flag is off', async () => {
    const onboarded = await new SimControlClient(sims.urls.fsm).onboardParty({
      name: party('Sms Co'),
      userRoles: ['IS'],
      regions: ['North'],
      gatewayConnected: false,
      administrator: { email: `sms${n}@sms.example`, name: 'S' },
    });
    const api = new FsmApiClient(sims.urls.fsm);
    let step = promptOf(await api.startLogin(onboarded.administrator.username, onboarded.administrator.oneTimePassword));
    step = promptOf(await api.continueLogin(step.login_token, { new_password: TEST_PASSWORD, confirm_password: TEST_PASSWORD }));
    assert.deepEqual(
      step.prompt.fields[0]?.choices?.map((c) => c.value),
      ['totp', 'email'],
    );
    assertRefused(await api.continueLogin(step.login_token, { method: 'sms' }), 400, /Text messages are not offered/);
  });

  it('changes the MFA method only after a fresh check of the current one', async () => {
    const admin = await signedInClient(sims, party('Change Co'));
    const started = await admin.api.changeMfa();
    const verify = promptOf(started);
    assert.equal(verify.prompt.name, 'mfa_verify');
    assertRefused(await admin.api.continueLogin(verify.login_token, { method: 'email' }), 400, /Enter the code/);
    admin.person.mfaMethod = 'email';
    const { response, prompts } = await admin.api.answerPrompts(started, (p) => answerPrompt(admin.person, p));
    assert.deepEqual(prompts, ['mfa_verify', 'mfa_choose', 'mfa_enrol_email']);
    assert.equal(response.body.result.status, 'done');
    assert.equal((await admin.api.me()).body.result.mfa_method, 'email');
    assert.equal(promptOf(await secondLogin(admin)).prompt.data?.method, 'email');
  });

  it('resets a forgotten password with an emailed code and ends the old sessions', async () => {
    const admin = await signedInClient(sims, party('Forgot Ltd'));
    const api = new FsmApiClient(sims.urls.fsm);
    const unknown = await api.forgotPassword('nobody@nowhere.example');
    const known = await api.forgotPassword(admin.username);
    assert.deepEqual([known.status, known.body], [unknown.status, unknown.body]);
    assert.equal(known.status, 202);
    const code = await admin.person.readEmailCode();
    assertRefused(await api.resetPassword(admin.username, code, 'short'), 400, /at least 12/);
    assertRefused(await api.resetPassword(admin.username, code === '000000' ? '111111' : '000000', 'New-Password-2024!'), 401, /not right/);
    assert.equal((await api.resetPassword(admin.username, code, 'New-Password-2024!')).status, 200);
    assertRefused(await api.resetPassword(admin.username, code, 'Other-Password-2024!'), 401, /already been used/);
    assertRefused(await admin.api.me(), 401, /User Not Authenticated/);
    assertRefused(await api.startLogin(admin.username, TEST_PASSWORD), 401, /User Not Authenticated/);
    assert.equal(promptOf(await api.startLogin(admin.username, 'New-Password-2024!')).prompt.name, 'mfa_verify');
  });
});

describe('MFA reset by an administrator', () => {
  let sims: Simulators;
  before(async () => (sims = await startTestSimulators()));
  after(() => sims?.stop());

  it("clears a user's MFA in the same party only; the user enrols again at the next sign-in", async () => {
    const admin = await signedInClient(sims, 'Reset Energy');
    const other = await signedInClient(sims, 'Other Power');
    // A second user of the admin's party, as user administration (issue 4) will create them.
    const account = await findAccountByUsername(sims.core.db, admin.username);
    const userId = newSysId();
    await insertAccount(sims.core.db, {
      ...(account as NonNullable<typeof account>),
      id: userId,
      username: 'user@reset-energy.example',
      roles: ['SERVICE_USER'],
      password_must_change: false,
      password_expires_at: null,
    });
    await sims.core.db.query(`UPDATE account SET mfa_method = 'email' WHERE id = $1`, [userId]);
    const reset = (api: FsmApiClient, id: string) => api.request('POST', `/api/x_dcc/auth/users/${id}/mfa/reset`, { json: {} });
    assertRefused(await reset(other.api, userId), 404, /No Record found/);
    assert.equal((await reset(admin.api, userId)).status, 200);
    const next = promptOf(await new FsmApiClient(sims.urls.fsm).startLogin('user@reset-energy.example', TEST_PASSWORD));
    assert.equal(next.prompt.name, 'mfa_choose');
    const plainUser = new FsmApiClient(sims.urls.fsm);
    const person = testPerson(sims, 'user@reset-energy.example');
    await plainUser.answerPrompts(await plainUser.startLogin('user@reset-energy.example', TEST_PASSWORD), (p) => answerPrompt(person, p));
    assertRefused(await reset(plainUser, (await admin.api.me()).body.result.sys_id), 403, /accounts\.admin/);
  });
});

describe('internet access policy', () => {
  let sims: Simulators;
  before(async () => (sims = await startTestSimulators()));
  after(() => sims?.stop());

  async function loginOnInternet(who: SignedIn, ip: string): Promise<ApiResponse> {
    // The internet listener trusts X-Forwarded-For from loopback, as if behind DCC's internet proxy.
    const json = { username: who.username, password: TEST_PASSWORD };
    return new FsmApiClient(sims.urls.fsmInternet).request('POST', '/api/x_dcc/auth/login', { json, headers: { 'x-forwarded-for': ip } });
  }

  it('lets in a registered party from its allowlist, and no one else', async () => {
    const control = new SimControlClient(sims.urls.fsm);
    const registered = await signedInClient(sims, 'Internet Energy', {
      party: { internetRegistered: true, internetCidrs: ['203.0.113.0/28'] },
    });
    const gateway = await signedInClient(sims, 'Gateway Networks', { party: { gatewayConnected: true } });
    const unregistered = await signedInClient(sims, 'Unregistered Supply');
    assert.equal((await loginOnInternet(registered, '203.0.113.9')).status, 200);
    assertRefused(await loginOnInternet(registered, '198.51.100.7'), 403, /198\.51\.100\.7 is not on your organisation's allowlist/);
    assertRefused(await loginOnInternet(gateway, '203.0.113.9'), 403, /through the Gateway/);
    assertRefused(await loginOnInternet(unregistered, '203.0.113.9'), 403, /not registered for internet access/);
    const onInternet = new FsmApiClient(sims.urls.fsmInternet);
    onInternet.useToken(registered.api.accessToken);
    await control.setPartyAccess(registered.partyId, { internetCidrs: ['192.0.2.0/24'] });
    assertRefused(
      await onInternet.request('GET', '/api/now/table/incident', { headers: { 'x-forwarded-for': '203.0.113.9' } }),
      403,
      /allowlist/,
    );
    assert.equal((await registered.api.list('incident')).status, 200);
  });
});
