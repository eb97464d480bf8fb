/**
 * The harness's own messages (a usage mistake, a broken environment, a step misused) start with one
 * prefix, so that a reader tells them from the platform's answers, and `fsm-harness` shows them as
 * they are, without a stack (cli/main.ts). It imports nothing, so every layer of the harness may use it.
 */
const PREFIX = '[fsm-harness]';

/** `text` as the harness says it: "[fsm-harness] text". */
export function harnessMessage(text: string): string {
  return `${PREFIX} ${text}`;
}

/** Whether a message is the harness's own (from harnessMessage). */
export function isHarnessMessage(message: string): boolean {
  return message.startsWith(PREFIX);
}
