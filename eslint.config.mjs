// Lint: typescript-eslint's recommended rules, plus the folder rules of our layout (the domain core
// imports no framework; steps reach the platform only through the screenplay layer and the clients;
// the harness, which judges the simulator, never imports it but to start it).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noSimulator = {
  regex: '(^|/)simulators(/|$)',
  message: "The harness is the simulator's oracle: expected values come from the features or the harness's own constants (e.g. steps/screenplay/incidents/states.ts), never from simulators/. Only steps/support/worker.ts and hooks.ts load the simulators, to start them.",
};

const frameworks = ['express', 'playwright-core', 'playwright', 'msw', 'msw/*', '@faker-js/faker', 'pg', '@electric-sql/pglite', '@cucumber/cucumber'];

export default tseslint.config(
  { ignores: ['node_modules/', 'reports/', '.fsm-sim/', '.fsm-results/', '.fsm-evidence/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': 'off',
    },
  },
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['simulators/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: frameworks, patterns: ['../store/*', '../fsm/*', '../http/*', '../services/*'] }] },
  },
  {
    files: ['steps/**/*.ts'],
    ignores: ['steps/support/worker.ts', 'steps/support/hooks.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noSimulator] }] },
  },
  {
    files: ['steps/*.steps.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noSimulator, { regex: '(^|/)clients(/|$)', message: 'Steps call tasks and the World; the screenplay layer reaches the platform.' }] }] },
  },
);
