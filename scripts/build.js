#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`, so `npm ci` and `npm install` build too): compiles the CLI, the
 * simulators, the clients, the report code and what they import to CommonJS in dist/, with swc (a
 * dependency already: ts-node uses it), about a second. bin/fsm-harness.js runs dist/ when it is at
 * least as new as every source, otherwise the sources through ts-node. People's step definitions
 * are not built: cucumber loads them through ts-node as before.
 */
const { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');
const { transformFileSync } = require('@swc/core');

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'dist');
const SOURCES = require('./build-sources');
const OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  swcrc: false,
};

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

rmSync(OUT, { recursive: true, force: true });
let count = 0;
for (const source of SOURCES) {
  for (const file of files(join(ROOT, source))) {
    if (file.endsWith('.d.ts')) continue;
    const target = join(OUT, relative(ROOT, file));
    mkdirSync(dirname(target), { recursive: true });
    if (file.endsWith('.ts')) {
      writeFileSync(target.replace(/\.ts$/, '.js'), transformFileSync(file, OPTIONS).code);
      count++;
    } else copyFileSync(file, target); // migrations, fixture files and keys, read beside the code
  }
}
// cli/run reads the harness's version from ../package.json.
copyFileSync(join(ROOT, 'package.json'), join(OUT, 'package.json'));
writeFileSync(join(OUT, 'BUILT'), `${new Date().toISOString()}\n`);
console.log(`build: ${count} modules compiled to dist/`);
