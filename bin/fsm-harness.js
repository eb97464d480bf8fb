#!/usr/bin/env node
// The fsm-harness command. TypeScript runs through ts-node (transpile-only), so no build step is needed.
const path = require('node:path');
require('ts-node').register({ project: path.join(__dirname, '..', 'tsconfig.json'), transpileOnly: true });
require('../cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
