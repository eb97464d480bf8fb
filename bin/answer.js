// How the fsm-harness command ends: by the exit status its command answered. A command whose work
// stopped without an answer (its promise never settled and nothing was left to wait for) would
// otherwise end with status 0, as if it had passed: a CI gate must see it fail.
const UNANSWERED = 70; // EX_SOFTWARE: an internal error

function exitWithAnswer(answer) {
  let answered = false;
  process.once('exit', (code) => {
    if (answered || code !== 0) return;
    process.stderr.write(
      '[fsm-harness] The command stopped without an answer (its work ended with nothing left to wait for): treat it as failed, and report it as a defect of the harness.\n',
    );
    process.exitCode = UNANSWERED;
  });
  answer.then(
    (code) => {
      answered = true;
      process.exitCode = code;
    },
    (error) => {
      answered = true;
      throw error;
    },
  );
}

module.exports = { exitWithAnswer, UNANSWERED };
