/**
 * The concurrency part of `npm run bench`: 200 parties × 5 users, each signed in, working at once
 * (list, create, read the knowledge base), each pausing a think time between requests; then 50
 * connections flat out, with no think time. The load comes from bench-load.ts's worker thread.
 */
import { SimConfigSchema } from '../simulators/config';
import { seedVolume } from '../simulators/store/volume';
import { benchSimulators, percentile, SECONDS, type Measured } from './bench-common';
import { generateLoad } from './bench-load';

/**
 * ASSUMED: a person testing waits 5 s on average between requests (a portal page is read, a form
 * filled in): 1,000 of them send about 200 requests a second. BENCH_THINK_MS overrides it.
 */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 5000);

export async function concurrency(label: string, databaseUrl?: string): Promise<Measured> {
  const config = SimConfigSchema.parse({});
  const sims = await benchSimulators('benchc', databaseUrl, { logLevel: 'silent', config });
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
    const figures = {
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
    };
    const goal = {
      name: `1,000 users working at once, p99 (${label})`,
      value: p99,
      goal: '< 200 ms, 0 errors',
      met: p99 < 200 && users.errors === 0,
    };
    return { figures, goals: [goal] };
  } finally {
    await sims.stop();
  }
}
