/**
 * What the three renderers share about the report's explanation (the
 * report's traces read back from a backend: `TraceExplanation` in
 * types/index.d.ts): its sentences, its tables, the links of its traces
 * and the geometry of its waterfall. The renderers only mark them up.
 *
 * @packageDocumentation
 */
import type {
  DominantShare,
  ErrorOriginCount,
  ExplanationSummary,
  TraceExplanation,
  TraceReport,
  TraceReportEntry,
  Waterfall,
  WaterfallSpan,
} from "k6/x/tracing";
import { goQuote } from "./describe.js";
import { traceLink } from "./links.js";
import { formatDuration } from "./report.js";

/** The explanation of a report; undefined when traceReport() was given no backend (null counts as none). */
export function explanationOf(report: TraceReport): TraceExplanation | undefined {
  return (report.explanation as TraceExplanation | null | undefined) ?? undefined;
}

/** The heading of the explanation. */
export const explanationHeading = "Explanation";

/**
 * Which backend the traces were read from, how many, how long it took,
 * and, when k6 logged no warning (which says it), why the first unread
 * one could not be read.
 */
export function readLine(x: TraceExplanation): string {
  const line = `${count(x.read, "trace")} read from ${x.backend.type} at ${x.backend.url} in ${formatDuration(x.elapsed)}`;
  if (x.unread <= 0) {
    return line;
  }
  const error = x.requests.find((r) => r.error !== "")?.error;
  return `${line}, ${x.unread} unread${x.warning === "" && error !== undefined ? `: ${error}` : ""}`;
}

/** The warning k6 logged about the backend, as a line; undefined when there was none. */
export function warningLine(x: TraceExplanation): string | undefined {
  return x.warning === "" ? undefined : `warning: ${x.warning}`;
}

/** A column of an explanation table. */
export interface ExplainColumn {
  readonly header: string;
  readonly align: "left" | "right";
  /** What the cells hold: a `trace` cell's text is a trace id (or ""), which the renderer links. */
  readonly kind: "name" | "error" | "number" | "trace";
}

/** A table of an explanation: the dominant services or operations of the slow requests, or where the failed ones began. */
export interface ExplainTable {
  readonly title: string;
  readonly columns: readonly ExplainColumn[];
  /** The cells' text, before the renderer escapes it. */
  readonly rows: readonly (readonly string[])[];
  /** Rows left out after the first {@link maxRows}. */
  readonly more: number;
}

/** The most rows a table shows. */
export const maxRows = 10;

/** One summary of the explanation (all requests, or those of a name), ready to mark up. */
export interface SummaryView {
  /** "All requests" or `Requests named "checkout"`. */
  readonly heading: string;
  /** How many requests it explains: "12 explained (8 slow, 4 failed), 2 unread". */
  readonly counts: string;
  /** The answers in a sentence each: where the slow requests' time went, where the failed ones began. */
  readonly headlines: readonly string[];
  readonly tables: readonly ExplainTable[];
}

/** The summaries to show: all requests, then those of each name when there are several. */
export function summaryViews(x: TraceExplanation): SummaryView[] {
  return x.summaries.map((s) => summaryView(x, s));
}

function summaryView(x: TraceExplanation, s: ExplanationSummary): SummaryView {
  const read = x.requests.filter((r) => r.error === "" && (s.name === "" || r.name === s.name));
  const failed = read.filter((r) => r.failed).length;
  const slow = read.length - failed;
  const unread = s.unread > 0 ? `, ${s.unread} unread` : "";
  const headlines: string[] = [];
  const slowOnes = slow > 0 || s.operations.length > 0 || s.services.length > 0;
  if (slowOnes) {
    headlines.push(slowHeadline(s));
  }
  if (failed > 0 || s.origins.length > 0) {
    headlines.push(failedHeadline(s, failed));
  }
  return {
    heading: s.name === "" ? "All requests" : `Requests named "${s.name}"`,
    counts: `${s.requests} explained (${slow} slow, ${failed} failed)${unread}`,
    headlines,
    tables: tables(s),
  };
}

