import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { explain, main } from '../../cli/main';
import { progressPrinter } from '../../cli/progress';
import { reportServer } from '../../cli/serve-reports';
import { ResultCollector } from '../../reporting/results';
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

  it('describes a thrown value that is no Error, even one without a prototype (it has no String())', () => {
    const bare = Object.assign(Object.create(null) as object, { code: 'ERR_SOMETHING' });
    assert.match(explain(bare), /^\[fsm-harness\] \[Object: null prototype\] \{ code: 'ERR_SOMETHING' \}$/);
    assert.equal(explain('plain words'), "[fsm-harness] 'plain words'");
  });
});

describe('names typed on the command line', () => {
  it('takes a name Object.prototype has (constructor, __proto__) for an unknown command or suite, as any other (issue 14)', async (t) => {
    const said = t.mock.method(console, 'error', () => undefined);
    for (const name of INHERITED_NAMES) {
      assert.equal(await main([name]), 2, name);
      assert.match(String(said.mock.calls.at(-1)?.arguments[0]), new RegExp(`there is no command "${name}"`));
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
        const endedBy = new Promise((resolve) => launcher.once('exit', (code, by) => resolve(by ?? `code ${code}`)));
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
        // A clean stop too ends by the signal: a shell sees 128 + n, and Node 24 does not hold the exit.
        if (command !== 'npx') assert.equal(await endedBy, signal);
      } finally {
        // What a failed stop left behind (an orphan is no longer under the launcher), so that this file can end.
        for (const pid of new Set([...tree, ...descendants(launcher.pid ?? 0)])) if (!ended(pid)) process.kill(pid, 'SIGKILL');
      }
    });
  }
});

describe('how the command ends', () => {
  /** The launcher's ending (bin/answer.js) for a command answering `answer`, in a process of its own. */
  function endedBy(answer: string): Promise<{ status: number | null; stderr: string }> {
    const child = spawn(process.execPath, ['-e', `require('./bin/answer.js').exitWithAnswer(${answer})`], { cwd: ROOT });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return new Promise((resolve) => child.on('close', (status) => resolve({ status, stderr })));
  }

  it('by the status the command answered', async () => {
    assert.deepEqual(await endedBy('Promise.resolve(0)'), { status: 0, stderr: '' });
    assert.deepEqual(await endedBy('Promise.resolve(3)'), { status: 3, stderr: '' });
  });

  it('never by 0 when the command stopped without an answer (nothing left to wait for)', async () => {
    const ended = await endedBy('new Promise(() => undefined)');
    assert.equal(ended.status, 70);
    assert.match(ended.stderr, /stopped without an answer/);
  });
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
    // Ended by the signal itself, as a shell sees it (status 128 + n), not by a code of its own.
    const exit = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
    return { child, said, exit };
  }

  it('ends by the signal when the stop outlasts its grace', async () => {
    const { child, said, exit } = stubborn(300);
    await said('ready');
    const sent = Date.now();
    child.kill('SIGTERM');
    await said('stopping');
    assert.equal(await exit, 'SIGTERM');
    assert.ok(Date.now() - sent < 300 + 1500, `exited ${Date.now() - sent} ms after SIGTERM`);
  });

  it('ends at once by a second signal', async () => {
    const { child, said, exit } = stubborn(60_000);
    await said('ready');
    child.kill('SIGTERM');
    await said('stopping');
    child.kill('SIGINT');
    assert.equal(await exit, 'SIGINT');
  });
});

const COMMAND_NAMES = ['sim', 'run', 'onboard', 'report', 'issues', 'completion', 'verify', 'migrate'];

/** What main prints on stdout and stderr for `argv`, and its exit code. */
async function said(t: { mock: { method: typeof import('node:test').mock.method } }, argv: string[]) {
  const out = t.mock.method(console, 'log', () => undefined);
  const err = t.mock.method(console, 'error', () => undefined);
  const code = await main(argv);
  const text = (m: typeof out) => m.mock.calls.map((c) => c.arguments.map(String).join(' ')).join('\n');
  const result = { code, stdout: text(out), stderr: text(err) };
  out.mock.restore();
  err.mock.restore();
  return result;
}

