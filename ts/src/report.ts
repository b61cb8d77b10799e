/**
 * What the three renderers share (columns, durations, headings) about
 * the trace report, whose shape `k6/x/tracing` declares (`TraceReport`,
 * `TraceReportEntry` in types/index.d.ts).
 *
 * @packageDocumentation
 */
import type { TraceReport, TraceReportEntry } from "k6/x/tracing";
import { describe, isNullish, isPlainObject } from "./describe.js";
import { explanationProblem } from "./explain-check.js";

/** Which list of the report a table shows. */
export type ReportList = "slowest" | "failed";

/**
 * Checks that report looks like what traceReport() returns, its
 * explanation included when it has one; throws an Error naming the
 * renderer (and the field) otherwise.
 */
export function checkReport(call: string, report: unknown): asserts report is TraceReport {
  const problem = reportProblem(report);
  if (problem !== undefined) {
    throw new Error(`${call}: ${problem}; allowed: what traceReport() returns`);
  }
}

function reportProblem(report: unknown): string | undefined {
  if (!isPlainObject(report)) {
    return `the report is ${describe(report)}, not an object`;
  }
  for (const list of ["slowest", "failed"] as const) {
    if (!Array.isArray(report[list])) {
      return `the report's "${list}" is ${describe(report[list])}, not an array`;
    }
  }
  for (const key of ["requests", "failedCount"] as const) {
    if (typeof report[key] !== "number") {
      return `the report's "${key}" is ${describe(report[key])}, not a number`;
    }
  }
  return isNullish(report.explanation) ? undefined : explanationProblem(report.explanation);
}

/** A column of a report table. */
export interface Column {
  readonly header: string;
  readonly align: "left" | "right";
  /** The cell's text, before the renderer escapes it; `trace` cells are the renderer's. */
  readonly cell: (entry: TraceReportEntry, index: number) => string;
  /** What the cell holds, for renderers that style or link some cells. */
  readonly kind: "trace" | "error" | "status" | "duration" | "name" | "other";
}

/**
 * The columns of a list: scenario and instance only when they differ
 * between entries, the error only for failed requests, the trace last.
 */
export function columns(list: ReportList, entries: readonly TraceReportEntry[]): Column[] {
  const varies = (pick: (e: TraceReportEntry) => string): boolean => new Set(entries.map(pick)).size > 1;
  const out: Column[] = [
    { header: "#", align: "right", kind: "other", cell: (_, i) => String(i + 1) },
    { header: "duration", align: "right", kind: "duration", cell: (e) => formatDuration(e.duration) },
    { header: "status", align: "right", kind: "status", cell: (e) => (e.status === 0 ? "-" : String(e.status)) },
    { header: "method", align: "left", kind: "other", cell: (e) => e.method },
    { header: "name", align: "left", kind: "name", cell: (e) => e.name },
  ];
  if (varies((e) => e.scenario)) {
    out.push({ header: "scenario", align: "left", kind: "other", cell: (e) => e.scenario });
  }
  out.push(
    { header: "vu", align: "right", kind: "other", cell: (e) => String(e.vu) },
    { header: "iter", align: "right", kind: "other", cell: (e) => String(e.iteration) },
  );
  if (varies((e) => e.instance)) {
    out.push({ header: "instance", align: "left", kind: "other", cell: (e) => e.instance });
  }
  if (list === "failed") {
    out.push({ header: "error", align: "left", kind: "error", cell: (e) => e.error });
  }
  out.push({ header: "trace", align: "left", kind: "trace", cell: (e) => e.traceId });
  return out;
}

/**
 * A duration in milliseconds, for people: "0.42 ms", "12.3 ms", "1.52 s".
 *
 * @example
 * ```ts
 * formatDuration(1523.4); // "1.52 s"
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) {
    return String(ms);
  }
  if (ms >= 1000) {
    return `${(ms / 1000).toFixed(2)} s`;
  }
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

/** The report's title line, without markup. */
export function summaryLine(report: TraceReport): string {
  const requests = `${report.requests} instrumented ${report.requests === 1 ? "request" : "requests"}`;
  const failed = report.failedCount === 0 ? "none failed" : `${report.failedCount} failed`;
  const instance = isSegmented(report.instance) ? ` (k6 instance ${report.instance}: this process's part of the test)` : "";
  return `${requests}, ${failed}${instance}`;
}

/** The heading of a list, with how much of it is shown. */
export function listHeading(report: TraceReport, list: ReportList): string {
  if (list === "slowest") {
    const shown = report.slowest.length;
    return shown < report.requests ? `Slowest requests (the ${shown} slowest of ${report.requests})` : "Slowest requests";
  }
  const shown = report.failed.length;
  return shown < report.failedCount ? `Failed requests (the first ${shown} of ${report.failedCount})` : "Failed requests";
}

/** What an empty list says. */
export function emptyText(list: ReportList): string {
  return list === "slowest" ? "No instrumented requests." : "No failed requests.";
}

/** Whether an execution segment is a part of the test ("0:1/2") rather than all of it ("0:1"). */
function isSegmented(instance: unknown): boolean {
  return typeof instance === "string" && instance !== "" && instance !== "0:1";
}

/** The ISO 8601 time of a start time in milliseconds since the epoch; "" when it is not a time. */
export function isoTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : "";
}