/**
 * Where the slow requests' time went, in a sentence: the operation with
 * the largest share of their critical paths (else the service).
 */
function slowHeadline(s: ExplanationSummary): string {
  const top = s.operations[0] ?? s.services[0];
  if (top === undefined) {
    return "slow requests: no span of their traces had time on the critical path";
  }
  return `slow requests: ${percent(top.share)} of their time on the critical path was in ${where(top.service, top.operation)}`;
}

/**
 * Where the failed requests began, in a sentence: the most frequent
 * origin of their errors, out of every failed request whose trace was
 * read (those without an error span count too).
 */
function failedHeadline(s: ExplanationSummary, failed: number): string {
  const top = s.origins[0];
  if (top === undefined) {
    return "failed requests: no span of their traces has an error status";
  }
  const message = top.message === "" ? "" : `: ${top.message}`;
  return `failed requests: ${top.count} of ${Math.max(failed, top.count)} began in ${where(top.service, top.operation)}${message}`;
}

/** A service and its operation, for a sentence: `payments "charge card"` (quoted as Go's %q, as k6 x explain writes it). */
function where(service: string, operation: string): string {
  return operation === "" ? service : `${service} ${goQuote(operation)}`;
}

const serviceColumn: ExplainColumn = { header: "service", align: "left", kind: "name" };
const operationColumn: ExplainColumn = { header: "operation", align: "left", kind: "name" };
const firstTraceColumn: ExplainColumn = { header: "first trace", align: "left", kind: "trace" };

function tables(s: ExplanationSummary): ExplainTable[] {
  const out: ExplainTable[] = [];
  const shareColumns: ExplainColumn[] = [
    { header: "critical path", align: "right", kind: "number" },
    { header: "share", align: "right", kind: "number" },
    { header: "traces", align: "right", kind: "number" },
    firstTraceColumn,
  ];
  const shareCells = (d: DominantShare): string[] => [formatDuration(d.time), percent(d.share), String(d.traces.length), d.traces[0] ?? ""];
  if (s.services.length > 0) {
    out.push(
      table("Where the slow requests' time went, by service", [serviceColumn, ...shareColumns], s.services, (d) => [
        d.service,
        ...shareCells(d),
      ]),
    );
  }
  if (s.operations.length > 0) {
    out.push(
      table("Where the slow requests' time went, by operation", [serviceColumn, operationColumn, ...shareColumns], s.operations, (d) => [
        d.service,
        d.operation,
        ...shareCells(d),
      ]),
    );
  }
  if (s.origins.length > 0) {
    const columns: ExplainColumn[] = [
      serviceColumn,
      operationColumn,
      { header: "error", align: "left", kind: "error" },
      { header: "requests", align: "right", kind: "number" },
      firstTraceColumn,
    ];
    out.push(
      table("Where the failed requests began", columns, s.origins, (o: ErrorOriginCount) => [
        o.service,
        o.operation,
        o.message,
        String(o.count),
        o.traces[0] ?? "",
      ]),
    );
  }
  return out;
}

function table<R>(title: string, columns: readonly ExplainColumn[], items: readonly R[], cells: (item: R) => string[]): ExplainTable {
  return { title, columns, rows: items.slice(0, maxRows).map(cells), more: Math.max(0, items.length - maxRows) };
}

/** What a table says about the rows it leaves out. */
export function moreText(more: number): string {
  return `and ${more} more`;
}

/**
 * A share for people: "71%", "<1%" for a share that is not zero but
 * rounds to it.
 */
export function percent(share: number): string {
  if (!Number.isFinite(share)) {
    return String(share);
  }
  const p = share * 100;
  return p > 0 && p < 0.5 ? "<1%" : `${Math.round(p)}%`;
}

