/**
 * DCC's completion service end to end: three parties run a small part of the UEPT suite in separate
 * `fsm-harness run` processes, each in its own installation (its own results store, signing key and
 * packs); one of them as two shards. Alpha and Beta run against a simulator the service's
 * configuration recognises, so their runs count; Gamma's run against a simulator it started itself (a
 * URL the service does not know) is a rehearsal. Each submits with `fsm-harness submit`; the service
 * merges them into one view. Then every forgery of tests/hardening/forgery.test.ts that applies to a
 * pack in transit is tried on the service, and each refusal must name what is wrong. Last, the
 * dashboard in Chromium: axe-clean, and its table is what the CSV export says.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { packBody, choosePacks } from '../../cli/submit';
import { launchChromium } from '../../clients/browser';
import { sha256 } from '../../reporting/pack-check';
import { signEnvelope, type DsseEnvelope } from '../../reporting/signing/dsse';
import { keyIdOf } from '../../reporting/signing/keys';
import { IN_TOTO_PAYLOAD, type RunStatement } from '../../reporting/signing/statement';
import { serviceConfig } from '../../service/config';
import { startService, type RunningService } from '../../service/start';
import type { Simulators } from '../../simulators/start';
import { startTestSimulators } from '../support';

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'fsm-harness.js');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = '@UEPT-FSM-02';

/** A party's own installation of the harness: its features and steps, and its own store, keys and packs. */
function installation(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `fsm-runner-${name}-`));
  for (const f of ['features', 'steps', 'cucumber.js', 'config', 'node_modules', 'package.json', 'tsconfig.json'])
    symlinkSync(join(ROOT, f), join(dir, f));
  return dir;
}

function harness(cwd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, FSM_PARTY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => done({ code, out }));
  });
}

const publicKeyOf = (dir: string) => readFileSync(join(dir, '.fsm-keys', 'signing-key.pub.pem'), 'utf8');
const privateKeyOf = (dir: string) => createPrivateKey(readFileSync(join(dir, '.fsm-keys', 'signing-key.pem')));

