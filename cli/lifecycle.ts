/**
 * How a command ends when it is told to: SIGINT, SIGTERM or SIGHUP, or its launcher going away. The
 * first starts the command's own stop; from then on a second signal, or the stop outlasting its grace,
 * exits the process at once, so nothing it opened (listeners, databases, browsers) outlives it.
 *
 * Launched by npm (`npx fsm-harness`, `npm run sim`), the harness is the child of npm's shell: npm
 * passes SIGTERM to that shell, which dies without passing it on. So under npm the harness watches
 * its parent, and the parent going away counts as SIGHUP. Node has no parent-death signal, hence the
 * check of the parent's id a few times a second. Launched directly (`node bin/fsm-harness.js`), the
 * signal reaches the harness itself, and a harness left running by a shell that exited keeps running.
 *
 * A stopped command ends by its signal (`endBy`), not by returning or `process.exit`: Node 24 waits at
 * exit for V8's background WebAssembly compiles (PGlite's tier-up, queued by the last queries) to
 * finish, two to three seconds on a busy machine after everything was closed. A signal's default
 * action ends the process at once, and its parent sees it ended by that signal, as a shell expects.
 */
import { constants } from 'node:os';
import { harnessMessage } from '../clients/messages';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const SIGNALS: StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** How long a stop may take (closing listeners, then the database) before the process exits anyway. */
export const STOP_GRACE_MS = 1000;
const PARENT_CHECK_MS = 200;

/** The exit status of a process ended by `signal`, as a shell reports it (130 for SIGINT). */
export function exitCodeOf(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

/** Ends the process by `signal`'s default action, at once; `process.exit` with its status should the signal be ignored. */
export function endBy(signal: StopSignal): never {
  // Without listeners, Node gives the signal back its default action.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  process.exit(exitCodeOf(signal));
}

export interface StopRequest {
  /** The first stop signal (SIGHUP when the launcher went away). */
  signal: Promise<StopSignal>;
  /** Stops listening, for a command that ended by itself. */
  dispose(): void;
}

export function stopRequested({ graceMs = STOP_GRACE_MS, watchParent = process.env.npm_command !== undefined } = {}): StopRequest {
  let parentWatch: NodeJS.Timeout | undefined;
  let first: (signal: StopSignal) => void = () => undefined;
  const dispose = () => {
    clearInterval(parentWatch);
    for (const name of SIGNALS) process.removeListener(name, first);
  };
  const signal = new Promise<StopSignal>((resolve) => {
    first = (received) => {
      dispose();
      for (const name of SIGNALS) process.once(name, () => endBy(name));
      setTimeout(() => {
        console.error(harnessMessage(`Still stopping ${graceMs} ms after ${received}: exiting now.`));
        endBy(received);
      }, graceMs).unref();
      resolve(received);
    };
  });
  for (const name of SIGNALS) process.once(name, first);
  if (watchParent) {
    const parent = process.ppid;
    parentWatch = setInterval(() => process.ppid !== parent && first('SIGHUP'), PARENT_CHECK_MS).unref();
  }
  return { signal, dispose };
}

/**
 * For a command that cannot stop half-way (a run): the first stop request ends the process at once,
 * saying `why`. What it opened (simulators, browsers, cucumber's workers) ends with it. Left in place
 * until the process ends: a stop while the reports are written ends it too.
 */
export function exitOnStop(why: string): void {
  void stopRequested().signal.then((signal) => {
    console.error(harnessMessage(`Stopped by ${signal}: ${why}`));
    endBy(signal);
  });
}
