/**
 * The options of the report renderers and of traceSummary, checked as
 * strictly as the module's own: unknown keys, wrong types and bad
 * templates throw an {@link OptionsError} naming the option, the value
 * and what is allowed.
 *
 * @packageDocumentation
 */
import { decodeBool, namesOf } from "./decoders.js";
import { describe, isNullish, isPlainObject, quoteAll } from "./describe.js";
import { checkTraceUrl } from "./links.js";
import { Problems, throwIfProblems } from "./problems.js";

/** Options of every renderer. */
export interface RenderOptions {
  /**
   * A link for each trace: a URL template in which `{traceId}`,
   * `{spanId}`, `{startTime}` and `{endTime}` (the request's start and
   * end, in milliseconds since the epoch) are replaced by the request's
   * values, URL-encoded.
   * @default none: the trace id is shown without a link
   * @example "http://localhost:16686/trace/{traceId}" (Jaeger)
   */
  traceUrl?: string | null;
}

/** Options of {@link renderText}. */
export interface TextOptions extends RenderOptions {
  /** ANSI colors and bold, for a terminal. @default false */
  color?: boolean | null;
}

/** Options of {@link renderHTML}. */
export interface HTMLOptions extends RenderOptions {
  /** Only the report's `<section>`, to put in a page of your own, instead of a whole document. @default false */
  fragment?: boolean | null;
}

/** What {@link traceSummary} writes. */
export type SummaryFormat = "text" | "markdown" | "html";

/** Options of {@link traceSummary}. */
export interface TraceSummaryOptions extends RenderOptions {
  /**
   * The outputs, by handleSummary key (`"stdout"`, `"stderr"` or a file
   * path): which format each gets.
   * @default { stdout: "text" }
   * @example { stdout: "text", "traces.md": "markdown", "traces.html": "html" }
   */
  formats?: Readonly<Record<string, SummaryFormat>> | null;
  /** ANSI colors in the text written to `stdout` and `stderr` (never in files). @default false */
  color?: boolean | null;
}

const formatNames: readonly string[] = namesOf<SummaryFormat>({ text: true, markdown: true, html: true });

/** The keys of each renderer's options, as checkRenderOptions takes them. */
export const renderOptionNames = {
  markdown: namesOf<keyof RenderOptions>({ traceUrl: true }),
  text: namesOf<keyof TextOptions>({ traceUrl: true, color: true }),
  html: namesOf<keyof HTMLOptions>({ traceUrl: true, fragment: true }),
  summary: namesOf<keyof TraceSummaryOptions>({ traceUrl: true, formats: true, color: true }),
} as const;

/** Checks a renderer's options, whose keys are names; throws an OptionsError listing every problem. */
export function checkRenderOptions(call: string, v: unknown, names: readonly string[]): void {
  const problems = new Problems();
  if (!isNullish(v)) {
    if (!isPlainObject(v)) {
      problems.add("", `invalid options: ${describe(v)} is not an object; allowed: an object such as ${example}, or nothing`);
    } else {
      for (const key of Object.keys(v)) {
        const value = v[key];
        if (!names.includes(key)) {
          problems.unknown(key, names);
        } else if (key === "traceUrl") {
          checkTraceUrl(value, problems);
        } else if (key === "formats") {
          checkFormats(value, problems);
        } else {
          decodeBool(key, value, problems);
        }
      }
    }
  }
  throwIfProblems(call, problems.list);
}

const example = '{ traceUrl: "http://localhost:16686/trace/{traceId}" }';

function checkFormats(v: unknown, problems: Problems): void {
  const allowed = `allowed: an object of handleSummary keys and formats such as { stdout: "text", "traces.html": "html" }, with formats from ${quoteAll(formatNames)}`;
  if (isNullish(v)) {
    return;
  }
  if (!isPlainObject(v) || Object.keys(v).length === 0) {
    problems.invalid("formats", `${isPlainObject(v) ? "an empty object" : describe(v)} names no output; ${allowed}`);
    return;
  }
  for (const key of Object.keys(v)) {
    const value = v[key];
    if (typeof value !== "string" || !formatNames.includes(value)) {
      problems.invalid(`formats.${key}`, `${describe(value)} is not a format; ${allowed}`);
    }
  }
}
