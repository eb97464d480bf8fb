/**
 * API mode against a real environment signs in as DCC Identity's (Entra's) people do (issue 17, part
 * 4): the authorization code flow with PKCE in Chromium, on DCC Identity's sign-in pages with MFA by
 * the person's authenticator app, the code caught at the harness's loopback redirect URI and
 * exchanged for a token the Table, Attachment and Catalog APIs take as a bearer. Proved against a
 * simulator that a target file calls an environment: DCC onboards the parties and their
 * administrators set up their accounts first (as they would), then the UEPT suite runs and the
 * simulator's journal shows no request to /api/x_dcc/auth/* and no control call.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { AuthenticatorApp } from '../../clients/authenticator';
import type { LoginPrompt } from '../../clients/fsm-api';
import { signInWithOidc } from '../../clients/oidc-sign-in';
import { SimControlClient } from '../../clients/sim-control';
import { resolveTarget } from '../../clients/target';
import { FSM_RESOURCE, FSM_SCOPE } from '../../simulators/idp/entra';
import type { Simulators } from '../../simulators/start';
import { startTestSimulators } from '../support';

let sims: Simulators;
const isControl = (path: string) => path.startsWith('/__sim') && !path.startsWith('/__sim/journal');
const dir = mkdtempSync(join(tmpdir(), 'fsm-entra-target-'));

before(async () => {
  sims = await startTestSimulators();
});
after(async () => {
  await sims?.stop();
});

/**
 * DCC onboards the party with its administrator on DCC Identity; the administrator signs in once
 * (a new password, an authenticator app), as before any run. They enrol with the code of the previous
 * time step (inside the platform's window), so that the run's first sign-in is never a replay of it.
 */
async function setUpAccount(control: SimControlClient, alias: string, n: number) {
  const onboarded = await control.onboardParty({
    name: `${alias} Entra ${n}`,
    userRoles: ['IS'],
    regions: ['North'],
    gatewayConnected: true,
    administrator: { email: `admin${n}@entra-target.example`, name: `${alias} administrator`, identityPath: 'entra' },
  });
  const redirectUri = 'http://127.0.0.1:9/setup';
  const registered = await control.registerIdpClient(sims.urls.idp, { tenant: 'production', redirect_uris: [redirectUri] });
  const app = new AuthenticatorApp(control.timeSource());
  const password = `Entra-target-${n}-Password!`;
  let totpSecret = '';
  const answer = async (prompt: LoginPrompt): Promise<Record<string, string>> => {
    if (prompt.name === 'password_change') return { new_password: password, confirm_password: password };
    if (prompt.name === 'mfa_choose') return { method: 'totp' };
    if (prompt.name !== 'mfa_enrol_totp') throw new Error(`Unexpected prompt ${prompt.name} while setting up ${alias}`);
    totpSecret = prompt.data?.secret ?? '';
    app.add(totpSecret);
    return { code: await app.codeAt(-1) };
  };
  const { username, oneTimePassword } = onboarded.administrator;
  const client = { issuer: registered.issuer, clientId: registered.client_id, clientSecret: registered.client_secret, redirectUri };
  const setUp = await signInWithOidc(client, username, oneTimePassword, answer);
  assert.ok(setUp.ok && totpSecret, `${alias}'s administrator set up their account: ${JSON.stringify(setUp)}`);
  return {
    administrator: { username, password: `env:FSM_ENTRA_${n}_PASSWORD`, totpSecret: `env:FSM_ENTRA_${n}_TOTP` },
    env: { [`FSM_ENTRA_${n}_PASSWORD`]: password, [`FSM_ENTRA_${n}_TOTP`]: totpSecret },
  };
}

const app = {
  issuer: 'https://login.example/tid/v2.0',
  clientId: 'harness',
  redirectUri: 'http://127.0.0.1:53682/cb',
  scope: 'api://x/fsm',
};

