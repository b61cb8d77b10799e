/**
 * The trace report renderers: text, Markdown and HTML, escaping, links
 * from URL templates, empty reports, and their options.
 */
import { describe, expect, it } from "vitest";
import {
  escapeHTML,
  escapeMarkdown,
  formatDuration,
  mergeSummaries,
  renderHTML,
  renderMarkdown,
  renderText,
  traceLink,
  traceSummary,
  type TraceReport,
  type TraceReportEntry,
} from "../src/index.js";
import { message, thrown } from "./helpers.js";

const jaeger = "http://localhost:16686/trace/{traceId}";

function entry(over: Partial<TraceReportEntry> = {}): TraceReportEntry {
  return {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    sampled: true,
    method: "GET",
    name: "http://127.0.0.1:8080/slow",
    url: "http://127.0.0.1:8080/slow",
    status: 200,
    error: "",
    duration: 1523.4,
    startTime: 1700000000000.4,
    scenario: "default",
    vu: 3,
    iteration: 17,
    instance: "0:1",
    ...over,
  };
}

const failedEntry = entry({
  traceId: "0af7651916cd43dd8448eb211c80319c",
  name: "checkout",
  url: "http://127.0.0.1:8080/pay?x=<1>",
  status: 0,
  error: "dial tcp: connection refused",
  duration: 3.25,
});

const report: TraceReport = {
  instance: "0:1",
  limit: 20,
  requests: 120,
  failedCount: 1,
  slowest: [entry(), entry({ duration: 12.34, status: 404, vu: 12, iteration: 3, sampled: false })],
  failed: [failedEntry],
};

const empty: TraceReport = { instance: "0:1", limit: 20, requests: 0, failedCount: 0, slowest: [], failed: [] };

describe("text", () => {
  it("aligns the columns", () => {
    expect(renderText(report)).toBe(
      [
        "Trace report",
        "  120 instrumented requests, 1 failed",
        "",
        "Slowest requests (the 2 slowest of 120)",
        "  #  duration  status  method  name                        vu  iter  trace",
        "  1    1.52 s     200  GET     http://127.0.0.1:8080/slow   3    17  4bf92f3577b34da6a3ce929d0e0e4736",
        "  2   12.3 ms     404  GET     http://127.0.0.1:8080/slow  12     3  4bf92f3577b34da6a3ce929d0e0e4736 (not sampled)",
        "",
        "Failed requests",
        "  #  duration  status  method  name      vu  iter  error                         trace",
        "  1   3.25 ms       -  GET     checkout   3    17  dial tcp: connection refused  0af7651916cd43dd8448eb211c80319c",
        "",
      ].join("\n"),
    );
  });

  it("links each trace through the template", () => {
    const text = renderText(report, { traceUrl: `${jaeger}?start={startTime}&end={endTime}&span={spanId}` });
    expect(text).toContain(
      "http://localhost:16686/trace/4bf92f3577b34da6a3ce929d0e0e4736?start=1700000000000&end=1700000001524&span=00f067aa0ba902b7",
    );
  });

  it("says when nothing failed, and when nothing was sent", () => {
    expect(renderText({ ...report, failedCount: 0, failed: [] })).toContain("Failed requests\n  No failed requests.\n");
    expect(renderText(empty)).toBe(
      "Trace report\n  0 instrumented requests, none failed\n\nSlowest requests\n  No instrumented requests.\n\nFailed requests\n  No failed requests.\n",
    );
  });

  it("names the instance of a segmented test, and the scenario and instance columns when they differ", () => {
    const mixed: TraceReport = {
      ...report,
      instance: "0:1/2",
      slowest: [entry(), entry({ scenario: "browse", instance: "1/2:1" })],
    };
    const text = renderText(mixed);
    expect(text).toContain("(k6 instance 0:1/2: this process's part of the test)");
    expect(text).toMatch(/name {24}scenario {2}vu {2}iter {2}instance {2}trace/);
  });

  it("keeps control characters of the requests out of the terminal, and truncates long names", () => {
    const hostile = entry({ name: `x\x1b[2Jy\nz${"n".repeat(80)}`, error: "e\x07" });
    const text = renderText({ ...report, slowest: [hostile], failed: [hostile] });
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
    expect(text).toContain("x?[2Jy z");
    expect(text).toContain(`x?[2Jy z${"n".repeat(49)}...   3`); // 60 characters at most
  });

  it("colors for a terminal when asked", () => {
    const text = renderText(report, { color: true });
    expect(text).toContain("\x1b[1mTrace report\x1b[0m");
    expect(text).toContain("\x1b[31mdial tcp: connection refused\x1b[0m");
    expect(text).toContain("\x1b[36m4bf92f3577b34da6a3ce929d0e0e4736\x1b[0m");
    expect(renderText(report, { color: false })).not.toContain("\x1b");
  });
});