/**
 * The link of a trace of the explanation: the template filled with the
 * values of the report's entry of that trace (and span, when given); the
 * times are left blank for a trace the report has no entry of. Undefined
 * without a template or a trace id.
 */
export function explainedTraceLink(
  report: TraceReport,
  traceUrl: string | undefined,
  traceId: string,
  spanId?: string,
): string | undefined {
  if (traceUrl === undefined || traceId === "") {
    return undefined;
  }
  const entries = [...report.failed, ...report.slowest];
  const entry =
    entries.find((e) => e.traceId === traceId && (spanId === undefined || e.spanId === spanId)) ??
    entries.find((e) => e.traceId === traceId) ??
    entryOf(traceId, spanId ?? "");
  return traceLink(traceUrl, entry);
}

function entryOf(traceId: string, spanId: string): TraceReportEntry {
  return {
    traceId,
    spanId,
    sampled: true,
    method: "",
    name: "",
    url: "",
    status: 0,
    error: "",
    duration: 0,
    startTime: Number.NaN,
    scenario: "",
    vu: 0,
    iteration: 0,
    instance: "",
  };
}

/** The heading of the waterfall. */
export const waterfallHeading = "Waterfall of the slowest trace read";

/** What the waterfall shows: "checkout, 1.52 s, 6 spans". */
export function waterfallCaption(w: Waterfall): string {
  return `${w.name}, ${formatDuration(w.duration)}, ${count(w.spans.length + Math.max(0, w.truncated), "span")}`;
}

/** What to know before reading the waterfall: spans left out, and what the backend's trace lacked. */
export function waterfallNotes(x: TraceExplanation, w: Waterfall): string[] {
  const notes: string[] = [];
  if (w.truncated > 0) {
    notes.push(`the first ${w.spans.length} spans; ${w.truncated} more left out`);
  }
  const r = x.requests.find((q) => q.traceId === w.traceId && q.spanId === w.spanId);
  if (r !== undefined) {
    if (r.rootMissing) {
      notes.push("k6's span is not in the trace: the root stands in for it, spanning the spans under it");
    }
    if (r.complete === "partial") {
      notes.push(`${x.backend.type} says the trace is partial: spans may be missing`);
    }
    if (r.orphans > 0) {
      notes.push(`${count(r.orphans, "span")} whose parent is missing`);
    }
    if (r.clipped > 0) {
      notes.push(`${count(r.clipped, "span")} left out, outside their parent (clock skew)`);
    }
  }
  return notes;
}

/** The width of a text waterfall's bars, in columns. */
export const barColumns = 40;

/**
 * Where a span's bar lies in a bar of `columns` columns that spans the
 * root: its first column and its length, at least one column.
 */
export function barSpan(span: WaterfallSpan, total: number, columns: number = barColumns): { start: number; length: number } {
  if (!(total > 0) || !Number.isFinite(total)) {
    return { start: 0, length: 1 };
  }
  const at = (ms: number): number => Math.min(columns, Math.max(0, Math.round((finite(ms) / total) * columns)));
  const start = Math.min(columns - 1, at(span.start));
  const end = at(span.start + span.duration);
  return { start, length: Math.max(1, end - start) };
}

/** Where a span's bar lies in percent of the root's: its left edge and its width. */
export function barPercent(span: WaterfallSpan, total: number): { left: number; width: number } {
  if (!(total > 0) || !Number.isFinite(total)) {
    return { left: 0, width: 0 };
  }
  const clamp = (p: number): number => Math.min(100, Math.max(0, finite(p)));
  const left = clamp((span.start / total) * 100);
  return { left, width: Math.min(100 - left, clamp((span.duration / total) * 100)) };
}

/** A span's depth, as a small whole number. */
export function depthOf(span: WaterfallSpan): number {
  return Math.min(20, Math.max(0, Math.floor(finite(span.depth))));
}

function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

function count(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}
