/**
 * Measures how long `fsm-harness sim --json --port 0` takes to print its URL line, as a user sees it
 * (a whole new process each time): in memory, on a fresh data directory and on an existing one.
 * Usage: node -r ts-node/register/transpile-only scripts/startup-time.ts [runs]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Milliseconds from starting `fsm-harness sim --json --port 0` (with `args`) to its URL line. */
export function timeToUrl(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let ready = 0;
    const child = spawn(process.execPath, ['bin/fsm-harness.js', 'sim', '--json', '--port', '0', '--log-level', 'warn', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('"fsm"')) return;
      ready = Number(process.hrtime.bigint() - started) / 1e6;
      child.kill('SIGTERM');
    });
    child.once('exit', (code) => (ready ? resolve(ready) : reject(new Error(`sim exited with ${code} before printing its URL`))));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'fsm-startup-'));
  try {
    const cases: [string, () => string[]][] = [
      ['in memory (--memory)', () => ['--memory']],
      ['fresh data directory', () => ['--data-dir', mkdtempSync(join(dir, 'fresh-'))]],
      ['existing data directory', () => ['--data-dir', join(dir, 'kept')]],
    ];
    await timeToUrl(['--data-dir', join(dir, 'kept')]);
    for (const [name, args] of cases) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await timeToUrl(args()));
      console.log(
        `${name.padEnd(26)} median ${(median(times) / 1000).toFixed(2)} s  min ${(Math.min(...times) / 1000).toFixed(2)} s  max ${(Math.max(...times) / 1000).toFixed(2)} s  (${runs} runs)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main();
