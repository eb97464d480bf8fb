import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { explain, main } from '../../cli/main';
import { EnvironmentError } from '../../clients/http';
import { INHERITED_NAMES } from '../support/inherited-names';

const ROOT = join(__dirname, '..', '..');
const LINUX = process.platform === 'linux' ? false : 'reads the process tree from /proc';

describe('what the CLI says when a command fails', () => {
  it("gives the harness's own message however deep it is wrapped (cucumber wraps a BeforeAll hook's error)", () => {
    const cause = new EnvironmentError(
      '[fsm-harness] Nothing answered GET http://127.0.0.1:1/__sim/urls (ECONNREFUSED). Is the simulator or the target environment up, and is the URL right?',
    );
    const wrapped = new Error('a BeforeAll hook errored, process exiting: steps/support/hooks.ts:29', { cause });
    assert.equal(explain(wrapped), cause.message);
    assert.equal(explain(new Error('outer', { cause: wrapped })), cause.message);
  });

  it('gives the stack of anything else, of its first cause when wrapped, so that a defect can be reported', () => {
    const error = new TypeError('x is not a function');
    assert.match(explain(error), /^\[fsm-harness\] TypeError: x is not a function\n\s+at /);
    const wrapped = new Error('a BeforeAll hook errored, process exiting: steps/support/hooks.ts:29', { cause: error });
    assert.match(
      explain(wrapped),
      /^\[fsm-harness\] a BeforeAll hook errored, process exiting: steps\/support\/hooks\.ts:29\nCaused by TypeError: x is not a function\n\s+at /,
    );
  });
});

describe('names typed on the command line', () => {
  it('takes a name Object.prototype has (constructor, __proto__) for an unknown command or suite, as any other (issue 14)', async (t) => {
    const said = t.mock.method(console, 'error', () => undefined);
    for (const name of INHERITED_NAMES) {
      assert.equal(await main([name]), 2, name);
      assert.match(String(said.mock.calls.at(-1)?.arguments[0]), new RegExp(`unknown command "${name}"`));
      // An invalid --mode as well: were the suite taken, the mode would be refused instead, before anything runs.
      assert.equal(await main(['run', '--suite', name, '--mode', 'neither']), 2, name);
      assert.match(String(said.mock.calls.at(-1)?.arguments[0]), new RegExp(`--suite must be uept, uit or all; got "${name}"`));
    }
  });
});

/** A process's parent and state, from /proc; undefined once it is gone. */
function statOf(pid: number): { ppid: number; state: string } | undefined {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return undefined;
  const fields = readFileSync(path, 'utf8').split(') ').at(-1)?.split(' ') ?? [];
  return { state: fields[0] ?? '', ppid: Number(fields[1]) };
}

/** Every process started under `pid`, however deep. */
function descendants(pid: number): number[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
  const children = (parent: number): number[] => all.filter((p) => statOf(p)?.ppid === parent).flatMap((p) => [p, ...children(p)]);
  return children(pid);
}

/** A zombie has ended: it only waits for its parent (or init) to collect its status. */
const ended = (pid: number) => ['Z', 'X', undefined].includes(statOf(pid)?.state);

const refuses = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

/** Waits for `check` to hold, looking again every 25 ms, and fails at `deadline`. */
async function until(deadline: number, check: () => boolean | Promise<boolean>, what: () => string): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(what());
    await pause(25);
  }
}

/** The line of URLs `sim --json` prints when it serves. */
function urlLine(child: ChildProcess): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{"fsm"'));
      if (line) resolve(JSON.parse(line) as Record<string, string>);
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before it served: ${out}`)));
  });
}

describe('stopping the simulator', { skip: LINUX, timeout: 180_000 }, () => {
  const sim = ['sim', '--json', '--port', '0', '--memory', '--log-level', 'warn'];
  const launchers: [string, string, string[], NodeJS.Signals][] = [
    ['npx fsm-harness sim', 'npx', ['fsm-harness', ...sim], 'SIGTERM'],
    ['node bin/fsm-harness.js sim', process.execPath, ['bin/fsm-harness.js', ...sim], 'SIGTERM'],
    ['node bin/fsm-harness.js sim', process.execPath, ['bin/fsm-harness.js', ...sim], 'SIGHUP'],
  ];
  for (const [name, command, args, signal] of launchers) {
    it(`${name}: ${signal} to the launcher closes every port and ends every process under it within 2 s`, async () => {
      const launcher = spawn(command, args, {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, npm_config_yes: 'true' },
      });
      let tree = [launcher.pid ?? 0];
      try {
        const urls = await urlLine(launcher);
        // Serving: start-up's last work is done, so what is measured is the stop alone.
        assert.equal((await fetch(`${urls.fsm}/__sim/urls`)).status, 200);
        // The local CA's certificate, to trust for the https URLs (NODE_EXTRA_CA_CERTS).
        const { caPath = '', ...served } = urls;
        assert.ok(new X509Certificate(readFileSync(caPath)).ca, `caPath ${caPath} is a CA certificate`);
        assert.match(`${served.fsmHttps} ${served.idpHttps}`, /^https:\/\/\S+ https:\/\/\S+$/);
        const ports = Object.values(served).map((url) => Number(new URL(url).port));
        tree = [launcher.pid ?? 0, ...descendants(launcher.pid ?? 0)];
        assert.ok(tree.length >= (command === 'npx' ? 3 : 1), `the process tree: ${tree.join(', ')}`);
        launcher.kill(signal);
        const deadline = Date.now() + 2000;
        for (const port of ports)
          await until(
            deadline,
            () => refuses(port),
            () => `port ${port} still answers 2 s after ${signal}`,
          );
        await until(
          deadline,
          () => tree.every(ended),
          () => `still running 2 s after ${signal}: ${tree.filter((p) => !ended(p)).join(', ')}`,
        );
      } finally {
        // What a failed stop left behind (an orphan is no longer under the launcher), so that this file can end.
        for (const pid of new Set([...tree, ...descendants(launcher.pid ?? 0)])) if (!ended(pid)) process.kill(pid, 'SIGKILL');
      }
    });
  }
});

describe('a stop that does not finish', () => {
  /** A command whose stop never ends (lifecycle's grace `graceMs`): only the lifecycle can end it. */
  function stubborn(graceMs: number) {
    const script = `require('./cli/lifecycle').stopRequested({ graceMs: ${graceMs}, watchParent: false }).signal.then(() => console.log('stopping')); setInterval(() => undefined, 1000); console.log('ready');`;
    const child = spawn(process.execPath, ['--require', 'ts-node/register/transpile-only', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const said = (word: string) =>
      until(
        Date.now() + 60_000,
        () => out.includes(word),
        () => `the command never said ${word}: ${out}`,
      );
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, said, exit };
  }

  it("exits with the signal's status when the stop outlasts its grace", async () => {
    const { child, said, exit } = stubborn(300);
    await said('ready');
    const sent = Date.now();
    child.kill('SIGTERM');
    await said('stopping');
    assert.equal(await exit, 143);
    assert.ok(Date.now() - sent < 300 + 1500, `exited ${Date.now() - sent} ms after SIGTERM`);
  });

  it('exits at once at a second signal', async () => {
    const { child, said, exit } = stubborn(60_000);
    await said('ready');
    child.kill('SIGTERM');
    await said('stopping');
    child.kill('SIGINT');
    assert.equal(await exit, 130);
  });
});
