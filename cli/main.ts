/** `fsm-harness`: one entry point for the simulators, the suites, and (later) reports and evidence. */
import { UsageError } from './args';
import { runCommand } from './run';
import { simCommand } from './sim';

const USAGE = `fsm-harness: test harness and simulator for DCC FSM mandated user testing (UEPT, UIT)

Usage:
  fsm-harness sim [options]     start the simulators (FSM platform ...) and wait
  fsm-harness run [options]     run a suite against the simulators or a real environment
  fsm-harness <command> --help  options of a command

Docs: README.md`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'sim':
        return await simCommand(rest);
      case 'run':
        return await runCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        console.error(`fsm-harness: unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    console.error((error as Error).message.startsWith('[fsm-harness]') ? (error as Error).message : `[fsm-harness] ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}
