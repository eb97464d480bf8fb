/**
 * Finding and launching Chromium, for UI mode and for the PDF of the Test Completion Report:
 * FSM_CHROMIUM_PATH, else the system's Chromium, else Playwright's own download; when there is none,
 * a message that says how to get one. Headless, the system's headless shell comes first where it is
 * installed (Debian's chromium-headless-shell, what Playwright itself uses headless): the UEPT suite
 * in UI mode takes about a quarter less time and CPU with it than with the full browser. Playwright is
 * loaded only when a browser is wanted (API mode never pays for it).
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { EnvironmentError } from './http';
import { harnessMessage } from './messages';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const playwright = (): typeof import('playwright-core') => require('playwright-core') as typeof import('playwright-core');

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const SYSTEM_HEADLESS_SHELLS = ['/usr/bin/chromium-headless-shell'];

/** Flags for a closed network and a container: no sandbox (root), no GPU, no calls home. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export function findChromium(configured: string | undefined, headless: boolean, exists: (path: string) => boolean = existsSync): string {
  if (configured) {
    if (exists(configured)) return configured;
    throw new EnvironmentError(
      harnessMessage(
        `FSM_CHROMIUM_PATH is ${configured}, and there is no browser there. Correct the path, or unset it to use the system's Chromium.`,
      ),
    );
  }
  const system = [...(headless ? SYSTEM_HEADLESS_SHELLS : []), ...SYSTEM_CHROMIUMS].find(exists);
  if (system) return system;
  let bundled = '';
  try {
    bundled = playwright().chromium.executablePath();
  } catch {
    bundled = '';
  }
  if (bundled && exists(bundled)) return bundled;
  throw new EnvironmentError(
    harnessMessage(
      "UI mode needs Chromium, and none was found. Install one (Debian or Ubuntu: 'sudo apt-get install chromium chromium-headless-shell'; elsewhere: 'npx playwright install chromium'), or set FSM_CHROMIUM_PATH to a Chromium or Chrome executable. API mode (the default) needs no browser.",
    ),
  );
}

export async function launchChromium(configured: string | undefined, headless: boolean): Promise<Browser> {
  const executablePath = findChromium(configured, headless);
  try {
    return await playwright().chromium.launch({ executablePath, headless, args: CHROMIUM_FLAGS });
  } catch (error) {
    throw new EnvironmentError(harnessMessage(`Chromium at ${executablePath} did not start: ${(error as Error).message.split('\n')[0]}`));
  }
}