describe('the completion service', () => {
  let sims: Simulators;
  let service: RunningService;
  let browser: Browser | undefined;
  const alpha = installation('alpha');
  const beta1 = installation('beta1');
  const beta2 = installation('beta2');
  const gamma = installation('gamma');

  before(async () => {
    sims = await startTestSimulators();
    const run = (dir: string, party: string, target: string, extra: string[] = []) =>
      harness(dir, ['run', '--tags', TAGS, '--party', party, '--target', target, '--no-pdf', ...extra]);
    const runs = await Promise.all([
      run(alpha, 'Alpha Energy', sims.urls.fsm),
      run(beta1, 'Beta Networks', sims.urls.fsm, ['--shard', '1/2']),
      run(beta2, 'Beta Networks', sims.urls.fsm, ['--shard', '2/2']),
      run(gamma, 'Gamma Supply', 'sim'),
    ]);
    for (const r of runs) assert.equal(r.code, 0, r.out);
    const config = serviceConfig({
      parties: {
        'Alpha Energy': [publicKeyOf(alpha)],
        'Beta Networks': [publicKeyOf(beta1), publicKeyOf(beta2)],
        'Gamma Supply': [publicKeyOf(gamma)],
      },
      environments: [{ name: 'UIT (simulator registered for the test)', url: `${sims.urls.fsm}/` }],
      expectedIncidents: { 'Alpha Energy': 120 },
    });
    service = await startService({ config, store: { memory: true }, logLevel: 'silent' });
    for (const [dir, party] of [
      [alpha, 'Alpha Energy'],
      [beta1, 'Beta Networks'],
      [beta2, 'Beta Networks'],
      [gamma, 'Gamma Supply'],
    ] as const) {
      const submitted = await harness(dir, ['submit', '--to', service.url, '--party', party]);
      assert.equal(submitted.code, 0, submitted.out);
      assert.match(submitted.out, /: received/);
    }
  });

  after(async () => {
    await browser?.close();
    await service?.stop();
    await sims?.stop();
  });

  const csv = async () => (await fetch(`${service.url}/completion.csv`)).text();
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
  const count = async (table: string) => Number((await service.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n);

  it('counts runs against a recognised environment, and a run against any other URL as a rehearsal, merging shards', async () => {
    const rows = (await csv())
      .trim()
      .split('\n')
      .map((line) => line.split('","').map((v) => v.replace(/^"|"$/g, '')));
    const status = (party: string) => rows.find((r) => r[0] === party && r[1] === 'UEPT-FSM-02')?.[2];
    assert.equal(status('Alpha Energy'), 'Passed');
    assert.equal(status('Beta Networks'), 'Passed');
    assert.equal(status('Gamma Supply'), 'Rehearsed only');
    assert.equal(rows.find((r) => r[0] === 'Alpha Energy' && r[1] === 'UEPT-FSM-01')?.[2], 'Not attempted');
    const runs = await service.db.query<{ party: string; n: number }>(
      'SELECT party, count(DISTINCT run_id)::int AS n FROM submitted_result GROUP BY party ORDER BY party',
    );
    assert.deepEqual(
      runs.map((r) => [r.party, r.n]),
      [
        ['Alpha Energy', 1],
        ['Beta Networks', 2],
        ['Gamma Supply', 1],
      ],
    );
  });

  it('says "already received" to an identical re-submission, without a second row', async () => {
    const before = await count('submitted_result');
    const again = await harness(alpha, ['submit', '--to', service.url, '--all']);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /already received; counts for completion/);
    assert.equal(await count('submitted_result'), before);
  });

  describe('refuses forged packs, naming what is wrong', () => {
    const pack = () => {
      const [dir = ''] = choosePacks(join(alpha, '.fsm-evidence'), undefined, false);
      return packBody(dir) as { envelope: DsseEnvelope; manifest: string; files: { path: string; base64: string }[]; party?: string };
    };
    const statementOf = (envelope: DsseEnvelope) => JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as RunStatement;
    const signed = (statement: RunStatement, key = generateKeyPairSync('ed25519').privateKey) =>
      signEnvelope(IN_TOTO_PAYLOAD, Buffer.from(JSON.stringify(statement)), key);
    const refused = async (body: unknown, status: number, message: RegExp) => {
      const answer = await post('/api/packs', body);
      assert.equal(answer.status, status, answer.text);
      assert.match(answer.text, message);
    };

    it('a pack flipped and re-hashed', async () => {
      const body = pack();
      const manifest = JSON.parse(body.manifest) as { files: { path: string; sha256: string }[] };
      const summary = body.files.find((f) => f.path === 'run-summary.json');
      assert.ok(summary);
      summary.base64 = Buffer.from('{"totals":{"passed":99}}').toString('base64');
      for (const f of manifest.files) if (f.path === 'run-summary.json') f.sha256 = sha256(Buffer.from(summary.base64, 'base64'));
      body.manifest = `${JSON.stringify(manifest, null, 2)}\n`;
      await refused(
        body,
        422,
        /manifest\.json is not the manifest signed for run run-[^:]+: the pack was re-hashed or swapped after signing/,
      );
    });

    it('a file altered, added or removed without re-hashing', async () => {
      const body = pack();
      body.files = body.files.filter((f) => f.path !== 'cucumber-junit.xml');
      body.files.push({ path: 'extra.txt', base64: 'eA==' });
      const first = body.files[0];
      if (first) first.base64 = Buffer.from('altered').toString('base64');
      await refused(body, 422, /cucumber-junit\.xml was removed\..*extra\.txt was added after the pack was sealed/);
    });

    it('a signed statement altered without its signature', async () => {
      const body = pack();
      const statement = statementOf(body.envelope);
      statement.predicate.fsm.scenarios = statement.predicate.fsm.scenarios.map((s) => ({ ...s, status: 'failed' as const }));
      body.envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
      await refused(body, 422, /its signature does not verify: the statement was altered after signing/);
    });

    it('a statement re-signed with a key not registered for the party', async () => {
      const body = pack();
      const own = generateKeyPairSync('ed25519');
      body.envelope = signed(statementOf(body.envelope), own.privateKey);
      await refused(body, 403, new RegExp(`signed by a key not registered for party \\\\"Alpha Energy\\\\".*${keyIdOf(own.publicKey)}`));
    });

    it('a party the service does not know', async () => {
      const body = pack();
      const statement = statementOf(body.envelope);
      statement.predicate.fsm.party = 'Delta Unknown';
      body.envelope = signed(statement);
      await refused(body, 403, /Party \\"Delta Unknown\\" is not registered with this completion service/);
    });

    it("one party's pack submitted as another's, or re-signed with the other's key", async () => {
      await refused(
        { ...pack(), party: 'Beta Networks' },
        403,
        /This pack is party \\"Alpha Energy\\"'s: it cannot be submitted as \\"Beta Networks\\"'s/,
      );
      const body = pack();
      body.envelope = signed(statementOf(body.envelope), privateKeyOf(beta1));
      await refused(body, 403, /signed by a key not registered for party \\"Alpha Energy\\"/);
      const claimed = statementOf(pack().envelope);
      claimed.predicate.fsm.party = 'Beta Networks';
      await refused(
        { ...pack(), envelope: signed(claimed, privateKeyOf(beta1)) },
        409,
        /already received from another party: it cannot count for \\"Beta Networks\\"/,
      );
    });

    it('a second, different pack for a run already received', async () => {
      const body = pack();
      const statement = statementOf(body.envelope);
      statement.predicate.fsm.scenarios = statement.predicate.fsm.scenarios.map((s) => ({ ...s, attempts: 2 }));
      body.envelope = signed(statement, privateKeyOf(alpha));
      await refused(body, 409, /Run run-\S+ of party \\"Alpha Energy\\" was already received with a different pack/);
    });

    it('bodies that are not JSON, too large or of the wrong shape', async () => {
      const raw = await fetch(`${service.url}/api/packs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"envelope":',
      });
      assert.equal(raw.status, 400);
      assert.match(await raw.text(), /not valid JSON/);
      await refused({ envelope: {}, manifest: 'x', files: 'no' }, 400, /files: Expected array/);
      await refused({ constructor: 1 }, 400, /not a pack submission/);
    });
  });

  it('shows the dashboard in Chromium: accessible, saying what counts first, with the same table as the CSV', async () => {
    browser = await launchChromium(process.env.FSM_CHROMIUM_PATH, true);
    const page = await browser.newPage();
    await page.goto(service.url);
    const first = (await page.locator('main section').first().innerText()).replace(/\s+/g, ' ');
    assert.match(first, /Only runs against an environment DCC recognises count as mandated completion/);
    assert.match(first, /rehearsal/);
    await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const axe = (
        globalThis as unknown as { axe: { run: (d: Document, o: object) => Promise<{ violations: { id: string; impact: string }[] }> } }
      ).axe;
      return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations;
    });
    assert.deepEqual(
      violations.map((v) => `${v.id} (${v.impact})`),
      [],
    );
    const shown = await page.locator('#completion tbody tr').evaluateAll((rows) =>
      rows.flatMap((row) => {
        const cells = Array.from(row.querySelectorAll('th, td')).map((c) => (c as HTMLElement).innerText.trim());
        const tests = Array.from(document.querySelectorAll('#completion thead th'))
          .slice(1)
          .map((c) => (c as HTMLElement).innerText.trim());
        return tests.map((test, i) => [cells[0], test, cells[i + 1]].join(','));
      }),
    );
    const exported = (await csv())
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('","').slice(0, 3).join(',').replace(/^"/, ''));
    assert.deepEqual(shown, exported);
    assert.match(await page.locator('#go-h + p').innerText(), /No-go: 3 of 3 parties/);
    assert.match(
      await page
        .getByRole('row', { name: /Alpha Energy/ })
        .first()
        .innerText(),
      /120 \(assumed\)/,
    );
    await page.screenshot({ path: '/tmp/completion-dashboard.png', fullPage: true });
    await page.getByRole('link', { name: 'Passed' }).first().click();
    assert.match(await page.locator('main').innerText(), /Counts for completion[\s\S]*run-summary\.json\s+[0-9a-f]{64}/);
    await page.screenshot({ path: '/tmp/completion-run.png', fullPage: true });
  });
});
