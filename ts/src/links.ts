/**
 * Links to a trace in a tracing UI, from a URL template.
 *
 * @packageDocumentation
 */
import { describe, goQuote } from "./describe.js";
import type { Problems } from "./problems.js";
import type { TraceReportEntry } from "k6/x/tracing";
import { suggest } from "./suggest.js";

/** The placeholders of a trace URL template, and each one's value for an entry. */
const placeholderValues: Readonly<Record<string, (e: TraceReportEntry) => string>> = {
  traceId: (e) => e.traceId,
  spanId: (e) => e.spanId,
  startTime: (e) => (Number.isFinite(e.startTime) ? String(Math.floor(e.startTime)) : ""),
  endTime: (e) => (Number.isFinite(e.startTime + e.duration) ? String(Math.ceil(e.startTime + e.duration)) : ""),
};

const placeholders: readonly string[] = Object.keys(placeholderValues);

const allowedTraceUrl =
  'allowed: a URL template such as "http://localhost:16686/trace/{traceId}", in which {traceId}, {spanId}, ' +
  "{startTime} and {endTime} (milliseconds since the epoch) are replaced by each request's values";

/**
 * The link of an entry: the template with `{traceId}`, `{spanId}`,
 * `{startTime}` (the request's start, in whole milliseconds since the
 * epoch) and `{endTime}` (its end, rounded up) replaced by the entry's
 * values, URL-encoded (a time that is not a number as nothing). Other
 * text in braces is left as it is.
 *
 * @example
 * ```ts
 * traceLink("http://localhost:16686/trace/{traceId}", entry);
 * // "http://localhost:16686/trace/4bf92f3577b34da6a3ce929d0e0e4736"
 * ```
 */
export function traceLink(template: string, entry: TraceReportEntry): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (match, name: string) => {
    const value = placeholders.includes(name) ? placeholderValues[name] : undefined;
    return value === undefined ? match : encodeURIComponent(value(entry));
  });
}

/**
 * Checks a traceUrl option: null, or a string whose placeholders are all
 * known and that has `{traceId}` (without it, every row would link to the
 * same page).
 */
export function checkTraceUrl(v: unknown, problems: Problems): void {
  if (v === undefined || v === null) {
    return;
  }
  if (typeof v !== "string") {
    problems.invalid("traceUrl", `${describe(v)} is not a string; ${allowedTraceUrl}`);
    return;
  }
  const names: string[] = [];
  const placeholder = /\{([A-Za-z]+)\}/g;
  for (let m = placeholder.exec(v); m !== null; m = placeholder.exec(v)) {
    names.push(m[1] ?? "");
  }
  let meantTraceId = false;
  for (const name of names.filter((n) => !placeholders.includes(n))) {
    const hint = suggest(name, placeholders);
    meantTraceId = meantTraceId || hint === "traceId";
    const mean = hint === undefined ? "" : ` (did you mean "{${hint}}"?)`;
    problems.add(
      "traceUrl",
      `invalid option "traceUrl": ${goQuote(`{${name}}`)} is not a placeholder${mean}; ${allowedTraceUrl}`,
      hint === undefined ? undefined : `{${hint}}`,
    );
  }
  if (!names.includes("traceId") && !meantTraceId) {
    problems.invalid("traceUrl", `${goQuote(v)} has no {traceId}; ${allowedTraceUrl}`);
  }
}
