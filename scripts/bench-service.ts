/**
 * The completion service under DCC's load: 200 parties each submit a signed pack of 22 scenario
 * results at once (p99 per submission, errors), first to the service just started (reported) and
 * then again to the same service (the goal: DCC's service runs through the UIT window), on PostgreSQL when BENCH_DATABASE_URL or
 * TEST_DATABASE_URL is set (its fsm_service schema is emptied first), else PGlite; then, with 10,000
 * results stored, the dashboard's first contentful paint in Chromium. The parties run in a child
 * process (bench-service-client.ts) with their packs signed before the clock starts: this process
 * is the service alone, as DCC would run it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { launchChromium } from '../clients/browser';
import { serviceConfig } from '../service/config';
import { startService } from '../service/start';
import { percentile, type Measured } from './bench-common';
import { ENVIRONMENT, PARTIES, SCENARIOS, type ToClient, type ToParent } from './bench-service-client';

/** The next message from the parties' process, or its failure. */
function nextMessage(child: ChildProcess): Promise<ToParent> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`the bench's parties process exited (${code ?? 'signal'}) before answering`));
    child.once('exit', exited);
    child.once('message', (message) => {
      child.off('exit', exited);
      resolve(message as ToParent);
    });
  });
}

export async function serviceLoad(databaseUrl?: string): Promise<Measured> {
  const child = fork(join(__dirname, 'bench-service-client.ts'), [], {
    execArgv: ['--require', 'ts-node/register/transpile-only'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const registered = await nextMessage(child);
  if (!('parties' in registered)) throw new Error('the bench parties process did not register its keys');
  const config = serviceConfig({ parties: registered.parties, environments: [{ name: 'UIT', url: ENVIRONMENT }] });
  const service = await startService({ config, store: databaseUrl ? { databaseUrl } : { memory: true }, logLevel: 'silent' });
  try {
    await service.db.query('TRUNCATE submitted_result, submitted_run, issued_report');
    const answered = nextMessage(child);
    child.send({ url: service.url } satisfies ToClient);
    const submitted = await answered;
    if (!('latencies' in submitted)) throw new Error('the bench parties process did not report its submissions');
    const latencies = submitted.latencies;
    const errors = submitted.errors.length;
    if (errors) console.error(`service bench: ${errors} submissions refused, the first: ${submitted.errors[0]}`);
    const [{ n = 0 } = {}] = await service.db.query<{ n: number }>('SELECT count(*)::int AS n FROM submitted_result');
    const paint = await firstPaint(service.url);
    const store = databaseUrl ? 'postgres' : 'pglite';
    const p99 = Math.round(percentile(latencies, 99));
    return {
      figures: {
        [`service.${store}.firstBurstP50Ms`]: Math.round(percentile(submitted.coldLatencies, 50)),
        [`service.${store}.firstBurstP99Ms`]: Math.round(percentile(submitted.coldLatencies, 99)),
        [`service.${store}.submissionP50Ms`]: Math.round(percentile(latencies, 50)),
        [`service.${store}.submissionP99Ms`]: p99,
        [`service.${store}.submissionErrors`]: errors,
        [`service.${store}.results`]: n,
        [`service.${store}.dashboardFirstPaintMs`]: paint,
      },
      goals: [
        {
          name: `service: ${PARTIES} parties x ${SCENARIOS} at once to a serving service, p99 (${store})`,
          value: p99,
          goal: '< 500 ms',
          met: p99 < 500,
        },
        { name: `service: submission errors (${store})`, value: errors, goal: '0', met: errors === 0 },
        { name: `service: dashboard first paint, ${n} results`, value: paint, goal: '< 1000 ms', met: paint < 1000 && n >= 10_000 },
      ],
    };
  } finally {
    child.kill();
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
      // The paint entry is recorded when the frame is presented, which can come after "load": wait for it.
      paint = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            new PerformanceObserver((list) => {
              const entry = list.getEntriesByName('first-contentful-paint')[0];
              if (entry) resolve(entry.startTime);
            }).observe({ type: 'paint', buffered: true });
            setTimeout(() => resolve(NaN), 10_000);
          }),
      );
      await page.close();
    }
    return Math.round(paint);
  } finally {
    await browser.close();
  }
}
