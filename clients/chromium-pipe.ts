/**
 * Chromium driven over its DevTools pipe (`--remote-debugging-pipe`: commands on fd 3, answers and
 * events on fd 4, each a JSON message ended by a NUL), for the one job that needs no more: printing a
 * page to PDF. Loading Playwright costs about 0.5 s before Chromium even starts; this costs nothing,
 * so a report's PDF is ready about when its other files are. UI mode still drives Chromium through
 * Playwright (browser.ts); both find the same Chromium with the same flags.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM_FLAGS, findChromium } from './browser';
import { EnvironmentError } from './http';
import { harnessMessage } from './messages';

type Message = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { message: string };
  sessionId?: string;
};

/**
 * How long any one command may take before the browser is given up on: a hung Chromium never hangs a
 * report, and a long one (the whole window's report printed on a slow machine) still has its time.
 */
const COMMAND_TIMEOUT_MS = 120_000;

export interface PipeTab {
  /** Sends a command to the page; resolves with its result, rejects with Chromium's error. */
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Resolves at the page's next event `method`. */
  next(method: string): Promise<Record<string, unknown>>;
}

export interface PipeChromium {
  /** A new page (tab). */
  newTab(): Promise<PipeTab>;
  close(): Promise<void>;
}

export async function launchPipeChromium(configured = process.env.FSM_CHROMIUM_PATH): Promise<PipeChromium> {
  const executablePath = findChromium(configured, true);
  const profile = mkdtempSync(join(tmpdir(), 'fsm-chromium-'));
  const child = spawn(
    executablePath,
    [...CHROMIUM_FLAGS, '--headless', '--remote-debugging-pipe', `--user-data-dir=${profile}`, '--no-startup-window'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const browser = new PipeConnection(child, executablePath, () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // A helper of Chromium still writing there: a few files left in the temporary directory, no failure.
    }
  });
  try {
    await browser.send('Browser.getVersion');
  } catch (error) {
    await browser.close();
    throw error;
  }
  return {
    newTab: async () => {
      const { targetId } = await browser.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await browser.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
      return { send: (method, params) => browser.send(method, params, sessionId), next: (method) => browser.next(method, sessionId) };
    },
    close: () => browser.close(),
  };
}

class PipeConnection {
  private lastId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  private readonly waiting = new Map<string, { resolve(params: Record<string, unknown>): void; reject(error: Error): void }[]>();
  private stderr = '';
  private ended: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    private readonly executablePath: string,
    cleanUp: () => void,
  ) {
    let chunks: Buffer[] = [];
    const input = child.stdio[4] as Readable;
    input.on('data', (chunk: Buffer) => {
      let start = 0;
      for (let end = chunk.indexOf(0); end !== -1; start = end + 1, end = chunk.indexOf(0, start)) {
        const message = Buffer.concat([...chunks, chunk.subarray(start, end)]).toString('utf8');
        chunks = [];
        let parsed: Message;
        try {
          parsed = JSON.parse(message) as Message;
        } catch {
          return this.fail('it answered with something that is not a DevTools message');
        }
        this.receive(parsed);
      }
      if (start < chunk.length) chunks.push(chunk.subarray(start));
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-2000)));
    // Their ends are reported by 'exit' (or 'error', when it never started).
    for (const stream of [input, child.stdio[3] as Writable, child.stderr]) stream?.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      const end = (reason: string) => {
        this.fail(reason);
        // A helper of Chromium's that outlives it would hold these open, and this process with them.
        setImmediate(() => [input, child.stdio[3] as Writable, child.stderr].forEach((stream) => stream?.destroy()));
        cleanUp();
        resolve();
      };
      child.once('error', (error) => end(error.message));
      child.once('exit', (code, signal) => end(`it ended (${signal ?? `exit status ${code}`})`));
    });
  }

  send<T>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
    if (this.ended) return Promise.reject(this.ended);
    const id = ++this.lastId;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(`${method} took longer than ${COMMAND_TIMEOUT_MS / 1000} s`), COMMAND_TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      (this.child.stdio[3] as Writable).write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  next(method: string, sessionId: string): Promise<Record<string, unknown>> {
    if (this.ended) return Promise.reject(this.ended);
    const key = `${sessionId} ${method}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(`no ${method} within ${COMMAND_TIMEOUT_MS / 1000} s`), COMMAND_TIMEOUT_MS);
      const waiter = {
        resolve: (params: Record<string, unknown>) => (clearTimeout(timer), resolve(params)),
        reject: (error: Error) => (clearTimeout(timer), reject(error)),
      };
      this.waiting.set(key, [...(this.waiting.get(key) ?? []), waiter]);
    });
  }

  private receive(message: Message): void {
    if (message.id !== undefined) {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      clearTimeout(call.timer);
      if (message.error) call.reject(new Error(`Chromium: ${message.error.message}`));
      else call.resolve(message.result);
      return;
    }
    const key = `${message.sessionId ?? ''} ${message.method ?? ''}`;
    const waiters = this.waiting.get(key);
    this.waiting.delete(key);
    for (const waiter of waiters ?? []) waiter.resolve(message.params ?? {});
  }

  /** Every call and wait still open fails with what went wrong, and the browser is ended. */
  private fail(reason: string): void {
    if (!this.ended) {
      const said = this.stderr.trim().split('\n').slice(-1)[0];
      this.ended = new EnvironmentError(
        harnessMessage(`Chromium at ${this.executablePath} did not print the page: ${reason}${said ? ` (${said})` : ''}`),
      );
    }
    const ended = this.ended;
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(ended);
    }
    this.pending.clear();
    for (const waiters of this.waiting.values()) for (const waiter of waiters) waiter.reject(ended);
    this.waiting.clear();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    if (!this.ended) {
      await this.send('Browser.close').catch(() => undefined);
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
      await this.exited;
      clearTimeout(killer);
    } else {
      await this.exited;
    }
  }
}
