/**
 * What the parts of `npm run bench` share: the figures and goals each part answers (bench.ts
 * gathers and prints them), how long a phase runs, percentiles, and a party signed in to the API.
 */
import { performance } from 'node:perf_hooks';
import { AuthenticatorApp } from '../clients/authenticator';
import { FsmApiClient } from '../clients/fsm-api';
import { answerPrompt } from '../clients/login-answers';
import { SimControlClient } from '../clients/sim-control';
import { startSimulators, type Simulators } from '../simulators/start';
import { dropSchema } from '../simulators/store/db';

/** Seconds each measured phase runs (BENCH_SECONDS); a second of warm-up comes before it. */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PASSWORD = 'Bench-Password-2026!';

export type Figures = Record<string, number | string>;
export interface Goal {
  name: string;
  value: number | string;
  goal: string;
  met: boolean | null;
}
/** What a part measured: its figures by name, and the goals they are judged by. */
export interface Measured {
  figures: Figures;
  goals: Goal[];
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** A party onboarded and its administrator signed in to the API for the first time, with how long that sign-in took. */
export async function signedIn(sims: Simulators, name: string): Promise<{ api: FsmApiClient; partyId: string; firstLoginMs: number }> {
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
  return { api, partyId: onboarded.party.id, firstLoginMs: Math.round(performance.now() - started) };
}

/**
 * Simulators for one bench part: on PostgreSQL in a schema of their own, which `stop` drops (300,000
 * incidents a run would otherwise stay in the database the bench was pointed at); in memory on PGlite.
 */
export async function benchSimulators(
  prefix: string,
  databaseUrl: string | undefined,
  options: Omit<Parameters<typeof startSimulators>[0] & object, 'databaseUrl' | 'schema'> = {},
): Promise<Simulators> {
  const schema = databaseUrl ? `${prefix}_${Date.now().toString(36)}` : undefined;
  const sims = await startSimulators({ logLevel: 'silent', ...options, databaseUrl, schema });
  const stop = sims.stop.bind(sims);
  return {
    ...sims,
    async stop() {
      await stop();
      if (databaseUrl && schema) await dropSchema(databaseUrl, schema);
    },
  };
}
