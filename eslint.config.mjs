// Lint: typescript-eslint's recommended rules, plus the folder rules of our layout (the domain core
// imports no framework; steps reach the platform only through the screenplay layer and the clients).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
      // `name in table` also finds Object.prototype's names (`constructor`, `__proto__`): a name from a
      // request, a file or the command line is looked up in a Map or with Object.hasOwn (issue 14).
      // A literal on the left (`'record' in target`) narrows a union type, and stays allowed.
      'no-restricted-syntax': ['error', { selector: "BinaryExpression[operator='in'][left.type!='Literal']", message: 'A key in a plain object also matches Object.prototype (constructor, __proto__): use a Map, or Object.hasOwn(object, key).' }],
    },
  },
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['simulators/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: frameworks, patterns: ['../store/*', '../fsm/*', '../http/*', '../services/*'] }] },
  },
  {
    files: ['steps/*.steps.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['../simulators/*', '../clients/*'], message: 'Steps call tasks and the World; the screenplay layer reaches the platform.' }] }] },
  },
);
