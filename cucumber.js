// Cucumber profiles. `default` drives the platform through its REST API; `ui` through the portal in
// Chromium; `ci` is the default with plain progress output and every report. Each worker starts its
// own simulators unless FSM_TARGET names a URL (see README, Configuration).
// Paths are not set here: cucumber's default is features/**/*.feature, and `fsm-harness run --suite`
// narrows it (a profile's paths would be merged with the suite's, not replaced).
const common = {
  requireModule: ['ts-node/register/transpile-only'],
  require: ['steps/**/*.ts'],
  strict: true,
  format: [
    process.stdout.isTTY ? 'progress-bar' : 'progress',
    ['message', 'reports/cucumber-messages.ndjson'],
    ['junit', 'reports/cucumber-junit.xml'],
    ['allure-cucumberjs/reporter', 'reports/allure-results/.cucumber-allure.log'],
  ],
  formatOptions: {
    snippetInterface: 'async-await',
    junit: { suiteName: 'FSM user testing' },
    resultsDir: 'reports/allure-results',
    labels: [{ pattern: [/^@(uept|uit)$/], name: 'epic' }],
  },
  // Retries only for scenarios that declare themselves flaky, never across the board.
  retry: 1,
  retryTagFilter: '@flaky',
  worldParameters: { mode: 'api' },
};

module.exports = {
  default: common,
  ui: { ...common, worldParameters: { mode: 'ui' } },
  // Two workers, each with its own simulators: proves that scenarios in parallel never collide.
  ci: { ...common, parallel: 2 },
  // Every step of every scenario has exactly one definition: no run, no reports.
  check: { ...common, dryRun: true, format: ['summary'] },
};
