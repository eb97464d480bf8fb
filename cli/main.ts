/** `fsm-harness`: one entry point for the simulators, the suites, and (later) reports and evidence. */
import { setFlagsFromString } from 'node:v8';
import { inspect } from 'node:util';
import { harnessMessage, isHarnessMessage } from '../clients/messages';
import { nearest, UsageError } from './args';

type Command = (argv: string[]) => Promise<number>;

// Each command loads only what it needs (the simulators, cucumber, the report renderers), when it runs.
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS = new Map<string, () => Command>([
  ['sim', () => (require('./sim') as typeof import('./sim')).simCommand],
  ['run', () => (require('./run') as typeof import('./run')).runCommand],
  ['report', () => (require('./report') as typeof import('./report')).reportCommand],
  ['issues', () => (require('./evidence') as typeof import('./evidence')).issuesCommand],
  ['completion', () => (require('./evidence') as typeof import('./evidence')).completionCommand],
  ['verify', () => (require('./evidence') as typeof import('./evidence')).verifyCommand],
  ['keys', () => (require('./keys') as typeof import('./keys')).keysCommand],
  ['migrate', () => (require('./migrate') as typeof import('./migrate')).migrateCommand],
  ['serve', () => (require('./serve') as typeof import('./serve')).serveCommand],
  ['submit', () => (require('./submit') as typeof import('./submit')).submitCommand],
  ['onboard', () => (require('./onboard') as typeof import('./onboard')).onboardCommand],
]);
/* eslint-enable @typescript-eslint/no-require-imports */

/** The commands that keep serving or running: the rest answer and end. */
const LONG_RUNNING = new Set(['sim', 'run', 'serve']);

/** Whether `command` answers and ends, as opposed to one that keeps serving or running. */
export function answersAndEnds(command: string | undefined): boolean {
  return command !== undefined && COMMANDS.has(command) && !LONG_RUNNING.has(command);
}

/**
 * A command that answers and ends keeps PGlite's WebAssembly on V8's baseline compiler (Liftoff),
 * and never tiers it up. The optimising tier-up compiles hot functions in the
 * background, competing for the CPU with the answer, and the process then waits for those compiles
 * before it may end: 1-3 s on two busy cores, for code a short command would hardly use. Set before
 * PGlite is loaded; the serving commands keep the tier-up. Node 24 ignores the flag set at run time:
 * there bin/fsm-harness.js starts such a command in a child `node --liftoff-only` (docs/performance.md, "Node 24 ignores --liftoff-only").
 */
function baselineWasmFor(command: string): void {
  if (answersAndEnds(command)) setFlagsFromString('--liftoff-only');
}

const USAGE = `fsm-harness: test harness and simulator for DCC FSM mandated user testing (UEPT, UIT)

Usage:
  fsm-harness sim [options]     start the simulators (FSM platform ...) and wait
  fsm-harness run [options]     run a suite: results, Test Completion Report, evidence pack
  fsm-harness onboard --name N  onboard a party on a running simulator: its first administrator
  fsm-harness report            a Test Completion Report (29119-3) for a run, a party or the window; --issue, --open
  fsm-harness issues            testing issues: list, resolve, defer, close
  fsm-harness completion        mandated tests passed per party, and who has not passed
  fsm-harness verify            check evidence packs, their signatures and their chain
  fsm-harness keys              the signing key evidence packs are signed with
  fsm-harness migrate           import a DSMS export into a running simulator
  fsm-harness serve             DCC's completion service: receives packs, serves the dashboard
  fsm-harness submit            send sealed evidence packs to DCC's completion service
  fsm-harness <command> --help  options of a command (or: fsm-harness help <command>)

Docs: README.md (a first rehearsal: README, Rehearsing by hand)`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const load = command === undefined ? undefined : COMMANDS.get(command);
    if (load && command !== undefined) {
      baselineWasmFor(command);
      return await load()(rest);
    }
    if (command === 'help' && rest[0] !== undefined && COMMANDS.has(rest[0])) return await main([rest[0], '--help']);
    if (command === undefined || ['help', '--help', '-h'].includes(command)) {
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    }
    const guess = nearest(command, [...COMMANDS.keys()]);
    console.error(
      `fsm-harness: there is no command "${command}".${guess ? ` Did you mean "fsm-harness ${guess}"?` : ''} fsm-harness --help lists the commands.`,
    );
    return 2;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    console.error(explain(error));
    return 1;
  }
}

/**
 * What went wrong, for a person: the harness's own message where there is one, however deep in the
 * chain of causes (cucumber wraps a failing BeforeAll hook's error in its own); otherwise the stack
 * of the first cause, under the message that wrapped it, for a defect report.
 */
export function explain(error: unknown): string {
  let root: unknown = error;
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (isHarnessMessage(e.message)) return e.message;
    root = e;
  }
  // Anything may be thrown: an object without a prototype has no String().
  const stack = root instanceof Error ? (root.stack ?? root.message) : inspect(root);
  return root === error ? harnessMessage(stack) : harnessMessage(`${(error as Error).message}\nCaused by ${stack}`);
}
