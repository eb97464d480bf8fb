import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explain, main } from '../../cli/main';
import { EnvironmentError } from '../../clients/http';
import { INHERITED_NAMES } from '../hardening/inherited';

describe('what the CLI says when a command fails', () => {
  it("gives the harness's own message however deep it is wrapped (cucumber wraps a BeforeAll hook's error)", () => {
    const cause = new EnvironmentError('[fsm-harness] Nothing answered GET http://127.0.0.1:1/__sim/urls (ECONNREFUSED). Is the simulator or the target environment up, and is the URL right?');
    const wrapped = new Error('a BeforeAll hook errored, process exiting: steps/support/hooks.ts:29', { cause });
    assert.equal(explain(wrapped), cause.message);
    assert.equal(explain(new Error('outer', { cause: wrapped })), cause.message);
  });

  it('gives the stack of anything else, of its first cause when wrapped, so that a defect can be reported', () => {
    const error = new TypeError('x is not a function');
    assert.match(explain(error), /^\[fsm-harness\] TypeError: x is not a function\n\s+at /);
    const wrapped = new Error('a BeforeAll hook errored, process exiting: steps/support/hooks.ts:29', { cause: error });
    assert.match(explain(wrapped), /^\[fsm-harness\] a BeforeAll hook errored, process exiting: steps\/support\/hooks\.ts:29\nCaused by TypeError: x is not a function\n\s+at /);
  });
});

describe('names typed on the command line', () => {
  it('takes a name Object.prototype has (constructor, __proto__) for an unknown command or suite, as any other (issue 14)', async (t) => {
    const said = t.mock.method(console, 'error', () => undefined);
    for (const name of INHERITED_NAMES) {
      assert.equal(await main([name]), 2, name);
      assert.match(String(said.mock.calls.at(-1)?.arguments[0]), new RegExp(`unknown command "${name}"`));
      // An invalid --mode as well: were the suite taken, the mode would be refused instead, before anything runs.
      assert.equal(await main(['run', '--suite', name, '--mode', 'neither']), 2, name);
      assert.match(String(said.mock.calls.at(-1)?.arguments[0]), new RegExp(`--suite must be uept, uit or all; got "${name}"`));
    }
  });
});
