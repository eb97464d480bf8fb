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

let main;
if (process.env.FSM_FROM_SOURCE !== '1' && freshBuild()) main = require('../dist/cli/main.js').main;
else {
  require('ts-node').register({ project: path.join(root, 'tsconfig.json'), transpileOnly: true });
  main = require('../cli/main.ts').main;
}
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
