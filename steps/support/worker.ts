/**
 * Per-worker fixtures, as Playwright names them: what lives for a whole worker process rather than a
 * scenario. The simulators (when the target is `sim`) and the run's fixture seed. Set by BeforeAll,
 * read by each World; this is the only module-level state of the steps, and it is written once.
 */
import { harnessMessage } from '../../clients/messages';
import { newRunSeed } from '../../fixtures/faker';
import type { Browser } from 'playwright-core';
import type { HeldTokens } from '../../clients/bearer';
import type { Target } from '../../clients/target';
import type { Simulators } from '../../simulators/start';
import { launchChromium } from '../../clients/browser';
import type { WorkerConfig } from './config';

/** The settings simulators started by this worker run with, as the platform reads them. */
export type SimulatorConfig = Simulators['core']['config'];

export interface WorkerFixtures {
  config: WorkerConfig;
  target: Target;
  fsmUrl: string;
  /** The other simulators' URLs (internet route, identity provider), when the target tells them. */
  urls: { fsmInternet?: string; idp?: string; idpIssuers: Record<string, string> };
  /** Whether the target serves the simulator's control API (/__sim). */
  control: boolean;
  runSeed: number;
  simulators?: Simulators;
  /** Chromium, launched at the first scenario in UI mode and shared by the worker's scenarios. */
  browser?: Promise<Browser>;
  /** Each person's newest tokens when the API signs in for a token (clients/bearer.ts). */
  heldTokens?: HeldTokens;
}

let fixtures: WorkerFixtures | undefined;

export function setWorkerFixtures(value: WorkerFixtures): void {
  fixtures = value;
}

export function workerFixtures(): WorkerFixtures {
  if (!fixtures) throw new Error(harnessMessage('The worker fixtures are not ready: BeforeAll in steps/support/hooks.ts did not run.'));
  return fixtures;
}

/** The worker's browser: one launch per worker; each person in a scenario gets a context of their own. */
export function workerBrowser(chromiumPath: string | undefined, headless: boolean): Promise<Browser> {
  const worker = workerFixtures();
  worker.browser ??= launchChromium(chromiumPath, headless);
  return worker.browser;
}

/** The worker's tokens of each person, kept across its scenarios so that a later one renews them rather than signing in again. */
export function workerHeldTokens(): HeldTokens {
  const worker = workerFixtures();
  worker.heldTokens ??= new Map();
  return worker.heldTokens;
}

export function runSeedOf(config: WorkerConfig): number {
  return config.fixtureSeed ?? newRunSeed();
}