test("a target file with Entra sign-in needs the app, a loopback redirect URI and each administrator's TOTP key", () => {
  const path = join(dir, 'invalid.json');
  const write = (file: object) =>
    writeFileSync(path, JSON.stringify({ name: 'UIT', fsm: 'https://uit.example.net', signIn: 'entra', ...file }));
  write({ parties: { A: { administrator: { username: 'a@b.example', password: 'x' } } } });
  assert.throws(
    () => resolveTarget(path, {}),
    (e: Error) => /"A" needs the harness's app at DCC Identity/.test(e.message) && /"A"'s administrator needs "totpSecret"/.test(e.message),
  );
  write({ entra: { ...app, redirectUri: 'https://app.example.com/cb' }, parties: {} });
  assert.throws(() => resolveTarget(path, {}), /entra\.redirectUri: an http redirect URI on the loopback/);
  write({ entra: app, parties: { A: { administrator: { username: 'a@b.example', password: 'env:PW', totpSecret: 'env:KEY' } } } });
  const target = resolveTarget(path, { PW: 'pw', KEY: 'JBSWY3DPEHPK3PXP' });
  assert.deepEqual(target.kind === 'environment' && target.parties.A, {
    administrator: { username: 'a@b.example', password: 'pw', totpSecret: 'JBSWY3DPEHPK3PXP' },
    entra: app,
  });
});

test('the UEPT suite passes in API mode signing in through DCC Identity: no call to /api/x_dcc/auth/*, no control call', async (t) => {
  const control = new SimControlClient(sims.urls.fsm);
  const a = await setUpAccount(control, 'Supplier A', 1);
  const b = await setUpAccount(control, 'Network Operator B', 2);
  // Registered without a port, as Entra apps often are: the harness listens on a free one.
  const redirectUri = 'http://127.0.0.1/fsm-harness/callback';
  const harness = await control.registerIdpClient(sims.urls.idp, {
    tenant: 'production',
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: 'none',
  });
  const path = join(dir, 'entra-target.json');
  writeFileSync(
    path,
    JSON.stringify({
      name: 'Rehearsal UIT (Entra)',
      fsm: sims.urls.fsm,
      signIn: 'entra',
      entra: { issuer: harness.issuer, clientId: harness.client_id, redirectUri, scope: `${FSM_RESOURCE}/${FSM_SCOPE}` },
      parties: { 'Supplier A': { administrator: a.administrator }, 'Network Operator B': { administrator: b.administrator } },
    }),
  );
  const [last] = (await control.journal({ limit: 1 })).slice(-1);
  // Not spawnSync: the simulators run in this process and must answer while cucumber runs.
  const run = await promisify(execFile)('npx', ['cucumber-js', 'features/uept', '--format', 'summary'], {
    env: { ...process.env, ...a.env, ...b.env, FSM_TARGET: path, FSM_MODE: 'api' },
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) =>
    assert.fail(`${error.message}\n${error.stdout}${error.stderr}`),
  );
  t.diagnostic(
    run.stdout
      .split('\n')
      .filter((line) => /^\d+ (scenarios|steps)/.test(line))
      .join('; '),
  );
  const passed = Number(/^\d+ scenarios? \(.*?(\d+) passed\)/m.exec(run.stdout)?.[1] ?? 0);
  assert.ok(passed > 0, `some scenarios ran signed in through DCC Identity, not all skipped:\n${run.stdout}`);
  const requests = await control.journal({ since: last?.id ?? 0 });
  assert.deepEqual(
    // POST /__sim/mailbox is the platform's email gateway delivering its own mail, not the harness.
    requests.filter(
      (r) => r.path.startsWith('/api/x_dcc/auth') || (isControl(r.path) && !(r.method === 'POST' && r.path === '/__sim/mailbox')),
    ),
    [],
  );
  assert.ok(!requests.some((r) => r.path === '/oauth_token.do'), "the bearer tokens were DCC Identity's, not the platform's OAuth tokens");
});
