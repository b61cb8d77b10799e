/**
 * The report's explanation as HTML, after the HTML renderer's tables: the
 * answers as a list, the tables with their traces linked, and the slowest
 * trace read as a bar chart. The chart is styled inline (no stylesheet,
 * no script, no external asset), so that it shows in a fragment too.
 *
 * @packageDocumentation
 */
import type { TraceExplanation, TraceReport, Waterfall, WaterfallSpan } from "k6/x/tracing";
import {
  type ExplainColumn,
  type ExplainTable,
  barPercent,
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
import { escapeHTML, htmlTraceId } from "./html.js";
import { formatDuration } from "./report.js";

/** The waterfall's colors: a span on the critical path, off it, with an error status on it and off it. */
export const barColors = { critical: "#0969da", other: "#afb8c1", criticalError: "#cf222e", otherError: "#ff8182" } as const;

/** The parts of the explanation, one a line. */
export function explanationHTML(report: TraceReport, x: TraceExplanation, traceUrl: string | undefined): string[] {
  const traceId = (id: string, spanId?: string): string => htmlTraceId(id, explainedTraceLink(report, traceUrl, id, spanId));
  const parts = [`<h2>${escapeHTML(explanationHeading)}</h2>`, `<p>${escapeHTML(readLine(x))}</p>`];
  const warning = warningLine(x);
  if (warning !== undefined) {
    parts.push(`<p class="bad">${escapeHTML(warning)}</p>`);
  }
  for (const view of summaryViews(x)) {
    parts.push(`<h3>${escapeHTML(view.heading)}: ${escapeHTML(view.counts)}</h3>`);
    if (view.headlines.length > 0) {
      parts.push(`<ul>${view.headlines.map((h) => `<li>${escapeHTML(h)}</li>`).join("")}</ul>`);
    }
    for (const t of view.tables) {
      parts.push(`<h4>${escapeHTML(t.title)}</h4>`, ...table(t, traceId));
    }
  }
  const w = x.waterfall;
  if (w !== null) {
    parts.push(`<h3>${escapeHTML(waterfallHeading)}</h3>`, `<p>${traceId(w.traceId, w.spanId)} ${escapeHTML(waterfallCaption(w))}</p>`);
    const notes = waterfallNotes(x, w);
    if (notes.length > 0) {
      parts.push(`<ul class="note">${notes.map((n) => `<li>${escapeHTML(n)}</li>`).join("")}</ul>`);
    }
    parts.push(...waterfall(w));
  }
  return parts;
}

function table(t: ExplainTable, traceId: (id: string) => string): string[] {
  const numClass = (c: ExplainColumn | undefined, bad: boolean): string => {
    const classes = [c?.align === "right" ? "num" : "", bad ? "bad" : ""].filter((s) => s !== "").join(" ");
    return classes === "" ? "" : ` class="${classes}"`;
  };
  const cell = (text: string, j: number): string => {
    const c = t.columns[j];
    if (c?.kind === "trace") {
      return `<td>${text === "" ? "-" : traceId(text)}</td>`;
    }
    return `<td${numClass(c, c?.kind === "error")}>${escapeHTML(text)}</td>`;
  };
  const out = [
    "<table>",
    `<thead><tr>${t.columns.map((c) => `<th${numClass(c, false)}>${escapeHTML(c.header)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...t.rows.map((row) => `<tr>${row.map(cell).join("")}</tr>`),
    "</tbody>",
    "</table>",
  ];
  if (t.more > 0) {
    out.push(`<p class="note">${escapeHTML(moreText(t.more))}</p>`);
  }
  return out;
}

/** The waterfall's inline styles (no user text goes in them). */
const styles = {
  chart: "font-size:0.85rem;max-width:64rem",
  row: "display:flex;align-items:center;gap:0.5rem;margin:2px 0",
  label: "flex:0 0 20rem;box-sizing:border-box;overflow:hidden;text-overflow:ellipsis;white-space:nowrap",
  operation: "color:#656d76",
  duration: "flex:0 0 5rem;text-align:right;font-variant-numeric:tabular-nums",
  track: "position:relative;flex:1 1 auto;height:0.8rem;background:#f6f8fa",
  bar: "position:absolute;top:0;bottom:0;min-width:1px",
  legend: "margin-top:0.4rem;color:#656d76",
  swatch: "display:inline-block;width:0.8rem;height:0.8rem;vertical-align:middle",
  error: "color:#cf222e",
} as const;

/** The waterfall as rows of a label, a duration and a bar placed by the span's start and duration. */
function waterfall(w: Waterfall): string[] {
  const rows = w.spans.map((s) => {
    const { left, width } = barPercent(s, w.duration);
    const label =
      `<div style="${styles.label};padding-left:${depthOf(s)}rem${s.error ? `;${styles.error}` : ""}">` +
      `${escapeHTML(s.service)} <span style="${styles.operation}">${escapeHTML(s.operation)}</span></div>`;
    const duration = `<div style="${styles.duration}">${escapeHTML(formatDuration(s.duration))}</div>`;
    const place = `left:${css(left)}%;width:${css(width)}%;background:${barColor(s)}`;
    const bar = `<div style="${styles.track}"><div data-span="${escapeHTML(s.spanId)}" style="${styles.bar};${place}"></div></div>`;
    return `<div title="${escapeHTML(spanTitle(s))}" style="${styles.row}">${label}${duration}${bar}</div>`;
  });
  const swatch = (color: string): string => `<span style="${styles.swatch};background:${color}"></span>`;
  const legend =
    `<div style="${styles.legend}">${swatch(barColors.critical)} on the critical path ${swatch(barColors.other)} off it ` +
    `${swatch(barColors.criticalError)}${swatch(barColors.otherError)} error status</div>`;
  return [`<div class="xk6-waterfall" style="${styles.chart}">`, ...rows, legend, "</div>"];
}

function barColor(s: WaterfallSpan): string {
  if (s.error) {
    return s.critical ? barColors.criticalError : barColors.otherError;
  }
  return s.critical ? barColors.critical : barColors.other;
}

/** A span's tooltip: "payments charge card: 1.10 s from 80.0 ms, on the critical path". */
function spanTitle(s: WaterfallSpan): string {
  const path = s.critical ? "on the critical path" : "off the critical path";
  return `${s.service} ${s.operation}: ${formatDuration(s.duration)} from ${formatDuration(s.start)}, ${path}${s.error ? ", error status" : ""}`;
}

/** A percentage for a style attribute: a plain number with at most 2 decimals. */
function css(p: number): string {
  return String(Math.round(p * 100) / 100);
}
