/**
 * What validation finds, and the one Error the wrappers throw for it.
 *
 * @packageDocumentation
 */
import { quoteAll, goQuote } from "./describe.js";
import { suggest } from "./suggest.js";

/** One thing wrong with an options argument. */
export interface OptionProblem {
  /**
   * Where the problem is: `""` for the argument itself, else a key path
   * such as `"sampling"`, `"spans.endpoint"`, `"propagator[1]"` or
   * `"tracestate.Vendor"`.
   */
  readonly path: string;
  /**
   * What is wrong and what is allowed, word for word as `k6/x/tracing`
   * says it when this is the only problem.
   */
  readonly message: string;
  /** For a misspelt key or name: the one meant, as in the message's "did you mean". */
  readonly suggestion?: string;
}

/**
 * Thrown by the wrappers, before `k6/x/tracing` is called, when the
 * options have problems: its message lists every one of them, each on
 * its own line when there are several. With a single problem, the message
 * is the one `k6/x/tracing` itself would give.
 *
 * @example
 * ```ts
 * try {
 *   new Client({ propagater: "w3c", sampling: 2 });
 * } catch (e) {
 *   if (e instanceof OptionsError) console.log(e.problems.map((p) => p.path)); // ["propagater", "sampling"]
 * }
 * ```
 */
export class OptionsError extends Error {
  /** The call whose options are wrong, such as `"instrumentHTTP"` or `"new Client"`. */
  readonly call: string;
  /** Every problem found, in the order the module checks them: the first is the one it would report. */
  readonly problems: readonly OptionProblem[];

  constructor(call: string, problems: readonly OptionProblem[]) {
    super(optionsErrorMessage(call, problems));
    this.name = "OptionsError";
    this.call = call;
    this.problems = problems;
  }
}

function optionsErrorMessage(call: string, problems: readonly OptionProblem[]): string {
  const [first] = problems;
  if (problems.length === 1 && first !== undefined) {
    return `${call}: ${first.message}`;
  }
  return `${call}: ${problems.length} problems:\n${problems.map((p) => `  - ${p.message}`).join("\n")}`;
}

/** Throws an {@link OptionsError} for `call` when there are problems. */
export function throwIfProblems(call: string, problems: readonly OptionProblem[]): void {
  if (problems.length > 0) {
    throw new OptionsError(call, problems);
  }
}

/** Collects problems; the decoders add to one. */
export class Problems {
  readonly list: OptionProblem[] = [];

  /**
   * Adds an "invalid option" problem at path: `invalid option "<path>":
   * <detail>`. The Go module writes most paths between plain quotes, keys
   * included as they are; where it uses `%q`, pass `goQuote(name)` as
   * `quoted`.
   */
  invalid(path: string, detail: string, quoted = `"${path}"`): void {
    this.list.push({ path, message: `invalid option ${quoted}: ${detail}` });
  }

  /** Adds a problem whose message is already complete. */
  add(path: string, message: string, suggestion?: string): void {
    this.list.push(suggestion === undefined ? { path, message } : { path, message, suggestion });
  }

  /**
   * Adds the problem of an unknown key, with a hint when it looks
   * misspelt. A nested key ("spans.endpiont") is compared with its
   * siblings' own names, so that their shared prefix does not make every
   * name look close.
   */
  unknown(key: string, names: readonly string[]): void {
    const prefix = key.slice(0, key.lastIndexOf(".") + 1);
    const siblings = names.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
    const bare = suggest(key.slice(prefix.length), siblings);
    const hint = bare === undefined ? undefined : prefix + bare;
    const mean = hint === undefined ? "" : ` (did you mean ${goQuote(hint)}?)`;
    this.add(key, `unknown option ${goQuote(key)}${mean}; allowed options: ${quoteAll(names)}`, hint);
  }

  /** The number of problems so far, to tell whether a decoder added one. */
  get size(): number {
    return this.list.length;
  }
}
