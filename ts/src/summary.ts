/**
 * The trace report in handleSummary: the outputs to return, in the
 * formats asked for.
 *
 * @packageDocumentation
 */
import { describe, isPlainObject } from "./describe.js";
import type { TraceReport } from "k6/x/tracing";
import { checkReport } from "./report.js";
import { renderHTML } from "./render-html.js";
import { renderMarkdown } from "./render-markdown.js";
import { checkRenderOptions, renderOptionNames, type SummaryFormat, type TraceSummaryOptions } from "./render-options.js";
import { renderText } from "./render-text.js";

/**
 * The report rendered for handleSummary: an object of outputs (`stdout`,
 * `stderr` or file paths) to return, or to merge with others through
 * {@link mergeSummaries}. When the report has an explanation
 * (`traceReport({ backend })`), every output has it.
 *
 * @throws {@link OptionsError} on bad options; Error when report is not a trace report.
 * @example
 * ```ts
 * import { traceReport, traceSummary } from "xk6-tracing";
 *
 * export function handleSummary() {
 *   return traceSummary(traceReport(), {
 *     traceUrl: "http://localhost:16686/trace/{traceId}",
 *     formats: { stdout: "text", "traces.md": "markdown", "traces.html": "html" },
 *   });
 * }
 * ```
 */
export function traceSummary(report: TraceReport, options?: TraceSummaryOptions | null): Record<string, string> {
  checkReport("traceSummary", report);
  checkRenderOptions("traceSummary", options, renderOptionNames.summary);
  const traceUrl = options?.traceUrl ?? null;
  const formats: Readonly<Record<string, SummaryFormat>> = options?.formats ?? { stdout: "text" };
  const out: Record<string, string> = {};
  for (const key of Object.keys(formats)) {
    switch (formats[key]) {
      case "text":
        out[key] = renderText(report, { traceUrl, color: options?.color === true && (key === "stdout" || key === "stderr") });
        break;
      case "markdown":
        out[key] = renderMarkdown(report, { traceUrl });
        break;
      case "html":
        out[key] = renderHTML(report, { traceUrl });
        break;
    }
  }
  return out;
}

/**
 * handleSummary outputs merged: where two have the same key (such as
 * `stdout`), their texts are joined, in order, on separate lines.
 *
 * @example
 * ```ts
 * export function handleSummary() {
 *   return mergeSummaries({ stdout: "k6 is done\n" }, traceSummary(traceReport()));
 * }
 * ```
 * @throws Error when an output is not an object of strings.
 */
export function mergeSummaries(...outputs: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  const out: Record<string, string> = {};
  outputs.forEach((output, i) => {
    if (!isPlainObject(output)) {
      throw new Error(`mergeSummaries: output ${i} is ${describe(output)}, not an object of strings`);
    }
    for (const key of Object.keys(output)) {
      const text = output[key];
      if (typeof text !== "string") {
        throw new Error(`mergeSummaries: output ${i}'s ${JSON.stringify(key)} is ${describe(text)}, not a string`);
      }
      const before = out[key];
      out[key] = before === undefined || before === "" ? text : before.endsWith("\n") ? before + text : `${before}\n${text}`;
    }
  });
  return out;
}
