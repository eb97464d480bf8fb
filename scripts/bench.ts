/**
 * `npm run bench`: the harness's performance figures, measured side by side in one run on loopback
 * and printed as ratios (a machine's speed cancels out of a ratio). Writes reports/bench/bench.json.
 * PostgreSQL figures need BENCH_DATABASE_URL (or TEST_DATABASE_URL); without it they are skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import express from 'express';
import { FsmApiClient } from '../clients/fsm-api';
import { answerPrompt } from '../clients/login-answers';
import { SimControlClient } from '../clients/sim-control';
import { AuthenticatorApp } from '../clients/authenticator';
import { SimConfigSchema } from '../simulators/config';
import { startSimulators, type Simulators } from '../simulators/start';
import { seedVolume } from '../simulators/store/volume';
import { timeReport } from './bench-tcr';
import { generateLoad } from './bench-load';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/**
 * ASSUMED: a person testing waits 5 s on average between requests (a portal page is read, a form
 * filled in): 1,000 of them send about 200 requests a second. BENCH_THINK_MS overrides it.
 */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 5000);
const PASSWORD = 'Bench-Password-2026!';
const postgres = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const figures: Record<string, number | string> = {};
const goals: { name: string; value: number | string; goal: string; met: boolean | null }[] = [];

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(handler).listen(0, '127.0.0.1', () => resolve(server));
  });
}
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

/** Requests a second at 10 connections; the load comes from a worker thread, not the server's own event loop. */
async function rate(url: string, options: Partial<autocannon.Options> = {}): Promise<number> {
  await autocannon({ url, connections: 10, duration: 1, workers: 1, ...options });
  const result = await autocannon({ url, connections: 10, duration: SECONDS, workers: 1, ...options });
  if (result.errors || result.non2xx) throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  return result.requests.average;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function signedIn(sims: Simulators, name: string): Promise<{ api: FsmApiClient; partyId: string }> {
  const slug = name.toLowerCase().replace(/\W+/g, '-');
  const onboarded = await new SimControlClient(sims.urls.fsm).onboardParty({
    name,
    userRoles: ['IS'],
    regions: ['North'],
    gatewayConnected: true,
    administrator: { email: `bench@${slug}.example`, name: 'Bench' },
  });
  const api = new FsmApiClient(sims.urls.fsm);
  const person = {
    choosePassword: () => PASSWORD,
    mfaMethod: 'totp' as const,
    app: new AuthenticatorApp({ now: async () => sims.clock.now(), pass: async (ms) => sims.clock.advance(`PT${Math.ceil(ms / 1000)}S`) }),
    readEmailCode: async () => '',
  };
  const started = performance.now();
  await api.answerPrompts(await api.startLogin(onboarded.administrator.username, onboarded.administrator.oneTimePassword), (p) =>
    answerPrompt(person, p),
  );
  figures.firstLoginMs = Math.round(performance.now() - started);
  return { api, partyId: onboarded.party.id };
}

async function throughput(label: string, databaseUrl?: string): Promise<void> {
  const node = await listen((_req, res) => res.end('hello'));
  const app = express().get('/', (_req, res) => void res.send('hello'));
  const bareExpress = await listen(app);
  const sims = await startSimulators({
    logLevel: 'silent',
    databaseUrl,
    schema: databaseUrl ? `bencht_${Date.now().toString(36)}` : undefined,
  });
  try {
    const { api } = await signedIn(sims, `Bench Throughput ${label}`);
    const incident = (await api.create('incident', { short_description: 'Bench incident' })).body.result;
    const headers = { authorization: `Bearer ${api.accessToken}`, 'content-type': 'application/json' };
    const nodeRps = await rate(urlOf(node));
    const expressRps = await rate(urlOf(bareExpress));
    const readRps = await rate(`${sims.urls.fsm}/api/now/table/incident/${String(incident.sys_id)}`, { headers });
    const createRps = await rate(`${sims.urls.fsm}/api/now/table/incident`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ short_description: 'Bench create', impact: '2', urgency: '2' }),
    });
    Object.assign(figures, {
      nodeHelloRps: nodeRps,
      expressHelloRps: expressRps,
      [`readRps_${label}`]: readRps,
      [`createRps_${label}`]: createRps,
      [`readVsExpress_${label}`]: +(readRps / expressRps).toFixed(3),
      [`readVsNode_${label}`]: +(readRps / nodeRps).toFixed(3),
      [`createVsRead_${label}`]: +(createRps / readRps).toFixed(3),
    });
    goals.push({
      name: `readVsExpress (${label})`,
      value: +(readRps / expressRps).toFixed(3),
      goal: '>= 0.6',
      met: readRps / expressRps >= 0.6,
    });
    goals.push({
      name: `createVsRead (${label})`,
      value: +(createRps / readRps).toFixed(3),
      goal: '>= 0.5',
      met: createRps / readRps >= 0.5,
    });
  } finally {
    await sims.stop();
    node.close();
    bareExpress.close();
  }
}