describe("Markdown", () => {
  it("writes tables with aligned numbers and linked traces", () => {
    const md = renderMarkdown(report, { traceUrl: jaeger });
    expect(md).toContain("## Trace report\n\n120 instrumented requests, 1 failed\n\n### Slowest requests (the 2 slowest of 120)\n\n");
    expect(md).toContain("| # | duration | status | method | name | vu | iter | trace |\n| ---: | ---: | ---: | --- | --- | ---: | ---: | --- |\n");
    expect(md).toContain(
      "| 1 | 1.52 s | 200 | GET | http://127.0.0.1:8080/slow | 3 | 17 | [`4bf92f3577b34da6a3ce929d0e0e4736`](http://localhost:16686/trace/4bf92f3577b34da6a3ce929d0e0e4736) |",
    );
    expect(md).toContain("(not sampled) |");
    expect(md).toContain("| 1 | 3.25 ms | - | GET | checkout | 3 | 17 | dial tcp: connection refused | [`0af7651916cd43dd8448eb211c80319c`]");
  });

  it("escapes what Markdown or a table would misread", () => {
    expect(escapeMarkdown("a|b <script>*x*_y_ [l](u) `c` \\ ~s~ &amp;\nz")).toBe(
      "a\\|b \\<script\\>\\*x\\*\\_y\\_ \\[l\\](u) \\`c\\` \\\\ \\~s\\~ \\&amp; z",
    );
    const md = renderMarkdown({ ...report, slowest: [entry({ name: "GET /a|b<img src=x>" })] });
    expect(md).toContain("GET /a\\|b\\<img src=x\\>");
  });

  it("percent-encodes link characters that would break the link or the table", () => {
    const tempo = 'http://grafana/explore?left={"queries":[{"query":"{traceId}"}]}&x=(a|b) c';
    const md = renderMarkdown(report, { traceUrl: tempo });
    expect(md).toContain(
      "(http://grafana/explore?left=%7B%22queries%22:%5B%7B%22query%22:%224bf92f3577b34da6a3ce929d0e0e4736%22%7D%5D%7D&x=%28a%7Cb%29%20c)",
    );
  });

  it("says when the lists are empty", () => {
    expect(renderMarkdown(empty)).toBe(
      "## Trace report\n\n0 instrumented requests, none failed\n\n### Slowest requests\n\nNo instrumented requests.\n\n### Failed requests\n\nNo failed requests.\n",
    );
  });
});

