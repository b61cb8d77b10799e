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

/**
 * The report as Markdown: a `##` heading, then a `###` section with a
 * table for the slowest and for the failed requests. Text from the
 * requests is escaped, so that a `|` or a `<script>` in a URL or an error
 * stays text; links are percent-encoded where Markdown would misread them.
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
  return `${out.join("\n")}\n`;
}

function traceCell(e: TraceReportEntry, traceUrl: string | undefined): string {
  const id = `\`${e.traceId.replace(/[`|\\]/g, "")}\``;
  const cell = traceUrl === undefined ? id : `[${id}](${markdownURL(traceLink(traceUrl, e))})`;
  return e.sampled ? cell : `${cell} (not sampled)`;
}

/**
 * Text for a table cell: Markdown's special characters backslash-escaped
 * (as CommonMark allows for any ASCII punctuation), line breaks as spaces.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\t\n\r]+/g, " ")
    .replace(/[\x00-\x1f\x7f]/g, "")
    .replace(/[\\`*_[\]<>|~&]/g, "\\$&");
}

/** A link destination: characters Markdown or a table would misread percent-encoded. */
function markdownURL(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~:/?#@!$&'*+,;=%]/g, (c) => encodeURIComponent(c).replace(/[()!'*]/g, escapeByte));
}

function escapeByte(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
}
