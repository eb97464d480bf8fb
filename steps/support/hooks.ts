/**
 * Hooks: once per worker, read the configuration and start the simulators on free ports (unless a
 * target is given); per scenario, seed its data; after it, attach the platform's request journal to
 * a failed scenario, and fail one that left a refusal unchecked.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { After, AfterAll, Before, BeforeAll, Status, setDefaultTimeout, type ITestCaseHookParameter } from '@cucumber/cucumber';
import { SimControlClient } from '../../clients/sim-control';
import { startSimulators } from '../../simulators/start';
import { loadWorkerConfig } from './config';
import { runSeedOf, setWorkerFixtures, workerFixtures } from './worker';
import type { FsmWorld } from './world';

/** UI mode: after a failure, a screenshot of each person's page and their trace go with the scenario. */
async function closeBrowserSessions(world: FsmWorld, failed: boolean): Promise<void> {
  for (const [i, session] of world.browserSessions.entries()) {
    const page = failed ? await session.currentPage() : undefined;
    if (page) world.attach(await page.screenshot({ fullPage: true }), { mediaType: 'image/png', fileName: `portal-${i + 1}.png` });
    const tracePath = failed ? join(mkdtempSync(join(tmpdir(), 'fsm-trace-')), `trace-${i + 1}.zip`) : undefined;
    await session.close(tracePath);
    if (tracePath && existsSync(tracePath)) world.attach(readFileSync(tracePath), { mediaType: 'application/zip', fileName: `playwright-trace-${i + 1}.zip` });
  }
}

setDefaultTimeout(30_000);

BeforeAll({ timeout: 60_000 }, async function () {
  const config = loadWorkerConfig();
  const runSeed = runSeedOf(config);
  if (config.target === 'sim') {
    const simulators = await startSimulators({ logLevel: 'warn' });
    const urls = { ...simulators.urls, idpIssuers: simulators.idpIssuers };
    setWorkerFixtures({ config, fsmUrl: simulators.urls.fsm, urls, control: true, runSeed, simulators });
  } else {
    const fsmUrl = config.target.replace(/\/+$/, '');
    // A simulator tells where its siblings are; a real environment has no control API.
    const urls = await new SimControlClient(fsmUrl).urls().catch(() => undefined);
    setWorkerFixtures({ config, fsmUrl, urls: urls ?? { idpIssuers: {} }, control: urls !== undefined, runSeed });
  }
});

AfterAll(async function () {
  const { browser, simulators } = workerFixtures();
  await (await browser?.catch(() => undefined))?.close();
  await simulators?.stop();
});

Before(function (this: FsmWorld, { pickle }: ITestCaseHookParameter) {
  this.prepare(pickle.id);
  this.log(`Fixture seed ${workerFixtures().runSeed} (FSM_FIXTURE_SEED) and tag ${this.tag}; platform ${this.fsmUrl} in ${this.config.mode} mode.`);
});

After(async function (this: FsmWorld, { result }: ITestCaseHookParameter) {
  if (result?.status === Status.FAILED && workerFixtures().control) {
    const journal = await new SimControlClient(this.fsmUrl).journal({ limit: 50 }).catch(() => []);
    this.attach(JSON.stringify(journal, null, 2), { mediaType: 'application/json', fileName: 'platform-request-journal.json' });
  }
  await closeBrowserSessions(this, result?.status === Status.FAILED);
  const unchecked = this.uncheckedRefusal();
  if (unchecked && result?.status === Status.PASSED) throw new Error(unchecked);
});