describe('help', () => {
  for (const command of COMMAND_NAMES) {
    it(`${command} --help and help ${command} print ${command}'s own usage, exit 0, and do nothing else`, async (t) => {
      for (const argv of [
        [command, '--help'],
        [command, '-h'],
        ['help', command],
      ]) {
        const { code, stdout, stderr } = await said(t, argv);
        assert.equal(code, 0, argv.join(' '));
        assert.match(stdout, new RegExp(`^Usage: fsm-harness ${command}\\b`), argv.join(' '));
        assert.equal(stderr, '', argv.join(' '));
      }
    });
  }

  it('issues --help is help, not the list of issues', async (t) => {
    const { stdout } = await said(t, ['issues', '--help']);
    assert.doesNotMatch(stdout, /No testing issues/);
  });

  it('every README section the CLI points to exists', async (t) => {
    const headings = readFileSync(join(ROOT, 'README.md'), 'utf8')
      .split('\n')
      .filter((l) => /^#{2,3} /.test(l))
      .map((l) => l.replace(/^#+ /, ''));
    const texts = [(await said(t, ['--help'])).stdout];
    for (const command of COMMAND_NAMES) texts.push((await said(t, [command, '--help'])).stdout);
    const pointers =
      texts
        .join('\n')
        .replace(/\s+/g, ' ')
        .match(/README, [A-Z][\w ]*\w/g) ?? [];
    assert.ok(pointers.length >= 4, `pointers found: ${pointers.join('; ')}`);
    for (const pointer of pointers) {
      const section = pointer.slice('README, '.length);
      assert.ok(
        headings.some((h) => h === section || h.startsWith(`${section} (`)),
        `"${pointer}": README.md has no section "${section}"`,
      );
    }
  });
});

describe('typing mistakes', () => {
  it('a mistyped command is answered with the nearest command, calmly, exit 2', async (t) => {
    const typos: [string, string][] = [
      ['rnu', 'run'],
      ['verfy', 'verify'],
      ['reprot', 'report'],
      ['onbaord', 'onboard'],
    ];
    for (const [typed, meant] of typos) {
      const { code, stderr } = await said(t, [typed]);
      assert.equal(code, 2);
      assert.match(stderr, new RegExp(`Did you mean "fsm-harness ${meant}"\\?`), typed);
      assert.doesNotMatch(stderr, /error|unknown|Usage:/i, 'one line that helps, not an alarm and a wall of usage');
    }
    assert.doesNotMatch((await said(t, ['zzzzzz'])).stderr, /Did you mean/, 'no guess when nothing is near');
  });

  it('a mistyped option is answered with the nearest option of that command', async (t) => {
    const { code, stderr } = await said(t, ['run', '--sute', 'uept']);
    assert.equal(code, 2);
    assert.match(stderr, /fsm-harness run has no option --sute\. Did you mean --suite\?/);
    assert.match((await said(t, ['issues', 'reslove', 'TI-1'])).stderr, /Did you mean "resolve"\?/);
  });
});

describe('verify', () => {
  it('says a run that does not exist does not exist (exit 2), not that evidence is not intact', async (t) => {
    const cwd = process.cwd();
    const dir = mkdtempSync(join(tmpdir(), 'fsm-verify-'));
    process.chdir(dir);
    try {
      const { code, stdout, stderr } = await said(t, ['verify', '--run', 'nosuch']);
      assert.equal(code, 2);
      assert.match(stderr, /There is no run nosuch in the results store/);
      assert.doesNotMatch(stdout + stderr, /NOT intact/);
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('progress of a run in piped output', () => {
  const envelopes = (status: string) => [
    { gherkinDocument: { uri: 'f.feature', feature: { name: 'Incidents' } } },
    { pickle: { id: 'p1', name: 'Raise an incident', uri: 'f.feature', tags: [], astNodeIds: ['n1'] } },
    { testCase: { id: 'c1', pickleId: 'p1' } },
    { testCaseStarted: { id: 's1', testCaseId: 'c1', timestamp: { seconds: 10, nanos: 0 } } },
    { testStepFinished: { testCaseStartedId: 's1', testStepResult: { status: status.toUpperCase() } } },
    { testCaseFinished: { testCaseStartedId: 's1', timestamp: { seconds: 11, nanos: 500_000_000 }, willBeRetried: false } },
  ];

  it('prints a line with the scenario, its result and the time as soon as the scenario finishes, only when not a terminal', () => {
    for (const isTTY of [false, true]) {
      const written: string[] = [];
      const collector = new ResultCollector(progressPrinter({ isTTY, write: (text: string) => written.push(text) }, Date.now() - 4200));
      for (const envelope of envelopes('failed')) collector.onEnvelope(envelope as never);
      if (isTTY) assert.deepEqual(written, [], 'a terminal has the progress bar');
      else {
        assert.equal(written.length, 1);
        assert.match(written[0] ?? '', /^\[\s*4\.\d s\] failed +Incidents \/ Raise an incident \(1\.5 s\)\n$/);
      }
    }
  });
});

describe('report --open', () => {
  it('serves the Allure report and the TCR over HTTP, and nothing outside the reports folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fsm-reports-'));
    mkdirSync(join(dir, 'allure-report', 'data'), { recursive: true });
    mkdirSync(join(dir, 'tcr'));
    writeFileSync(join(dir, 'allure-report', 'index.html'), '<html>allure</html>');
    writeFileSync(join(dir, 'allure-report', 'data', 'suites.json'), '{"children":[]}');
    writeFileSync(join(dir, 'tcr', 'tcr.html'), '<html>tcr</html>');
    const secret = `${dir}-secret.txt`;
    writeFileSync(secret, 'secret');
    const outside = secret.slice(tmpdir().length + 1);
    const server = reportServer(dir);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const allure = await fetch(`${base}/allure-report/`);
      assert.equal(allure.status, 200);
      assert.match(allure.headers.get('content-type') ?? '', /text\/html/);
      assert.equal(await allure.text(), '<html>allure</html>');
      assert.equal(await (await fetch(`${base}/allure-report/data/suites.json`)).text(), '{"children":[]}');
      assert.equal((await fetch(`${base}/tcr/tcr.html`)).status, 200);
      for (const path of [`/..%2F${outside}`, `/%2e%2e/${outside}`, `/tcr/..%2F..%2F${outside}`, '/nothing'])
        assert.equal((await fetch(`${base}${path}`)).status, 404, path);
    } finally {
      await new Promise((done) => server.close(done));
      rmSync(dir, { recursive: true, force: true });
      rmSync(secret, { force: true });
    }
  });
});

describe('a command that answers and ends', { skip: LINUX, timeout: 60_000 }, () => {
  /** Node 24 ignores --liftoff-only set at run time (cli/main.ts): the launcher must start such a command with it. */
  const baselineByLauncher = Number(process.versions.node.split('.')[0]) >= 24;

  it(`runs ${baselineByLauncher ? 'in a child node --liftoff-only' : 'in the launcher'}, which passes a signal on and ends by it`, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'fsm-launcher-'));
    mkdirSync(join(cwd, 'reports', 'tcr'), { recursive: true });
    writeFileSync(join(cwd, 'reports', 'tcr', 'tcr.html'), '<html>tcr</html>');
    // `report --open` answers and ends, though only when stopped: it serves the reports until then.
    const launcher = spawn(process.execPath, [join(ROOT, 'bin', 'fsm-harness.js'), 'report', '--open', '--port', '0'], {
      cwd,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let tree = [launcher.pid ?? 0];
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        launcher.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          const found = /http:\/\/\S+\/tcr\/tcr\.html/.exec(out);
          if (found) resolve(found[0]);
        });
        launcher.once('exit', (code) => reject(new Error(`report --open exited (${code}) before it served: ${out}`)));
      });
      assert.equal(await (await fetch(url)).text(), '<html>tcr</html>');
      tree = [launcher.pid ?? 0, ...descendants(launcher.pid ?? 0)];
      const baseline = tree.filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('--liftoff-only'));
      assert.equal(baseline.length, baselineByLauncher ? 1 : 0, `processes started with --liftoff-only: ${baseline.join(', ')}`);
      const endedBy = new Promise((resolve) => launcher.once('exit', (code, by) => resolve(by ?? `code ${code}`)));
      launcher.kill('SIGTERM');
      assert.equal(await endedBy, 'SIGTERM');
      await until(
        Date.now() + 2000,
        () => tree.every(ended),
        () => `still running 2 s after SIGTERM: ${tree.filter((p) => !ended(p)).join(', ')}`,
      );
      assert.ok(await refuses(Number(new URL(url).port)), 'the reports are still served after SIGTERM');
    } finally {
      for (const pid of new Set([...tree, ...descendants(launcher.pid ?? 0)])) if (!ended(pid)) process.kill(pid, 'SIGKILL');
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