describe("HTML", () => {
  it("writes a document, or only its section", () => {
    const html = renderHTML(report, { traceUrl: jaeger });
    expect(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">")).toBe(true);
    expect(html).toContain('<a href="http://localhost:16686/trace/4bf92f3577b34da6a3ce929d0e0e4736"><code>4bf92f3577b34da6a3ce929d0e0e4736</code></a>');
    expect(html).toContain('<tr title="started 2023-11-14T22:13:20.000Z">');
    const fragment = renderHTML(report, { fragment: true });
    expect(fragment.startsWith('<section class="xk6-trace-report">')).toBe(true);
    expect(fragment).not.toContain("<html");
  });

  it("escapes the requests' text and the links", () => {
    const hostile = entry({ name: '<script>alert("x")</script>', url: "http://h/?a=1&b='2'", error: "<b>boom</b>", status: 500 });
    const html = renderHTML({ ...report, slowest: [hostile], failed: [hostile] }, { traceUrl: "http://h/t/{traceId}?a=1&b=\"2\"" });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>boom");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain('title="http://h/?a=1&amp;b=&#39;2&#39;"');
    expect(html).toContain('href="http://h/t/4bf92f3577b34da6a3ce929d0e0e4736?a=1&amp;b=&quot;2&quot;"');
    expect(html).toContain('<td class="num bad">500</td>');
    expect(escapeHTML(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  });

  it("says when the lists are empty", () => {
    const html = renderHTML(empty, { fragment: true });
    expect(html).toContain('<p class="note">No failed requests.</p>');
    expect(html).toContain('<p class="note">No instrumented requests.</p>');
    expect(html).not.toContain("<table>");
  });
});

describe("links", () => {
  it("substitutes the placeholders, URL-encoded, and leaves other braces", () => {
    const e = entry({ traceId: "a b/c" });
    expect(traceLink("x/{traceId}/{spanId}/{startTime}-{endTime}/{other}/{\"json\":1}", e)).toBe(
      "x/a%20b%2Fc/00f067aa0ba902b7/1700000000000-1700000001524/{other}/{\"json\":1}",
    );
  });

  it("refuses bad templates, naming the option, the value and what is allowed", () => {
    const allowed =
      'allowed: a URL template such as "http://localhost:16686/trace/{traceId}", in which {traceId}, {spanId}, ' +
      "{startTime} and {endTime} (milliseconds since the epoch) are replaced by each request's values";
    expect(message(() => renderText(report, { traceUrl: 42 } as never))).toBe(`renderText: invalid option "traceUrl": 42 is not a string; ${allowed}`);
    expect(message(() => renderMarkdown(report, { traceUrl: "http://x/" }))).toBe(
      `renderMarkdown: invalid option "traceUrl": "http://x/" has no {traceId}; ${allowed}`,
    );
    const e = thrown(() => renderHTML(report, { traceUrl: "http://x/{traceID}" }));
    expect(e.problems).toEqual([
      {
        path: "traceUrl",
        suggestion: "{traceId}",
        message: `invalid option "traceUrl": "{traceID}" is not a placeholder (did you mean "{traceId}"?); ${allowed}`,
      },
    ]);
  });
});

describe("renderer options and reports", () => {
  it("refuses unknown options and wrong types, all at once", () => {
    const e = thrown(() => renderText(report, { colour: true, traceUrl: jaeger } as never));
    expect(e.message).toBe(
      'renderText: unknown option "colour" (did you mean "color"?); allowed options: "traceUrl", "color"',
    );
    expect(thrown(() => renderHTML(report, { fragment: "yes", color: true } as never)).problems.map((p) => p.path)).toEqual([
      "fragment",
      "color",
    ]);
    expect(message(() => renderText(report, "plain" as never))).toBe(
      'renderText: invalid options: "plain" (a string) is not an object; allowed: an object such as { traceUrl: "http://localhost:16686/trace/{traceId}" }, or nothing',
    );
  });

  it("refuses what is not a report", () => {
    expect(message(() => renderText(undefined as never))).toBe(
      "renderText: the report is undefined, not an object; allowed: what traceReport() returns",
    );
    expect(message(() => renderHTML({ ...report, failed: null } as never))).toBe(
      'renderHTML: the report\'s "failed" is null, not an array; allowed: what traceReport() returns',
    );
  });

  it("formats durations for people", () => {
    expect([0.4242, 9.999, 12.34, 999.94, 1523.4, 65_000].map(formatDuration)).toEqual([
      "0.42 ms",
      "10.00 ms",
      "12.3 ms",
      "999.9 ms",
      "1.52 s",
      "65.00 s",
    ]);
  });
});

describe("handleSummary", () => {
  it("renders each output in its format, colored only on the terminal", () => {
    const out = traceSummary(report, {
      traceUrl: jaeger,
      color: true,
      formats: { stdout: "text", "traces.txt": "text", "traces.md": "markdown", "traces.html": "html" },
    });
    expect(Object.keys(out)).toEqual(["stdout", "traces.txt", "traces.md", "traces.html"]);
    expect(out.stdout).toContain("\x1b[");
    expect(out["traces.txt"]).toBe(renderText(report, { traceUrl: jaeger }));
    expect(out["traces.md"]).toBe(renderMarkdown(report, { traceUrl: jaeger }));
    expect(out["traces.html"]).toBe(renderHTML(report, { traceUrl: jaeger }));
  });

  it("writes the text to stdout by default", () => {
    expect(traceSummary(empty)).toEqual({ stdout: renderText(empty) });
  });

  it("refuses formats it does not know", () => {
    const e = thrown(() => traceSummary(report, { formats: { stdout: "json", "t.html": "HTML" } as never }));
    expect(e.problems.map((p) => p.path)).toEqual(["formats.stdout", "formats.t.html"]);
    expect(e.problems[0]?.message).toBe(
      'invalid option "formats.stdout": "json" (a string) is not a format; allowed: an object of handleSummary keys and formats such as { stdout: "text", "traces.html": "html" }, with formats from "text", "markdown", "html"',
    );
    expect(message(() => traceSummary(report, { formats: {} }))).toMatch(/^traceSummary: invalid option "formats": an empty object names no output/);
  });

  it("merges outputs, joining texts of the same key", () => {
    expect(mergeSummaries({ stdout: "k6 summary\n", "a.json": "{}" }, { stdout: "traces\n" }, { stdout: "more" })).toEqual({
      stdout: "k6 summary\ntraces\nmore",
      "a.json": "{}",
    });
    expect(message(() => mergeSummaries({ stdout: 1 } as never))).toBe(
      'mergeSummaries: output 0\'s "stdout" is 1, not a string',
    );
  });
});
