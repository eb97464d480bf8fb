// Cucumber profiles. `default` drives the platform through its REST API; `ui` through the portal in
// Chromium; `ci` is the default with plain progress output and every report. Each worker starts its
// own simulators unless FSM_TARGET names a URL (see README, Configuration).
const common = {
  paths: ['features/**/*.feature'],
  requireModule: ['ts-node/register/transpile-only'],
  require: ['steps/**/*.ts'],
  strict: true,
  format: [
    'progress-bar',
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
  ci: { ...common, format: common.format.map((f) => (f === 'progress-bar' ? 'progress' : f)), parallel: 2 },
};
