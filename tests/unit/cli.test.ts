import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explain } from '../../cli/main';
import { EnvironmentError } from '../../clients/http';

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
