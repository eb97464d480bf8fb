/** `fsm-harness`: one entry point for the simulators, the suites, and (later) reports and evidence. */
import { UsageError } from './args';
import { completionCommand, issuesCommand, reportCommand, verifyCommand } from './evidence';
import { migrateCommand } from './migrate';
import { runCommand } from './run';
import { simCommand } from './sim';

const USAGE = `fsm-harness: test harness and simulator for DCC FSM mandated user testing (UEPT, UIT)

Usage:
  fsm-harness sim [options]     start the simulators (FSM platform ...) and wait
  fsm-harness run [options]     run a suite: results, Test Completion Report, evidence pack
  fsm-harness report            a Test Completion Report for a run, a party or every run
  fsm-harness issues            testing issues: list, resolve, defer, close
  fsm-harness completion        mandated tests passed per party, and who has not passed
  fsm-harness verify            check evidence packs and their chain
  fsm-harness migrate           import a DSMS export into a running simulator
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
      case 'report':
        return await reportCommand(rest);
      case 'issues':
        return await issuesCommand(rest);
      case 'completion':
        return await completionCommand(rest);
      case 'verify':
        return await verifyCommand(rest);
      case 'migrate':
        return await migrateCommand(rest);
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
