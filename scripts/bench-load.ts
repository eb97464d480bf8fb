/**
 * The load of the concurrency figures, generated in a worker thread so that the server's event loop
 * only serves (as autocannon's worker does for the throughput figures). Users list incidents, raise
 * one, read the knowledge base, in turn. Two models:
 * - `users`: every token is a person working: each waits a think time (uniform between half and
 *   one and a half times `thinkMs`) before each request, all of them at once;
 * - `flatOut`: `connections` loops send one request after another with no think time, taking the
 *   tokens in turn: the most the simulator serves, and its latency when saturated.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { FsmApiClient } from '../clients/fsm-api';

export interface LoadPhase {
  seconds: number;
  model: { kind: 'users'; thinkMs: number } | { kind: 'flatOut'; connections: number };
}

export interface LoadInput {
  url: string;
  tokens: string[];
  /** One after another in the same thread, so that a first phase warms the client as well as the server. */
  phases: LoadPhase[];
}

export interface LoadResult {
  latencies: number[];
  errors: number;
}

async function phase(url: string, tokens: string[], { seconds, model }: LoadPhase): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const request = async (token: string, n: number) => {
    const api = new FsmApiClient(url);
    api.useToken(token);
    const started = performance.now();
    const step = n % 3;
    const response =
      step === 0
        ? await api.list('incident', { sysparm_query: 'active=true^ORDERBYDESCnumber', sysparm_limit: 20 })
        : step === 1
          ? await api.create('incident', { short_description: 'Concurrent bench' })
          : await api.list('kb_knowledge', { sysparm_limit: 5 });
    latencies.push(performance.now() - started);
    if (response.status >= 300) errors += 1;
  };
  const think = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms * (0.5 + Math.random())));
  if (model.kind === 'users') {
    await Promise.all(
      tokens.map(async (token, u) => {
        for (let n = u; ; n += 1) {
          await think(model.thinkMs);
          if (performance.now() >= until) return;
          await request(token, n);
        }
      }),
    );
  } else {
    const { connections } = model;
    await Promise.all(
      Array.from({ length: connections }, async (_, w) => {
        for (let n = w; performance.now() < until; n += connections) await request(tokens[n % tokens.length] ?? '', n);
      }),
    );
  }
  return { latencies, errors };
}

async function generate({ url, tokens, phases }: LoadInput): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const p of phases) results.push(await phase(url, tokens, p));
  return results;
}

/** Runs the phases in a worker thread and resolves with every request's latency, phase by phase. */
export function generateLoad(input: LoadInput): Promise<LoadResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(`require('ts-node/register/transpile-only'); require(${JSON.stringify(__filename)});`, {
      eval: true,
      workerData: input,
    });
    worker.once('message', (results: LoadResult[]) => resolve(results));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`the load generator stopped with code ${code}`))));
  });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  void generate(workerData as LoadInput).then((results) => port.postMessage(results));
}