async function listLatency(label: string, databaseUrl?: string): Promise<void> {
  const sims = await startSimulators({
    logLevel: 'silent',
    databaseUrl,
    schema: databaseUrl ? `bench_${Date.now().toString(36)}` : undefined,
  });
  try {
    const { api } = await signedIn(sims, `Bench List ${label}`);
    const seeded = await seedVolume(sims.core.db, 300_000);
    figures[`seed300kMs_${label}`] = seeded.ms;
    // The bench party's own 3,000 incidents, among the 300,000.
    await sims.core.db.query(
      `UPDATE incident SET party_id = (SELECT party_id FROM account WHERE username = 'bench@bench-list-${label.toLowerCase()}.example') WHERE number IN (SELECT number FROM incident ORDER BY number DESC LIMIT 3000)`,
    );
    await sims.core.db.exec('ANALYZE incident');
    const query = { sysparm_query: 'active=true^state=1^ORstate=2^priority<=3^ORDERBYDESCnumber', sysparm_limit: 20, sysparm_offset: 40 };
    const times: number[] = [];
    for (let i = 0; i < 320; i++) {
      const started = performance.now();
      const response = await api.list('incident', query);
      if (response.status !== 200) throw new Error(`list answered ${response.status}`);
      if (i >= 20) times.push(performance.now() - started);
    }
    figures[`listP50Ms_${label}`] = +percentile(times, 50).toFixed(2);
    figures[`listP95Ms_${label}`] = +percentile(times, 95).toFixed(2);
    goals.push({
      name: `list p95 on 300k (${label})`,
      value: figures[`listP95Ms_${label}`] ?? '',
      goal: '< 20 ms',
      met: Number(figures[`listP95Ms_${label}`]) < 20,
    });
  } finally {
    await sims.stop();
  }
}

interface SuiteRun {
  /** The whole main job, timed from outside: start-up, the suite, the reports and the evidence pack. */
  jobS: number;
  /** The suite itself, from the run summary: its scenarios (and, with workers, their simulators starting). */
  suiteS: number;
  /** Each scenario's own duration (ms) from the run summary, by feature and name. */
  scenarioMs: Map<string, number>;
}

/** The main job (`fsm-harness run --suite uept`) with N workers (0: in this process, the default). */
function suiteRun(parallel: number, mode: 'api' | 'ui' = 'api'): SuiteRun {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    ['bin/fsm-harness.js', 'run', '--suite', 'uept', '--mode', mode, '--parallel', String(parallel), '--no-pdf'],
    { encoding: 'utf8', env: { ...process.env, FSM_TARGET: '' } },
  );
  const jobS = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`the UEPT suite failed in ${mode} mode with --parallel ${parallel}:\n${run.stdout.slice(-2000)}`);
  const summary = JSON.parse(readFileSync('reports/run-summary.json', 'utf8')) as {
    run: { durationMs: number };
    scenarios: { feature: string; name: string; durationMs: number }[];
  };
  return {
    jobS,
    suiteS: summary.run.durationMs / 1000,
    scenarioMs: new Map(summary.scenarios.map((s) => [`${s.feature} / ${s.name}`, s.durationMs])),
  };
}

