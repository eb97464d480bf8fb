/**
 * The completion service under DCC's load: 200 parties each submit a signed pack of 22 scenario
 * results at once (p99 per submission, errors), on PostgreSQL when BENCH_DATABASE_URL or
 * TEST_DATABASE_URL is set (its fsm_service schema is emptied first), else PGlite; then, with 10,000
 * results stored, the dashboard's first contentful paint in Chromium.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { launchChromium } from '../clients/browser';
import { sha256 } from '../reporting/pack-check';
import { signEnvelope } from '../reporting/signing/dsse';
import { publicPem } from '../reporting/signing/keys';
import { IN_TOTO_PAYLOAD, runStatement } from '../reporting/signing/statement';
import { serviceConfig } from '../service/config';
import { startService } from '../service/start';
import { percentile, type Measured } from './bench-common';

const PARTIES = 200;
const SCENARIOS = 22;
const TESTS = ['UEPT-FSM-01', 'UEPT-FSM-02', 'UEPT-FSM-03', 'UEPT-FSM-04', 'UEPT-FSM-05'];
const ENVIRONMENT = 'https://uit.bench.example';

/** A sealed pack as `fsm-harness submit` sends it: two files, their manifest, and the run's statement signed by the party's key. */
function packOf(party: string, key: KeyObject, n: number): unknown {
  const runId = `run-bench-${n}`;
  const files = [
    { path: 'run-summary.json', bytes: Buffer.from(JSON.stringify({ party, runId })) },
    { path: 'cucumber-junit.xml', bytes: Buffer.from(`<testsuite name="${n}"/>`) },
  ];
  const manifest = `${JSON.stringify({ schema: 'fsm-harness/evidence-manifest@1', runId, createdAt: new Date().toISOString(), previous: null, files: files.map((f) => ({ path: f.path, sha256: sha256(f.bytes), bytes: f.bytes.length })) }, null, 2)}\n`;
  const at = new Date(Date.UTC(2026, 11, 1) + (n % 30) * 86_400_000);
  const run = {
    id: runId,
    party,
    target: 'UIT',
    suite: 'uept',
    tags: null,
    mode: 'api',
    seed: n,
    harnessVersion: '0.1.0',
    nodeVersion: 'v20',
    startedAt: at,
    finishedAt: at,
    targetKind: 'environment' as const,
    environmentName: 'UIT',
    environmentUrl: ENVIRONMENT,
    environmentTenant: null,
    tlsFingerprint: null,
    notStarted: null,
  };
  const scenarios = Array.from({ length: SCENARIOS }, (_, i) => ({
    runId,
    uri: `features/uept/f${i % 8}.feature`,
    feature: 'F',
    name: `Scenario ${i}`,
    tags: [],
    requirements: [TESTS[i % TESTS.length] ?? ''],
    status: (n + i) % 41 === 0 ? ('failed' as const) : ('passed' as const),
    firstStatus: 'passed' as const,
    attempts: 1,
    durationMs: 10,
    recordedAt: at,
  }));
  const statement = runStatement({ run, scenarios, manifestSha256: sha256(manifest), catalogue: sha256(''), previousStatement: null });
  return {
    party,
    envelope: signEnvelope(IN_TOTO_PAYLOAD, Buffer.from(JSON.stringify(statement)), key),
    manifest,
    files: files.map((f) => ({ path: f.path, base64: f.bytes.toString('base64') })),
  };
}

export async function serviceLoad(databaseUrl?: string): Promise<Measured> {
  const keys = Array.from({ length: PARTIES }, (_, i) => ({
    party: `Party ${String(i).padStart(3, '0')}`,
    key: generateKeyPairSync('ed25519').privateKey,
  }));
  const config = serviceConfig({
    parties: Object.fromEntries(keys.map((k) => [k.party, [publicPem(k.key)]])),
    environments: [{ name: 'UIT', url: ENVIRONMENT }],
  });
  const service = await startService({ config, store: databaseUrl ? { databaseUrl } : { memory: true }, logLevel: 'silent' });
  try {
    await service.db.query('TRUNCATE submitted_result, submitted_run, issued_report');
    const send = async (body: unknown) => {
      const started = performance.now();
      const response = await fetch(`${service.url}/api/packs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      return { ms: performance.now() - started, ok: response.status === 201 };
    };
    const first = keys.map((k, i) => packOf(k.party, k.key, i));
    const answers = await Promise.all(first.map(send));
    const latencies = answers.map((a) => a.ms);
    const errors = answers.filter((a) => !a.ok).length;
    // More runs, 20 at a time, until 10,000 results are stored: the dashboard's load.
    const more = Math.ceil(10_000 / SCENARIOS) - PARTIES;
    for (let i = 0; i < more; i += 20)
      await Promise.all(
        Array.from({ length: Math.min(20, more - i) }, (_, j) => {
          const k = keys[(i + j) % PARTIES];
          return k ? send(packOf(k.party, k.key, PARTIES + i + j)) : undefined;
        }),
      );
    const [{ n = 0 } = {}] = await service.db.query<{ n: number }>('SELECT count(*)::int AS n FROM submitted_result');
    const paint = await firstPaint(service.url);
    const store = databaseUrl ? 'postgres' : 'pglite';
    const p99 = Math.round(percentile(latencies, 99));
    return {
      figures: {
        [`service.${store}.submissionP50Ms`]: Math.round(percentile(latencies, 50)),
        [`service.${store}.submissionP99Ms`]: p99,
        [`service.${store}.submissionErrors`]: errors,
        [`service.${store}.results`]: n,
        [`service.${store}.dashboardFirstPaintMs`]: paint,
      },
      goals: [
        { name: `service: ${PARTIES} parties x ${SCENARIOS} at once, p99 (${store})`, value: p99, goal: '< 500 ms', met: p99 < 500 },
        { name: `service: submission errors (${store})`, value: errors, goal: '0', met: errors === 0 },
        { name: `service: dashboard first paint, ${n} results`, value: paint, goal: '< 1000 ms', met: paint < 1000 && n >= 10_000 },
      ],
    };
  } finally {
    await service.stop();
  }
}

/** Navigation start to first contentful paint of the dashboard, in Chromium (the second load: the first warms the JIT). */
async function firstPaint(url: string): Promise<number> {
  const browser = await launchChromium(process.env.FSM_CHROMIUM_PATH, true);
  try {
    let paint = NaN;
    for (let i = 0; i < 2; i++) {
      const page = await browser.newPage();
      await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
      paint = await page.evaluate(() => globalThis.performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
      await page.close();
    }
    return Math.round(paint);
  } finally {
    await browser.close();
  }
}
