/**
 * Finding a browser: FSM_CHROMIUM_PATH, else the system's Chromium, else Playwright's own. When none
 * is found, a message that says how to install one.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
/** As the developers' guide prescribes for this machine's closed network. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.FSM_CHROMIUM_PATH) return env.FSM_CHROMIUM_PATH;
  return SYSTEM_CHROMIUM.find((p) => existsSync(p));
}

export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const executablePath = chromiumPath(env);
  try {
    return await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  } catch (error) {
    throw new Error(
      `[fsm-harness] No browser could be started${executablePath ? ` at ${executablePath}` : ''}: ${(error as Error).message.split('\n')[0]}\n` +
        'Install Chromium (Debian: apt-get install chromium) or set FSM_CHROMIUM_PATH to a Chromium or Chrome executable.',
    );
  }
}
