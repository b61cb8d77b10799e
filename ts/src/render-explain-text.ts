/**
 * The report's explanation as plain text, after the text renderer's
 * tables: the answers in a sentence, the dominant services and operations
 * of the slow requests and the origins of the failed ones as aligned
 * tables, and the slowest trace read as a waterfall of bars. The Markdown
 * renderer writes the same waterfall in a code block.
 *
 * @packageDocumentation
 */
import type { TraceExplanation, TraceReport, Waterfall } from "k6/x/tracing";
import {
  type ExplainTable,
  barColumns,
  barSpan,
  depthOf,
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
import { formatDuration } from "./report.js";
import { type Paint, clean, pad, truncate, width } from "./terminal.js";

/** The longest name or error shown in a cell, or a waterfall's label; longer ones end in "...". */
const maxCellWidth = 60;

/** A bar's characters: on the critical path, off it. */
const bars = { critical: "█", other: "░" } as const;

/** The mark of a span with an error status. */
const errorMark = "✗ error";

/** The lines of the explanation, each without its line break, starting with an empty one. */
export function explanationText(report: TraceReport, x: TraceExplanation, traceUrl: string | undefined, paint: Paint): string[] {
  const link = (traceId: string, spanId?: string): string => explainedTraceLink(report, traceUrl, traceId, spanId) ?? traceId;
  const out = ["", paint("bold", explanationHeading), `  ${clean(readLine(x))}`];
  const warning = warningLine(x);
  if (warning !== undefined) {
    out.push(`  ${paint("yellow", clean(warning))}`);
  }
  for (const view of summaryViews(x)) {
    out.push("", `  ${paint("bold", `${clean(view.heading)}:`)} ${view.counts}`);
    out.push(...view.headlines.map((h) => `    ${clean(h)}`));
    for (const t of view.tables) {
      out.push("", `    ${t.title}`, ...table(t, link, paint));
      if (t.more > 0) {
        out.push(`      ${paint("dim", moreText(t.more))}`);
      }
    }
  }
  const w = x.waterfall;
  if (w !== null) {
    out.push("", `  ${paint("bold", `${waterfallHeading}:`)} ${clean(waterfallCaption(w))}  ${paint("cyan", link(w.traceId, w.spanId))}`);
    out.push(...waterfallNotes(x, w).map((n) => `    ${paint("dim", clean(n))}`));
    out.push(...waterfallLines(w, paint).map((line) => `    ${line}`));
  }
  return out;
}

function table(t: ExplainTable, link: (traceId: string) => string, paint: Paint): string[] {
  const cells = t.rows.map((row) =>
    row.map((text, j) => {
      const kind = t.columns[j]?.kind;
      return kind === "trace" ? (text === "" ? "-" : link(text)) : kind === "number" ? clean(text) : truncate(clean(text), maxCellWidth);
    }),
  );
  const widths = t.columns.map((c, j) => Math.max(width(c.header), ...cells.map((row) => width(row[j] ?? ""))));
  const line = (row: readonly string[], style: (j: number, text: string) => string): string =>
    `      ${row
      .map((text, j) => {
        const w = widths[j] ?? 0;
        const padded = t.columns[j]?.align === "right" ? pad(text, w, true) : j === row.length - 1 ? text : pad(text, w, false);
        return style(j, padded);
      })
      .join("  ")}`.trimEnd();
  return [
    line(
      t.columns.map((c) => c.header),
      (_, text) => paint("dim", text),
    ),
    ...cells.map((row) =>
      line(row, (j, text) => {
        const kind = t.columns[j]?.kind;
        return kind === "trace" ? paint("cyan", text) : kind === "error" ? paint("red", text) : text;
      }),
    ),
  ];
}

/**
 * A trace as a waterfall of text: a line per span, indented by its
 * depth, with its service and operation, its duration, and a bar of
 * {@link barColumns} columns scaled to the root's duration (`█` for a
 * span on the critical path, `░` for the others); spans with an error
 * status end in "✗ error". A legend follows.
 */
export function waterfallLines(w: Waterfall, paint: Paint): string[] {
  const labels = w.spans.map((s) => truncate(clean(`${"  ".repeat(depthOf(s))}${s.service}  ${s.operation}`), maxCellWidth));
  const durations = w.spans.map((s) => formatDuration(s.duration));
  const labelWidth = Math.max(0, ...labels.map(width));
  const durationWidth = Math.max(0, ...durations.map(width));
  const lines = w.spans.map((s, i) => {
    const { start, length } = barSpan(s, w.duration);
    const fill = (s.critical ? bars.critical : bars.other).repeat(length);
    const bar = `${" ".repeat(start)}${fill}${" ".repeat(Math.max(0, barColumns - start - length))}`;
    const label = pad(labels[i] ?? "", labelWidth, false);
    const mark = s.error ? ` ${paint("red", errorMark)}` : "";
    return `${s.error ? paint("red", label) : label}  ${pad(durations[i] ?? "", durationWidth, true)}  ▕${bar}▏${mark}`;
  });
  return [...lines, paint("dim", `${bars.critical} on the critical path  ${bars.other} off it  ${errorMark} status`)];
}