/** The UEPT suite in API mode in one process and with one and two workers, and in UI mode, compared scenario by scenario. */
function suites(): void {
  const p0 = suiteRun(0);
  const p1 = suiteRun(1);
  const p2 = suiteRun(2);
  const ui = suiteRun(0, 'ui');
  const byScenario = [...ui.scenarioMs]
    .map(([name, ms]) => ({ name, ratio: ms / (p0.scenarioMs.get(name) ?? NaN) }))
    .filter((r) => Number.isFinite(r.ratio));
  const ratios = byScenario.map((r) => r.ratio);
  const worst = byScenario.reduce((a, b) => (b.ratio > a.ratio ? b : a), { name: '', ratio: 0 });
  const fastest = [p0, p1, p2].reduce((a, b) => (b.suiteS < a.suiteS ? b : a));
  Object.assign(figures, {
    ueptSuiteS_inProcess: +p0.suiteS.toFixed(1),
    ueptSuiteS_parallel1: +p1.suiteS.toFixed(1),
    ueptSuiteS_parallel2: +p2.suiteS.toFixed(1),
    ueptJobS_inProcess: +p0.jobS.toFixed(1),
    ueptJobS_parallel1: +p1.jobS.toFixed(1),
    ueptJobS_parallel2: +p2.jobS.toFixed(1),
    parallel2VsParallel1: +(p2.suiteS / p1.suiteS).toFixed(3),
    parallel2VsInProcess: +(p2.suiteS / p0.suiteS).toFixed(3),
    ueptUiSuiteS_inProcess: +ui.suiteS.toFixed(1),
    uiVsApiMedian: +percentile(ratios, 50).toFixed(2),
    uiVsApi: +percentile(ratios, 100).toFixed(2),
    uiVsApiWorstScenario: `${worst.name} (${ui.scenarioMs.get(worst.name)} ms in UI mode, ${p0.scenarioMs.get(worst.name)} ms in API mode)`,
  });
  const parallelism = fastest === p0 ? 'in one process' : fastest === p1 ? '--parallel 1' : '--parallel 2';
  goals.push({
    name: 'parallel2VsParallel1 (suite)',
    value: figures.parallel2VsParallel1 ?? '',
    goal: '<= 0.7',
    met: p2.suiteS / p1.suiteS <= 0.7,
  });
  goals.push({
    name: `UEPT suite, API mode, fastest (${parallelism})`,
    value: `${fastest.suiteS.toFixed(1)} s`,
    goal: '< 10 s',
    met: fastest.suiteS < 10,
  });
  goals.push({ name: 'uiVsApi (worst scenario)', value: figures.uiVsApi ?? '', goal: '<= 10', met: Number(figures.uiVsApi) <= 10 });
}

/**
 * 200 parties × 5 users, each signed in, working at once (list, create, read the knowledge base),
 * each pausing a think time between requests; then 50 connections flat out, with no think time.
 */
