/**
 * The shape of the code, checked: no two modules import values from each other, however far round
 * (a cycle makes the load order matter: loading mfa-checks.ts first once threw "Cannot access
 * 'mfaVerify' before initialization"), and every module loads on its own. Type-only imports are
 * erased by the compiler and cannot cycle at run time, so they are left out.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(__dirname, '..', '..');
const FOLDERS = ['bin', 'cli', 'clients', 'fixtures', 'reporting', 'scripts', 'service', 'simulators', 'steps'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports that bring values: `import type { A }` and `import { type A, type B }` bring none. */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s+'(\.[^']+)'/gms)) {
    const [, typeOnly, clause = '', spec = ''] = match;
    const braces = /\{([^}]*)\}/.exec(clause);
    const onlyTypes =
      braces !== null &&
      !clause.replace(braces[0], '').replace(/,/g, '').trim() &&
      braces[1]?.split(',').every((s) => !s.trim() || /^type\s/.test(s.trim()));
    if (typeOnly || onlyTypes) continue;
    const base = resolve(dirname(file), spec);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
    if (target) found.push(target);
  }
  return found;
}

function cycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, valueImports(f)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(ROOT, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
}

test('no module imports values from a module that imports values back, however far round', () => {
  const files = FOLDERS.flatMap((f) => sources(join(ROOT, f)));
  assert.ok(files.length > 100, 'the sources were found');
  assert.deepEqual(cycles(files), []);
});

test('the finder sees a cycle of values and ignores one of types', () => {
  assert.deepEqual(cycles([]), []);
  const probe = valueImports(join(ROOT, 'simulators', 'services', 'mfa-checks.ts')).map((f) => relative(ROOT, f));
  assert.ok(probe.includes(join('simulators', 'services', 'failures.ts')), probe.join(', '));
  assert.ok(!probe.includes(join('simulators', 'services', 'login-checks.ts')), 'a type-only import is not a value import');
});

test('the login checks load in either order', () => {
  for (const first of ['mfa-checks', 'login-checks']) {
    const run = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-e',
        `require('./simulators/services/${first}.ts'); require('./simulators/services/login.ts')`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
  }
});

// Small files (STYLE.md, issue 15): none over 250 lines outside the tests.
test('no source file of the harness or the simulators is over 250 lines', () => {
  const tooLong = FOLDERS.flatMap((folder) => sources(join(ROOT, folder)))
    .map((file) => ({ file: relative(ROOT, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
    .filter(({ lines }) => lines > 250);
  assert.deepEqual(tooLong, []);
});

// The compiled CLI (issue 19) runs from dist/, which holds only the folders of scripts/build-sources.js:
// `serve` once failed there with "Cannot find module '../service/config'", as service/ was not built.
test('every module the CLI loads, however deep, is in a folder the build compiles', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the build's own CommonJS list
  const built = (require(join(ROOT, 'scripts', 'build-sources.js')) as string[]).map((folder) => join(ROOT, folder) + sep);
  const loads = (file: string) => [
    ...valueImports(file),
    ...[...readFileSync(file, 'utf8').matchAll(/require\('(\.[^']+)'\)/g)].flatMap(([, spec = '']) => {
      const base = resolve(dirname(file), spec);
      return [`${base}.ts`, join(base, 'index.ts')].filter((p) => existsSync(p));
    }),
  ];
  const seen = new Set<string>();
  const pending = [join(ROOT, 'cli', 'main.ts')];
  for (let file = pending.pop(); file; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    pending.push(...loads(file));
  }
  assert.ok(
    [...seen].some((f) => f.includes(`${sep}service${sep}`)),
    'the walk reaches the lazily loaded commands',
  );
  assert.deepEqual(
    [...seen].filter((file) => !built.some((folder) => file.startsWith(folder))).map((f) => relative(ROOT, f)),
    [],
  );
});
