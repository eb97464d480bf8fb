/**
 * The 200 simulated parties of the completion service benchmark, in a process of their own (forked by
 * bench-service.ts), so that their signing and JSON work does not share the service's event loop:
 * DCC's service runs alone. It makes each party's key and tells the parent the public keys to
 * register; given the service's URL it prepares every pack (signed, serialised) before the clock
 * starts, submits 200 at once (timed: the service just started), 200 at once again (timed: a service
 * that has served), then more, 20 at a time, until 10,000 results are held.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { sha256 } from '../reporting/pack-check';
import { signEnvelope } from '../reporting/signing/dsse';
import { publicPem } from '../reporting/signing/keys';
import { IN_TOTO_PAYLOAD, runStatement } from '../reporting/signing/statement';

export const PARTIES = 200;
export const SCENARIOS = 22;
export const ENVIRONMENT = 'https://uit.bench.example';
const TESTS = ['UEPT-FSM-01', 'UEPT-FSM-02', 'UEPT-FSM-03', 'UEPT-FSM-04', 'UEPT-FSM-05'];

/** What the parent and this process say to each other. */
export type ToParent = { parties: Record<string, string[]> } | { coldLatencies: number[]; latencies: number[]; errors: string[] };
export type ToClient = { url: string };

/** A sealed pack as `fsm-harness submit` sends it: two files, their manifest, and the run's statement signed by the party's key. */
function packOf(party: string, key: KeyObject, n: number): string {
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
  return JSON.stringify({
    party,
    envelope: signEnvelope(IN_TOTO_PAYLOAD, Buffer.from(JSON.stringify(statement)), key),
    manifest,
    files: files.map((f) => ({ path: f.path, base64: f.bytes.toString('base64') })),
  });
}

/** One POST by node:http (fetch costs the client several times as much CPU per request, which would be measured as the service's latency). */
function send(url: string, body: string): Promise<{ ms: number; error?: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/api/packs`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const ms = performance.now() - started;
        const error =
          response.statusCode === 201 ? undefined : `${response.statusCode ?? '?'} ${Buffer.concat(chunks).toString().slice(0, 200)}`;
        resolve({ ms, ...(error ? { error } : {}) });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function submitAll(url: string, keys: { party: string; key: KeyObject }[]): Promise<ToParent> {
  const packs = Array.from({ length: Math.ceil(10_000 / SCENARIOS) }, (_, n) => {
    const k = keys[n % PARTIES] ?? { party: '', key: generateKeyPairSync('ed25519').privateKey };
    return packOf(k.party, k.key, n);
  });
  const burst = (bodies: string[]) => Promise.all(bodies.map((body) => send(url, body)));
  // Every party at once to the service just started (its code not yet compiled by the JIT), then
  // every party at once again, as to a service that has been serving: DCC's runs for the whole window.
  const cold = await burst(packs.slice(0, PARTIES));
  const warm = await burst(packs.slice(PARTIES, 2 * PARTIES));
  const rest = packs.slice(2 * PARTIES);
  for (let i = 0; i < rest.length; i += 20) await burst(rest.slice(i, i + 20));
  return {
    coldLatencies: cold.map((a) => a.ms),
    latencies: warm.map((a) => a.ms),
    errors: [...cold, ...warm].flatMap((a) => (a.error ? [a.error] : [])),
  };
}

if (require.main === module) {
  const keys = Array.from({ length: PARTIES }, (_, i) => ({
    party: `Party ${String(i).padStart(3, '0')}`,
    key: generateKeyPairSync('ed25519').privateKey,
  }));
  const tell = (message: ToParent) => process.send?.(message);
  process.once('message', (message: ToClient) => {
    submitAll(message.url, keys).then(
      (result) => {
        tell(result);
        process.disconnect?.();
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  tell({ parties: Object.fromEntries(keys.map((k) => [k.party, [publicPem(k.key)]])) });
}
