/**
 * The trace report as an HTML page (or a section of one).
 *
 * @packageDocumentation
 */
import { traceLink } from "./links.js";
import type { TraceReport, TraceReportEntry } from "k6/x/tracing";
import {
  type Column,
  checkReport,
  columns,
  emptyText,
  isoTime,
  listHeading,
  summaryLine,
} from "./report.js";
import { checkRenderOptions, renderOptionNames, type HTMLOptions } from "./render-options.js";
import { explanationOf } from "./explain.js";
import { escapeHTML, htmlTraceId } from "./html.js";
import { explanationHTML } from "./render-explain-html.js";

const style = `
.xk6-trace-report { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1f2328; }
.xk6-trace-report table { border-collapse: collapse; margin-bottom: 1.5rem; font-size: 0.9rem; }
.xk6-trace-report th, .xk6-trace-report td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
.xk6-trace-report th { background: #f6f8fa; }
.xk6-trace-report .num { text-align: right; font-variant-numeric: tabular-nums; }
.xk6-trace-report .bad { color: #cf222e; }
.xk6-trace-report code { font-size: 0.85rem; }
.xk6-trace-report .note { color: #656d76; }
`;

/**
 * The report as HTML: a whole document by default, or only its
 * `<section class="xk6-trace-report">` with `fragment: true`. When the
 * report has an explanation (`traceReport({ backend })`), an
 * "Explanation" part follows the tables: the answers, the dominant
 * services and operations and the error origins as tables, and the
 * slowest trace as an inline-styled bar chart. Every text from the
 * requests and their traces is HTML-escaped, and so are the links.
 *
 * @throws {@link OptionsError} on bad options; Error when report is not a trace report.
 * @example
 * ```ts
 * export function handleSummary() {
 *   return { "traces.html": renderHTML(traceReport(), { traceUrl: "http://localhost:16686/trace/{traceId}" }) };
 * }
 * ```
 */
export function renderHTML(report: TraceReport, options?: HTMLOptions | null): string {
  checkReport("renderHTML", report);
  checkRenderOptions("renderHTML", options, renderOptionNames.html);
  const traceUrl = options?.traceUrl ?? undefined;
  const parts = ['<section class="xk6-trace-report">', "<h1>Trace report</h1>", `<p>${escapeHTML(summaryLine(report))}</p>`];
  for (const list of ["slowest", "failed"] as const) {
    parts.push(`<h2>${escapeHTML(listHeading(report, list))}</h2>`);
    const entries = report[list];
    if (entries.length === 0) {
      parts.push(`<p class="note">${escapeHTML(emptyText(list))}</p>`);
      continue;
    }
    const cols = columns(list, entries);
    parts.push("<table>", `<thead><tr>${cols.map((c) => `<th${numClass(c)}>${escapeHTML(c.header)}</th>`).join("")}</tr></thead>`, "<tbody>");
    entries.forEach((e, i) => {
      const started = isoTime(e.startTime);
      const title = started === "" ? "" : ` title="started ${escapeHTML(started)}"`;
      parts.push(`<tr${title}>${cols.map((c) => cell(c, e, i, traceUrl)).join("")}</tr>`);
    });
    parts.push("</tbody>", "</table>");
  }
  const explanation = explanationOf(report);
  if (explanation !== undefined) {
    parts.push(...explanationHTML(report, explanation, traceUrl));
  }
  parts.push("</section>");
  const section = parts.join("\n");
  if (options?.fragment === true) {
    return `${section}\n`;
  }
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    "<title>Trace report</title>",
    `<style>${style}</style>`,
    "</head>",
    "<body>",
    section,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function cell(c: Column, e: TraceReportEntry, i: number, traceUrl: string | undefined): string {
  if (c.kind === "trace") {
    const link = htmlTraceId(e.traceId, traceUrl === undefined ? undefined : traceLink(traceUrl, e));
    return `<td>${e.sampled ? link : `${link} <span class="note">(not sampled)</span>`}</td>`;
  }
  const text = escapeHTML(c.cell(e, i));
  if (c.kind === "name" && e.url !== e.name) {
    return `<td title="${escapeHTML(e.url)}">${text}</td>`;
  }
  const bad = c.kind === "error" || (c.kind === "status" && (e.status === 0 || e.status >= 400));
  const classes = [c.align === "right" ? "num" : "", bad ? "bad" : ""].filter((s) => s !== "").join(" ");
  return `<td${classes === "" ? "" : ` class="${classes}"`}>${text}</td>`;
}

function numClass(c: Column): string {
  return c.align === "right" ? ' class="num"' : "";
}
