/**
 * The list part of `npm run bench`: how long a filtered, sorted page of a party's incidents takes
 * among 300,000 (p50 and p95 of 300 requests after 20 to warm up).
 */
import { performance } from 'node:perf_hooks';
import { seedVolume } from '../simulators/store/volume';
import { benchSimulators, percentile, signedIn, type Measured } from './bench-common';

export async function listLatency(label: string, databaseUrl?: string): Promise<Measured> {
  const sims = await benchSimulators('bench', databaseUrl, { logLevel: 'silent' });
  try {
    const { api, firstLoginMs } = await signedIn(sims, `Bench List ${label}`);
    const seeded = await seedVolume(sims.core.db, 300_000);
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
    const p95 = +percentile(times, 95).toFixed(2);
    const figures = {
      firstLoginMs,
      [`seed300kMs_${label}`]: seeded.ms,
      [`listP50Ms_${label}`]: +percentile(times, 50).toFixed(2),
      [`listP95Ms_${label}`]: p95,
    };
    return { figures, goals: [{ name: `list p95 on 300k (${label})`, value: p95, goal: '< 20 ms', met: p95 < 20 }] };
  } finally {
    await sims.stop();
  }
}
