/**
 * How the wrappers report bad arguments: as `k6/x/tracing` does. In the
 * init context an exception stops k6 before the test starts; in VU code
 * the test is aborted (exit code 108), instead of failing one iteration
 * among thousands.
 *
 * @packageDocumentation
 */
import exec from "k6/execution";
import { OptionsError, type OptionProblem } from "./problems.js";

/**
 * Whether the script runs VU code: k6/execution answers VU questions only
 * there, and throws in the init context.
 */
function inVUCode(): boolean {
  try {
    return exec.vu.idInInstance > 0;
  } catch {
    return false;
  }
}

/**
 * Reports the problems of a wrapper's arguments, if any: an
 * {@link OptionsError} in the init context, an aborted test in VU code.
 */
export function rejectProblems(call: string, problems: readonly OptionProblem[]): void {
  if (problems.length === 0) {
    return;
  }
  const err = new OptionsError(call, problems);
  if (inVUCode()) {
    exec.test.abort(err.message);
  }
  throw err;
}