async function concurrency(label: string, databaseUrl?: string): Promise<void> {
  const config = SimConfigSchema.parse({});
  const sims = await startSimulators({
    logLevel: 'silent',
    config,
    databaseUrl,
    schema: databaseUrl ? `benchc_${Date.now().toString(36)}` : undefined,
  });
  try {
    await seedVolume(sims.core.db, 20_000, 200);
    const accounts = await sims.core.db.query<{ id: string; party_id: string }>(
      `SELECT id, party_id FROM account WHERE username LIKE '%.volume.example'`,
    );
    // Five users per party: the administrator and four more, with sessions made directly (logins are measured apart: scrypt is slow on purpose).
    const tokens: string[] = [];
    for (const a of accounts) {
      for (let u = 0; u < 5; u++) {
        const id = u === 0 ? a.id : `${a.id.slice(0, 28)}u${u}00`;
        if (u > 0)
          await sims.core.db.query(
            `INSERT INTO account (id, party_id, username, display_name, password_hash, password_must_change, status, identity_path, roles, created_at, updated_at) VALUES ($1, $2, $3, 'User', 'x', false, 'active', 'local', ARRAY['SERVICE_USER'], now(), now())`,
            [id, a.party_id, `${id}@users.volume.example`],
          );
        tokens.push(await sims.services.sessions.create(id, 'api', ['pwd', 'mfa', 'otp']));
      }
    }
    // A second's warm-up first, as autocannon's figures have: first requests compile code (the server's and the
    // load generator's) and open database connections.
    const [, users, flatOut] = await generateLoad({
      url: sims.urls.fsm,
      tokens,
      phases: [
        { seconds: 1, model: { kind: 'flatOut', connections: 10 } },
        { seconds: SECONDS * 3, model: { kind: 'users', thinkMs: THINK_MS } },
        { seconds: SECONDS * 3, model: { kind: 'flatOut', connections: 50 } },
      ],
    });
    if (!users || !flatOut) throw new Error('the load generator did not report every phase');
    const p99 = +percentile(users.latencies, 99).toFixed(1);
    Object.assign(figures, {
      [`concurrentUsers_${label}`]: tokens.length,
      concurrentThinkMs: THINK_MS,
      [`concurrentRequests_${label}`]: users.latencies.length,
      [`concurrentRps_${label}`]: +(users.latencies.length / (SECONDS * 3)).toFixed(1),
      [`concurrentP50Ms_${label}`]: +percentile(users.latencies, 50).toFixed(1),
      [`concurrentP99Ms_${label}`]: p99,
      [`concurrentErrors_${label}`]: users.errors,
      [`flatOut50Rps_${label}`]: +(flatOut.latencies.length / (SECONDS * 3)).toFixed(1),
      [`flatOut50P99Ms_${label}`]: +percentile(flatOut.latencies, 99).toFixed(1),
      [`flatOut50Errors_${label}`]: flatOut.errors,
    });
    goals.push({
      name: `1,000 users working at once, p99 (${label})`,
      value: p99,
      goal: '< 200 ms, 0 errors',
      met: p99 < 200 && users.errors === 0,
    });
  } finally {
    await sims.stop();
  }
}

/** BENCH_ONLY=throughput,list,concurrency,tcr,suite measures only those parts (all by default). */
const only = new Set((process.env.BENCH_ONLY ?? 'throughput,list,concurrency,tcr,suite').split(',').map((s) => s.trim()));

async function main(): Promise<void> {
  const started = performance.now();
  if (only.has('throughput')) {
    await throughput('pglite');
    if (postgres) await throughput('postgres', postgres);
  }
  if (only.has('list')) {
    await listLatency('pglite');
    if (postgres) await listLatency('postgres', postgres);
  }
  if (only.has('concurrency')) await concurrency(postgres ? 'postgres' : 'pglite', postgres);
  if (only.has('tcr')) {
    figures.tcr10kMs = Math.round(await timeReport(10_000));
    goals.push({ name: 'TCR from 10,000 results', value: figures.tcr10kMs, goal: '< 5000 ms', met: figures.tcr10kMs < 5000 });
  }
  if (only.has('suite')) suites();
  figures.benchSeconds = Math.round((performance.now() - started) / 1000);
  mkdirSync('reports/bench', { recursive: true });
  writeFileSync(
    'reports/bench/bench.json',
    `${JSON.stringify({ machine: { node: process.version, cpus: (await import('node:os')).cpus().length }, figures, goals }, null, 2)}\n`,
  );
  console.log('\nfigure'.padEnd(34) + 'value');
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(33)}${value}`);
  console.log('\ngoal'.padEnd(52) + 'value'.padEnd(14) + 'target'.padEnd(22) + 'met');
  for (const g of goals)
    console.log(`${g.name.padEnd(51)}${String(g.value).padEnd(14)}${g.goal.padEnd(22)}${g.met === null ? '-' : g.met ? 'yes' : 'NO'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
