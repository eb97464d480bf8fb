// The folders `npm run build` compiles to dist/ and bin/fsm-harness.js checks for freshness: what
// the CLI reaches (tests/unit/imports.test.ts checks every module it loads is in one of them);
// steps/ only for steps/support/config (cli/run names the simulator log).
module.exports = ['cli', 'clients', 'simulators', 'reporting', 'fixtures', 'service', 'steps/support'];
