/**
 * The trace report as plain text: aligned columns for a terminal, with
 * optional ANSI colors.
 *
 * @packageDocumentation
 */
import { traceLink } from "./links.js";
import type { TraceReport, TraceReportEntry } from "k6/x/tracing";
import {
  type Column,
  type ReportList,
  checkReport,
  columns,
  emptyText,
  listHeading,
  summaryLine,
} from "./report.js";
import { checkRenderOptions, renderOptionNames, type TextOptions } from "./render-options.js";
import { explanationOf } from "./explain.js";
import { explanationText } from "./render-explain-text.js";
import { type Paint, clean, pad, painter, truncate, width } from "./terminal.js";

/** The longest name or error shown; longer ones end in "...". */
const maxCellWidth = 60;

/**
 * The report as text for a terminal or a log: a title line, then the
 * slowest and the failed requests as tables with aligned columns, then,
 * when the report has an explanation (`traceReport({ backend })`), where
 * the slow requests' time went, where the failed ones began, and the
 * slowest trace as a waterfall. Text from the requests and their traces
 * (names, URLs, errors, services) has its control characters replaced,
 * so it cannot move the cursor or change colors.
 *
 * @throws {@link OptionsError} on bad options; Error when report is not a trace report.
 * @example
 * ```ts
 * export function handleSummary() {
 *   return { stdout: renderText(traceReport(), { traceUrl: "http://localhost:16686/trace/{traceId}", color: true }) };
 * }
 * ```
 */
export function renderText(report: TraceReport, options?: TextOptions | null): string {
  checkReport("renderText", report);
  checkRenderOptions("renderText", options, renderOptionNames.text);
  const paint = painter(options?.color === true);
  const out = [paint("bold", "Trace report"), `  ${summaryLine(report)}`];
  for (const list of ["slowest", "failed"] as const) {
    out.push("", paint("bold", listHeading(report, list)));
    const entries = report[list];
    if (entries.length === 0) {
      out.push(`  ${paint(list === "failed" ? "green" : "dim", emptyText(list))}`);
      continue;
    }
    out.push(...table(list, entries, options?.traceUrl ?? undefined, paint));
  }
  const explanation = explanationOf(report);
  if (explanation !== undefined) {
    out.push(...explanationText(report, explanation, options?.traceUrl ?? undefined, paint));
  }
  return `${out.join("\n")}\n`;
}

function table(
  list: ReportList,
  entries: readonly TraceReportEntry[],
  traceUrl: string | undefined,
  paint: Paint,
): string[] {
  const cols = columns(list, entries);
  const cells = entries.map((e, i) => cols.map((c) => cellText(c, e, i, traceUrl)));
  const widths = cols.map((c, j) => Math.max(width(c.header), ...cells.map((row) => width(row[j] ?? ""))));
  const line = (row: readonly string[], style: (c: Column, text: string) => string): string =>
    `  ${row
      .map((text, j) => {
        const c = cols[j];
        const w = widths[j] ?? 0;
        const last = j === row.length - 1;
        const padded = c?.align === "right" ? pad(text, w, true) : last ? text : pad(text, w, false);
        return c === undefined ? padded : style(c, padded);
      })
      .join("  ")}`.trimEnd();
  const header = line(
    cols.map((c) => c.header),
    (_, text) => paint("dim", text),
  );
  return [
    header,
    ...cells.map((row, i) =>
      line(row, (c, text) => {
        const failed = (entries[i]?.status ?? 0) === 0 || (entries[i]?.status ?? 0) >= 400;
        if (c.kind === "trace") return paint("cyan", text);
        if (c.kind === "error" || (c.kind === "status" && failed)) return paint("red", text);
        return text;
      }),
    ),
  ];
}

function cellText(c: Column, e: TraceReportEntry, i: number, traceUrl: string | undefined): string {
  if (c.kind === "trace") {
    const target = traceUrl === undefined ? e.traceId : traceLink(traceUrl, e);
    return e.sampled ? target : `${target} (not sampled)`;
  }
  const text = clean(c.cell(e, i));
  return c.kind === "name" || c.kind === "error" ? truncate(text, maxCellWidth) : text;
}
