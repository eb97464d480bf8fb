/**
 * Targets: a target file describes a real environment; the harness never sends it a control call, and
 * a scenario whose steps need the control API is skipped with "not available on this target", not
 * failed. Proved against a simulator that the target file calls an environment: its journal shows
 * every request the run made.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SimControlClient } from '../../clients/sim-control';
import { resolveTarget } from '../../clients/target';
import { identityOf } from '../../reporting/target-kind';
import { tlsFingerprintOf } from '../../reporting/tls-fingerprint';
import type { Simulators } from '../../simulators/start';
import { startTestSimulators } from '../support';

let sims: Simulators;
const dir = mkdtempSync(join(tmpdir(), 'fsm-target-'));

before(async () => {
  sims = await startTestSimulators();
});
after(async () => {
  await sims?.stop();
});

function targetFile(body: unknown): string {
  const path = join(dir, `target-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

test('a target file resolves secrets from the environment and says what is wrong with it', () => {
  const path = targetFile({
    name: 'UIT',
    fsm: 'https://uit.example.net/',
    parties: { 'Supplier A': { administrator: { username: 'a@b.example', password: 'env:PW' } } },
  });
  const target = resolveTarget(path, { PW: 's3cret' });
  assert.equal(target.kind, 'environment');
  assert.deepEqual(target.kind === 'environment' && { fsm: target.fsm, password: target.parties['Supplier A']?.administrator.password }, {
    fsm: 'https://uit.example.net',
    password: 's3cret',
  });
  assert.throws(() => resolveTarget(path, {}), /environment variable PW, which is not set/);
  // A variable named as Object.prototype's members are (issue 14) is as unset as any other.
  const inherited = targetFile({
    name: 'UIT',
    fsm: 'https://uit.example.net/',
    parties: { A: { administrator: { username: 'a@b.example', password: 'env:constructor' } } },
  });
  assert.throws(() => resolveTarget(inherited, {}), /environment variable constructor, which is not set/);
  assert.throws(() => resolveTarget(targetFile({ name: 'UIT', fsm: 'not a url' }), {}), /fsm: Invalid url/);
  assert.throws(() => resolveTarget(join(dir, 'missing.json'), {}), /"sim", a simulator's URL or a target file/);
  assert.deepEqual(resolveTarget('http://127.0.0.1:4010/'), {
    kind: 'simulator',
    name: 'simulator at http://127.0.0.1:4010/',
    fsm: 'http://127.0.0.1:4010',
  });
});

test('on a real environment, steps that need the control API are skipped and no control call is sent', async () => {
  const control = new SimControlClient(sims.urls.fsm);
  const [last] = (await control.journal({ limit: 1 })).slice(-1);
  const path = targetFile({ name: 'Rehearsal UIT', fsm: sims.urls.fsm });
  const run = spawnSync('npx', ['cucumber-js', 'features/uept/raise-incident.feature', '--name', 'numbered', '--format', 'summary'], {
    env: { ...process.env, FSM_TARGET: path, FSM_MODE: 'api' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /1 scenario \(1 skipped\)/);
  const requests = await control.journal({ since: last?.id ?? 0 });
  assert.deepEqual(
    requests.filter((r) => r.path.startsWith('/__sim') && !r.path.startsWith('/__sim/journal')),
    [],
  );
});

test("a run's environment identity: the target file's tenant, and the fingerprint of the TLS certificate the platform presents", async () => {
  const path = targetFile({ name: 'UIT 1', tenant: 'dcc-uit', fsm: 'https://uit.example.net/' });
  const target = resolveTarget(path, {});
  assert.deepEqual(identityOf(target, undefined, 'AA:BB'), {
    targetKind: 'environment',
    environmentName: 'UIT 1',
    environmentUrl: 'https://uit.example.net',
    environmentTenant: 'dcc-uit',
    tlsFingerprint: 'AA:BB',
  });
  // A certificate made by openssl (not by the harness), served over TLS: its fingerprint as openssl computes it.
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]),
    { encoding: 'utf8' },
  );
  assert.equal(made.status, 0, made.stderr);
  const expected = spawnSync('openssl', ['x509', '-in', join(dir, 'cert.pem'), '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
  const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_, res) =>
    res.end(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    assert.equal(`sha256 Fingerprint=${await tlsFingerprintOf(`https://127.0.0.1:${port}/`)}`, expected.stdout.trim());
    assert.equal(await tlsFingerprintOf(`http://127.0.0.1:${port}/`), null, 'plain http has no certificate');
  } finally {
    server.close();
  }
});
