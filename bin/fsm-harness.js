#!/usr/bin/env node
// The fsm-harness command. It runs the JavaScript `npm run build` compiled into dist/ (built by
// `prepare` at `npm ci`), when that is at least as new as every TypeScript source it came from;
// otherwise (a source changed since, or no build) the sources through ts-node, as before.
const { readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const SOURCES = require('../scripts/build-sources');

/** The build's time, when no source is newer than it (about 200 files' times: a few milliseconds). */
function freshBuild() {
  let built;
  try {
    built = statSync(path.join(root, 'dist', 'BUILT')).mtimeMs;
  } catch {
    return false;
  }
  const newer = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? newer(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs > built,
    );
  return !SOURCES.some((dir) => newer(path.join(root, dir)));
}

/**
 * Runs this command again in a child `node --liftoff-only`: from Node 24, V8 ignores that flag when
 * cli/main.ts sets it at run time, and a command that answers and ends then spends 1-2 s of CPU
 * optimising PGlite's WebAssembly it hardly uses (docs/performance.md, "Node 24 ignores --liftoff-only"). The child gets the signals
 * this process is sent, and ends it as it ended: by the same exit status, or the same signal.
 */
function inBaselineChild() {
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, ['--liftoff-only', ...process.execArgv, process.argv[1], ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  const forward = (signal) => child.kill(signal);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  child.once('exit', (code, signal) => {
    for (const name of signals) process.removeListener(name, forward);
    if (signal === null) process.exitCode = code;
    else process.kill(process.pid, signal);
  });
}

const cli =
  process.env.FSM_FROM_SOURCE !== '1' && freshBuild()
    ? require('../dist/cli/main.js')
    : (require('ts-node').register({ project: path.join(root, 'tsconfig.json'), transpileOnly: true }), require('../cli/main.ts'));
const baselineIgnored = Number(process.versions.node.split('.')[0]) >= 24 && !process.execArgv.includes('--liftoff-only');
if (baselineIgnored && cli.answersAndEnds(process.argv[2])) inBaselineChild();
else require('./answer').exitWithAnswer(cli.main(process.argv.slice(2)));
