/**
 * API mode against a real environment signs in only as a real platform allows (issue 17, part 4):
 * by OAuth at /oauth_token.do with each party's OAuth app and integration account, never by the
 * simulator's own login API. Proved against a simulator that a target file calls an environment:
 * DCC hands over the parties, apps and accounts first (as it would), then the UEPT suite runs and
 * the simulator's journal shows no request to /api/x_dcc/auth/* and no control call.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SimControlClient } from '../../clients/sim-control';
import { resolveTarget } from '../../clients/target';
import { fixtureFaker } from '../../fixtures/faker';
import { buildParty } from '../../fixtures/parties';
import type { Simulators } from '../../simulators/start';
import { startTestSimulators } from '../support';

let sims: Simulators;
const isControl = (path: string) => path.startsWith('/__sim') && !path.startsWith('/__sim/journal');
const dir = mkdtempSync(join(tmpdir(), 'fsm-oauth-target-'));

before(async () => {
  sims = await startTestSimulators();
});
after(async () => {
  await sims?.stop();
});

/** What DCC hands a party for its integration: the OAuth app from onboarding and a web-service account with the administrator's roles. */
async function handOver(control: SimControlClient, alias: string, seed: number) {
  const onboarded = await control.onboardParty(buildParty(fixtureFaker(seed, alias), `oauth${seed}`));
  assert.ok(onboarded.oauthApp, 'onboarding hands the party an OAuth app');
  const account = await control.addIntegrationUser({
    party_id: onboarded.party.id,
    user_name: `integration.${seed}@${onboarded.administrator.username.split('@')[1] ?? 'example.com'}`,
    name: `${alias} integration`,
    roles: onboarded.administrator.roles,
  });
  return {
    administrator: { username: onboarded.administrator.username, password: 'env:FSM_UNUSED_ADMIN_PASSWORD' },
    integration: {
      clientId: onboarded.oauthApp.client_id,
      clientSecret: `env:FSM_${seed}_CLIENT_SECRET`,
      username: account.user_name,
      password: `env:FSM_${seed}_INTEGRATION_PASSWORD`,
    },
    env: { [`FSM_${seed}_CLIENT_SECRET`]: onboarded.oauthApp.client_secret, [`FSM_${seed}_INTEGRATION_PASSWORD`]: account.password },
  };
}

test("a target file with OAuth sign-in needs each party's integration, and may move DCC's APIs", () => {
  const path = join(dir, 'invalid.json');
  const administrator = { username: 'a@b.example', password: 'x' };
  writeFileSync(path, JSON.stringify({ name: 'UIT', fsm: 'https://uit.example.net', signIn: 'oauth', parties: { A: { administrator } } }));
  assert.throws(() => resolveTarget(path, {}), /parties: with "signIn": "oauth" every party needs its "integration"/);
  writeFileSync(path, JSON.stringify({ name: 'UIT', fsm: 'https://uit.example.net', apis: { oms: '/api/x_dcc_oms/v1' } }));
  const target = resolveTarget(path, {});
  assert.deepEqual(target.kind === 'environment' && [target.signIn, target.apis.oms, target.apis.notifications], [
    'login',
    '/api/x_dcc_oms/v1',
    '/api/x_dcc/notifications',
  ]);
});

test('the UEPT suite passes in API mode signing in only by OAuth: no call to /api/x_dcc/auth/*, no control call', async () => {
  const control = new SimControlClient(sims.urls.fsm);
  const a = await handOver(control, 'Supplier A', 1);
  const b = await handOver(control, 'Network Operator B', 2);
  const path = join(dir, 'oauth-target.json');
  const party = ({ administrator, integration }: typeof a) => ({ administrator, integration });
  writeFileSync(
    path,
    JSON.stringify({
      name: 'Rehearsal UIT (OAuth)',
      fsm: sims.urls.fsm,
      signIn: 'oauth',
      parties: { 'Supplier A': party(a), 'Network Operator B': party(b) },
    }),
  );
  const [last] = (await control.journal({ limit: 1 })).slice(-1);
  // Not spawnSync: the simulators run in this process and must answer while cucumber runs.
  const run = await promisify(execFile)('npx', ['cucumber-js', 'features/uept', '--format', 'summary'], {
    env: { ...process.env, ...a.env, ...b.env, FSM_UNUSED_ADMIN_PASSWORD: 'never-sent', FSM_TARGET: path, FSM_MODE: 'api' },
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) =>
    assert.fail(`${error.message}\n${error.stdout}${error.stderr}`),
  );
  const passed = Number(/^\d+ scenarios? \(.*?(\d+) passed\)/m.exec(run.stdout)?.[1] ?? 0);
  assert.ok(passed > 0, `some scenarios ran by OAuth, not all skipped:\n${run.stdout}`);
  const requests = await control.journal({ since: last?.id ?? 0 });
  assert.deepEqual(
    // POST /__sim/mailbox is the platform's email gateway delivering its own mail (onboarding's), not the harness.
    requests.filter(
      (r) => r.path.startsWith('/api/x_dcc/auth') || (isControl(r.path) && !(r.method === 'POST' && r.path === '/__sim/mailbox')),
    ),
    [],
  );
  assert.ok(
    requests.some((r) => r.path === '/oauth_token.do'),
    'the harness signed in at /oauth_token.do',
  );
});
