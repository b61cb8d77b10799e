/**
 * The trace report as GitHub-flavoured Markdown, for a CI job summary or
 * a pull request comment.
 *
 * @packageDocumentation
 */
import { traceLink } from "./links.js";
import type { TraceReport, TraceReportEntry } from "k6/x/tracing";
import { checkReport, columns, emptyText, listHeading, summaryLine } from "./report.js";
import { checkRenderOptions, renderOptionNames, type RenderOptions } from "./render-options.js";
import { explanationOf } from "./explain.js";
import { escapeMarkdown, markdownTraceId } from "./markdown.js";
import { explanationMarkdown } from "./render-explain-markdown.js";

/**
 * The report as Markdown: a `##` heading, then a `###` section with a
 * table for the slowest and for the failed requests, then, when the
 * report has an explanation (`traceReport({ backend })`), an
 * "Explanation" section: the answers as a list, the dominant services
 * and operations and the error origins as tables, and the slowest trace
 * as a waterfall in a code block. Text from the requests and their traces
 * is escaped, so that a `|` or a `<script>` in a URL, an error or a
 * service name stays text; links are percent-encoded where Markdown
 * would misread them.
 *
 * @throws {@link OptionsError} on bad options; Error when report is not a trace report.
 * @example
 * ```ts
 * renderMarkdown(report, { traceUrl: "http://localhost:16686/trace/{traceId}" });
 * ```
 */
export function renderMarkdown(report: TraceReport, options?: RenderOptions | null): string {
  checkReport("renderMarkdown", report);
  checkRenderOptions("renderMarkdown", options, renderOptionNames.markdown);
  const traceUrl = options?.traceUrl ?? undefined;
  const out = ["## Trace report", "", escapeMarkdown(summaryLine(report))];
  for (const list of ["slowest", "failed"] as const) {
    out.push("", `### ${escapeMarkdown(listHeading(report, list))}`, "");
    const entries = report[list];
    if (entries.length === 0) {
      out.push(emptyText(list));
      continue;
    }
    const cols = columns(list, entries);
    out.push(`| ${cols.map((c) => escapeMarkdown(c.header)).join(" | ")} |`);
    out.push(`| ${cols.map((c) => (c.align === "right" ? "---:" : "---")).join(" | ")} |`);
    for (const [i, e] of entries.entries()) {
      out.push(`| ${cols.map((c) => (c.kind === "trace" ? traceCell(e, traceUrl) : escapeMarkdown(c.cell(e, i)))).join(" | ")} |`);
    }
  }
  const explanation = explanationOf(report);
  if (explanation !== undefined) {
    out.push(...explanationMarkdown(report, explanation, traceUrl));
  }
  return `${out.join("\n")}\n`;
}

function traceCell(e: TraceReportEntry, traceUrl: string | undefined): string {
  const cell = markdownTraceId(e.traceId, traceUrl === undefined ? undefined : traceLink(traceUrl, e));
  return e.sampled ? cell : `${cell} (not sampled)`;
}
