/**
 * Hooks: once per worker, read the configuration and start the simulators on free ports (unless a
 * target is given); per scenario, seed its data; after it, attach the platform's request journal to
 * a failed scenario, and fail one that left a refusal unchecked.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  After,
  AfterAll,
  Before,
  BeforeAll,
  Status,
  setDefaultTimeout,
  setDefinitionFunctionWrapper,
  type ITestCaseHookParameter,
} from '@cucumber/cucumber';
import { resolveTarget } from '../../clients/target';
import { scenarioScope } from '../../fixtures/faker';
import { SimControlClient } from '../../clients/sim-control';
import { loadWorkerConfig, SIMULATOR_LOG } from './config';
import { runSeedOf, setWorkerFixtures, workerFixtures } from './worker';
import { NotOnTarget, type FsmWorld } from './world';

/** UI mode: after a failure, a screenshot of each person's page and their trace go with the scenario. */
async function closeBrowserSessions(world: FsmWorld, failed: boolean): Promise<void> {
  for (const [i, session] of world.browserSessions.entries()) {
    const page = failed ? await session.currentPage() : undefined;
    if (page) world.attach(await page.screenshot({ fullPage: true }), { mediaType: 'image/png', fileName: `portal-${i + 1}.png` });
    const tracePath = failed ? join(mkdtempSync(join(tmpdir(), 'fsm-trace-')), `trace-${i + 1}.zip`) : undefined;
    await session.close(tracePath);
    if (tracePath && existsSync(tracePath))
      world.attach(readFileSync(tracePath), { mediaType: 'application/zip', fileName: `playwright-trace-${i + 1}.zip` });
  }
}

setDefaultTimeout(30_000);

// A parallel worker whose coordinator has gone (the run was stopped or killed) ends too: cucumber's
// workers do not, and this one's simulators and browser would outlive the run.
if (process.env.CUCUMBER_WORKER_ID !== undefined) process.once('disconnect', () => process.exit(1));

BeforeAll({ timeout: 60_000 }, async function () {
  const config = loadWorkerConfig();
  const runSeed = runSeedOf(config);
  const target = resolveTarget(config.target);
  if (target.kind === 'sim') {
    // Loaded only here: a worker testing a URL or a real environment never loads the simulators.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startSimulators } = require('../../simulators/start') as typeof import('../../simulators/start');
    const simulators = await startSimulators({ logLevel: 'warn', logFile: SIMULATOR_LOG });
    const urls = { ...simulators.urls, idpIssuers: simulators.idpIssuers };
    setWorkerFixtures({ config, target, fsmUrl: simulators.urls.fsm, urls, control: true, runSeed, simulators });
  } else if (target.kind === 'simulator') {
    // A simulator started elsewhere tells where its siblings are.
    const urls = await new SimControlClient(target.fsm).urls();
    setWorkerFixtures({ config, target, fsmUrl: target.fsm, urls, control: true, runSeed });
  } else {
    // A real environment: its URLs come from the target file, and it is never sent a control call.
    const { fsmInternet, idp, idpIssuers } = target;
    setWorkerFixtures({ config, target, fsmUrl: target.fsm, urls: { fsmInternet, idp, idpIssuers }, control: false, runSeed });
  }
});

// A step that needs the simulator's control plane, on a target without one, is skipped with the reason.
setDefinitionFunctionWrapper(
  (fn: (...args: unknown[]) => unknown) =>
    async function (this: FsmWorld, ...args: unknown[]) {
      try {
        return await fn.apply(this, args);
      } catch (error) {
        if (!(error instanceof NotOnTarget)) throw error;
        this.log(error.message);
        return 'skipped';
      }
    },
);

AfterAll(async function () {
  const { browser, simulators } = workerFixtures();
  await (await browser?.catch(() => undefined))?.close();
  await simulators?.stop();
});

Before(function (this: FsmWorld, { pickle }: ITestCaseHookParameter) {
  this.prepare(scenarioScope(pickle));
  this.log(`Platform ${this.fsmUrl} in ${this.config.mode} mode.`);
});

After(async function (this: FsmWorld, { result }: ITestCaseHookParameter) {
  if (result?.status === Status.FAILED && workerFixtures().control) {
    // The journal is evidence, not the verdict: if it cannot be read, the report says why rather than show an empty one.
    const journal = await new SimControlClient(this.fsmUrl)
      .journal({ limit: 50 })
      .catch((error: unknown) => ({ journalNotRead: (error as Error).message }));
    this.attach(JSON.stringify(journal, null, 2), { mediaType: 'application/json', fileName: 'platform-request-journal.json' });
  }
  await closeBrowserSessions(this, result?.status === Status.FAILED);
  const unchecked = this.uncheckedRefusal();
  if (unchecked && result?.status === Status.PASSED) throw new Error(unchecked);
});
