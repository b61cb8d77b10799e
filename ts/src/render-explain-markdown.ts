/**
 * The report's explanation as GitHub-flavoured Markdown, after the
 * Markdown renderer's tables: the answers as a list, the tables with
 * their traces linked, and the slowest trace read as the text waterfall
 * in a code block.
 *
 * @packageDocumentation
 */
import type { TraceExplanation, TraceReport } from "k6/x/tracing";
import {
  type ExplainTable,
  explainedTraceLink,
  explanationHeading,
  moreText,
  readLine,
  summaryViews,
  warningLine,
  waterfallCaption,
  waterfallHeading,
  waterfallNotes,
} from "./explain.js";
import { escapeMarkdown, markdownTraceId } from "./markdown.js";
import { waterfallLines } from "./render-explain-text.js";
import { painter } from "./terminal.js";

/** The lines of the explanation, each without its line break, starting with an empty one. */
export function explanationMarkdown(report: TraceReport, x: TraceExplanation, traceUrl: string | undefined): string[] {
  const traceId = (id: string, spanId?: string): string => markdownTraceId(id, explainedTraceLink(report, traceUrl, id, spanId));
  const out = ["", `### ${explanationHeading}`, "", escapeMarkdown(readLine(x))];
  const warning = warningLine(x);
  if (warning !== undefined) {
    out.push("", `> ${escapeMarkdown(warning)}`);
  }
  for (const view of summaryViews(x)) {
    out.push("", `#### ${escapeMarkdown(view.heading)}: ${escapeMarkdown(view.counts)}`);
    if (view.headlines.length > 0) {
      out.push("", ...view.headlines.map((h) => `- ${escapeMarkdown(h)}`));
    }
    for (const t of view.tables) {
      out.push("", `${escapeMarkdown(t.title)}:`, "", ...table(t, traceId));
      if (t.more > 0) {
        out.push("", `(${escapeMarkdown(moreText(t.more))})`);
      }
    }
  }
  const w = x.waterfall;
  if (w !== null) {
    out.push("", `#### ${escapeMarkdown(waterfallHeading)}`, "", `${traceId(w.traceId, w.spanId)} ${escapeMarkdown(waterfallCaption(w))}`);
    const notes = waterfallNotes(x, w);
    if (notes.length > 0) {
      out.push("", ...notes.map((n) => `- ${escapeMarkdown(n)}`));
    }
    out.push("", ...codeBlock(waterfallLines(w, painter(false))));
  }
  return out;
}

function table(t: ExplainTable, traceId: (id: string) => string): string[] {
  const cell = (text: string, j: number): string =>
    t.columns[j]?.kind !== "trace" ? escapeMarkdown(text) : text === "" ? "-" : traceId(text);
  return [
    `| ${t.columns.map((c) => escapeMarkdown(c.header)).join(" | ")} |`,
    `| ${t.columns.map((c) => (c.align === "right" ? "---:" : "---")).join(" | ")} |`,
    ...t.rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ];
}

/**
 * Lines in a fenced code block, whose content Markdown shows as it is: the
 * fence is longer than any run of backticks in the lines, so that no line
 * can close it.
 */
function codeBlock(lines: readonly string[]): string[] {
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...Array.from(l.matchAll(/`+/g), (m) => m[0].length))));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}text`, ...lines, fence];
}
