// Lint: typescript-eslint's recommended rules, plus the folder rules of our layout (the domain core
// imports no framework; steps reach the platform only through the screenplay layer and the clients;
// the harness, which judges the simulator, never imports it but to start it).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noSimulator = {
  regex: '(^|/)simulators(/|$)',
  message:
    "The harness is the simulator's oracle: expected values come from the features or the harness's own constants (e.g. steps/screenplay/incidents/states.ts), never from simulators/. Only steps/support/worker.ts and hooks.ts load the simulators, to start them.",
};

const frameworks = [
  'express',
  'playwright-core',
  'playwright',
  'msw',
  'msw/*',
  '@faker-js/faker',
  'pg',
  '@electric-sql/pglite',
  '@cucumber/cucumber',
];

// `name in table` also finds Object.prototype's names (`constructor`, `__proto__`): a name from a
// request, a file or the command line is looked up in a Map or with Object.hasOwn (issue 14).
// A literal on the left (`'record' in target`) narrows a union type, and stays allowed.
const noInOnPlainObject = {
  selector: "BinaryExpression[operator='in'][left.type!='Literal']",
  message: 'A key in a plain object also matches Object.prototype (constructor, __proto__): use a Map, or Object.hasOwn(object, key).',
};

// The harness's messages take their prefix from one helper (issue 15).
const prefixMessage =
  "Write the harness's own message as harnessMessage('...') from clients/messages.ts, not with a literal [fsm-harness].";
const noLiteralPrefix = [
  { selector: 'Literal[value=/\\[fsm-harness\\]/]', message: prefixMessage },
  { selector: 'TemplateElement[value.raw=/\\[fsm-harness\\]/]', message: prefixMessage },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'reports/', '.fsm-sim/', '.fsm-results/', '.fsm-evidence/', '.fsm-service/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': 'off',
      'no-restricted-syntax': ['error', noInOnPlainObject],
    },
  },
  {
    // Type-checked rules: a promise nobody awaits loses its error (a 500 nobody logs, a test that passes early).
    // Express 5 awaits a handler's promise and sends its rejection to the error middleware, so async handlers
    // passed as arguments are fine; everywhere else a promise must be awaited, returned or voided on purpose.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it/test return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    // Every layer of the harness and the simulators: the prefix comes from one helper.
    files: [
      'cli/**/*.ts',
      'clients/**/*.ts',
      'reporting/**/*.ts',
      'scripts/**/*.ts',
      'service/**/*.ts',
      'steps/**/*.ts',
      'simulators/**/*.ts',
      'fixtures/**/*.ts',
    ],
    ignores: ['clients/messages.ts'],
    rules: { 'no-restricted-syntax': ['error', noInOnPlainObject, ...noLiteralPrefix] },
  },
  {
    // Adapters (REST API, portal, control API, DCC Identity, logistics) reach the data only through the use
    // cases they are given: never the store, so each rule (a role check, party scoping) lives in one place.
    files: [
      'simulators/fsm/**/*.ts',
      'simulators/portal/**/*.ts',
      'simulators/http/**/*.ts',
      'simulators/idp/**/*.ts',
      'simulators/logistics/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '../services/context',
              importNames: ['Core'],
              message: 'Adapters are given services and the configuration, never the Core (its database and mail gateway).',
            },
          ],
          patterns: [
            {
              group: ['../store/*', '../store'],
              message: 'Adapters reach the data through the services they are given (simulators/services), never the store.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['simulators/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: frameworks, patterns: ['../store/*', '../fsm/*', '../http/*', '../services/*'] }],
    },
  },
  {
    files: ['steps/**/*.ts'],
    ignores: ['steps/support/worker.ts', 'steps/support/hooks.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noSimulator] }] },
  },
  {
    files: ['steps/*.steps.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noSimulator,
            { regex: '(^|/)clients(/|$)', message: 'Steps call tasks and the World; the screenplay layer reaches the platform.' },
          ],
        },
      ],
    },
  },
);
