/**
 * The report's explanation (traceReport({ backend })) in the three
 * renderers: the headlines, the tables of dominant services, operations
 * and error origins with their traces linked, the waterfall, escaping of
 * what the traces say, and the check of a malformed explanation. A
 * report without an explanation renders as it did (render.test.ts).
 */
import { describe, expect, it } from "vitest";
import {
  renderHTML,
  renderMarkdown,
  renderText,
  traceSummary,
  type DominantShare,
  type TraceExplanation,
  type TraceReport,
  type WaterfallSpan,
} from "../src/index.js";
import { barColors } from "../src/render-explain-html.js";
import { explained, explanation, traceIds, waterfall } from "./explain-fixture.js";
import { message } from "./helpers.js";

const jaeger = "http://localhost:16686/trace/{traceId}";
const link = (traceId: string) => `http://localhost:16686/trace/${traceId}`;

const slowHeadline = 'slow requests: 71% of their time on the critical path was in payments "charge card"';
const failedHeadline = 'failed requests: 2 of 2 began in payments "authorize card": card declined';
const readLine = "5 traces read from jaeger at http://localhost:16686 in 2.31 s, 1 unread: trace not found after 15s";

const { explanation: _, ...unexplained } = explained;

/** The report with its explanation changed. */
function withExplanation(over: Partial<TraceExplanation>): TraceReport {
  return { ...explained, explanation: { ...explanation, ...over } };
}

/** Every name of the explanation (services, operations) replaced through rename. */
function renamed(rename: (name: string) => string): TraceReport {
  const share = <S extends { service: string; operation: string }>(s: S): S => ({ ...s, service: rename(s.service), operation: rename(s.operation) });
  return withExplanation({
    summaries: explanation.summaries.map((s) => ({
      ...s,
      services: s.services.map(share),
      operations: s.operations.map(share),
      origins: s.origins.map((o) => ({ ...share(o), message: rename(o.message) })),
    })),
    waterfall: { ...waterfall, name: rename(waterfall.name), spans: waterfall.spans.map(share) },
  });
}

const hostile = "<img src=x onerror=alert(1)>";
const hostileReport = renamed((name) => (name === "payments" ? hostile : name === "charge card" ? "charge|card" : name));

/** The bar of a span in a text waterfall: its offset and its characters. */
function textBar(text: string, label: string): { offset: number; bar: string } {
  const line = text.split("\n").find((l) => l.includes(label) && l.includes("▕"));
  const bar = /▕([^▏]*)▏/.exec(line ?? "")?.[1];
  if (bar === undefined) {
    throw new Error(`no waterfall line for ${label} in:\n${text}`);
  }
  return { offset: bar.length - bar.trimStart().length, bar: bar.trim() };
}

function span(spanId: string): WaterfallSpan {
  const s = waterfall.spans.find((x) => x.spanId === spanId);
  if (s === undefined) throw new Error(spanId);
  return s;
}

describe("text", () => {
  const text = renderText(explained, { traceUrl: jaeger });

  it("adds the explanation after the lists, and nothing else", () => {
    const without = renderText(unexplained, { traceUrl: jaeger });
    expect(text.startsWith(without.slice(0, -1))).toBe(true);
    expect(text.slice(without.length - 1)).toMatch(/^\n\nExplanation\n/);
    expect(renderText({ ...unexplained, explanation: null } as never)).toBe(renderText(unexplained));
  });

  it("says what was read, and answers in a sentence", () => {
    expect(text).toContain(`\nExplanation\n  ${readLine}\n`);
    expect(text).toContain(`  All requests: 5 explained (3 slow, 2 failed), 1 unread\n    ${slowHeadline}\n    ${failedHeadline}\n`);
    expect(text).toContain(`  Requests named "checkout": 3 explained (3 slow, 0 failed), 1 unread\n    ${slowHeadline}\n\n`);
    expect(text).toContain(`  Requests named "pay": 2 explained (0 slow, 2 failed)\n    ${failedHeadline}\n\n`);
  });

  it("tables the dominant services and operations and the error origins, each with its first trace linked", () => {
    expect(text).toContain(
      [
        "    Where the slow requests' time went, by service",
        "      service   critical path  share  traces  first trace",
        `      payments         3.20 s    76%       3  ${link(traceIds.slow1)}`,
        `      orders         550.6 ms    13%       3  ${link(traceIds.slow2)}`,
      ].join("\n"),
    );
    expect(text).toContain(
      [
        "    Where the slow requests' time went, by operation",
        "      service   operation      critical path  share  traces  first trace",
        `      payments  charge card           3.01 s    71%       3  ${link(traceIds.slow1)}`,
      ].join("\n"),
    );
    expect(text).toContain(`      payments  fraud check         190.6 ms     5%       1  ${link(traceIds.slow3)}`);
    expect(text).toContain(
      [
        "    Where the failed requests began",
        "      service   operation       error          requests  first trace",
        `      payments  authorize card  card declined         2  ${link(traceIds.failed1)}`,
      ].join("\n"),
    );
  });

  it("draws the slowest trace as a waterfall scaled to its root", () => {
    expect(text).toContain(`  Waterfall of the slowest trace read: checkout, 1.52 s, 6 spans  ${link(traceIds.slow1)}\n`);
    expect(text).toContain("    k6  GET                        1.52 s  ▕████████████████████████████████████████▏\n");
    expect(text).toContain("      gateway  GET /checkout       1.52 s  ▕");
    expect(text).toContain("    █ on the critical path  ░ off it  ✗ error status\n");
    for (const [label, spanId] of [
      ["charge card", "d4d4d4d4d4d4d4d4"],
      ["INSERT orders", "e5e5e5e5e5e5e5e5"],
      ["fraud check", "c3c3c3c3c3c3c3c3"],
    ] as const) {
      const s = span(spanId);
      const { offset, bar } = textBar(text, label);
      expect(Math.abs(bar.length - (s.duration / waterfall.duration) * 40), label).toBeLessThanOrEqual(1);
      expect(Math.abs(offset - (s.start / waterfall.duration) * 40), label).toBeLessThanOrEqual(1);
      expect(bar, label).toMatch(s.critical ? /^█+$/ : /^░+$/);
    }
    expect(text).toMatch(/payments {2}fraud check +60\.3 ms {2}▕░░ +▏ ✗ error\n/);
    expect(text).not.toMatch(/charge card.*✗/);
  });

  it("keeps control characters of the traces out of the terminal", () => {
    const out = renderText(renamed((n) => (n === "payments" ? "pay\x1b[2Jments\nx" : n)));
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
    expect(out).toContain('was in pay?[2Jments x "charge card"');
  });

  it("colors for a terminal when asked", () => {
    const colored = renderText(withExplanation({ warning: "the backend answered 503" }), { traceUrl: jaeger, color: true });
    expect(colored).toContain("\x1b[1mExplanation\x1b[0m");
    expect(colored).toContain("\x1b[33mwarning: the backend answered 503\x1b[0m");
    expect(colored).toContain(`\x1b[36m${link(traceIds.failed1)}\x1b[0m`);
    expect(colored).toContain("\x1b[31m✗ error\x1b[0m");
    expect(renderText(explained, { color: false })).not.toContain("\x1b");
  });
});

describe("Markdown", () => {
  const md = renderMarkdown(explained, { traceUrl: jaeger });
  /** The Markdown without its fenced code blocks, where nothing is markup. */
  const outsideCode = (text: string) => text.replace(/^(`{3,})text\n[\s\S]*?^\1$/gm, "");

  it("adds an Explanation section after the lists, and nothing else", () => {
    const without = renderMarkdown(unexplained, { traceUrl: jaeger });
    expect(md.startsWith(without)).toBe(true);
    expect(md.slice(without.length)).toMatch(/^\n### Explanation\n\n/);
  });

  it("answers in a list, and tables the services, operations and origins with their traces linked", () => {
    expect(md).toContain(`### Explanation\n\n${readLine}\n`);
    expect(md).toContain(`#### All requests: 5 explained (3 slow, 2 failed), 1 unread\n\n- ${slowHeadline}\n- ${failedHeadline}\n`);
    expect(md).toContain(
      "| service | critical path | share | traces | first trace |\n| --- | ---: | ---: | ---: | --- |\n" +
        `| payments | 3.20 s | 76% | 3 | [\`${traceIds.slow1}\`](${link(traceIds.slow1)}) |\n`,
    );
    expect(md).toContain(`| payments | charge card | 3.01 s | 71% | 3 | [\`${traceIds.slow1}\`](${link(traceIds.slow1)}) |\n`);
    expect(md).toContain(
      "| service | operation | error | requests | first trace |\n| --- | --- | --- | ---: | --- |\n" +
        `| payments | authorize card | card declined | 2 | [\`${traceIds.failed1}\`](${link(traceIds.failed1)}) |\n`,
    );
    expect(md).toContain('#### Requests named "pay": 2 explained (0 slow, 2 failed)\n');
  });

  it("writes the waterfall in a code block", () => {
    expect(md).toContain(`#### Waterfall of the slowest trace read\n\n[\`${traceIds.slow1}\`](${link(traceIds.slow1)}) checkout, 1.52 s, 6 spans\n\n\`\`\`text\n`);
    const block = /```text\n([\s\S]*?)\n```/.exec(md)?.[1] ?? "";
    expect(block.split("\n")).toHaveLength(waterfall.spans.length + 1);
    const { bar } = textBar(block, "charge card");
    expect(Math.abs(bar.length - (1100 / 1523.4) * 40)).toBeLessThanOrEqual(1);
    expect(block).toContain("✗ error");
  });

  it("escapes what the traces say, in the text and in the tables", () => {
    const out = renderMarkdown(hostileReport, { traceUrl: jaeger });
    expect(outsideCode(out)).not.toMatch(/(?<!\\)</); // every < outside the code block escaped
    expect(out).toContain("\\<img src=x onerror=alert(1)\\> \"charge\\|card\"");
    const row = out.split("\n").find((l) => l.startsWith("| \\<img") && l.includes("charge"));
    expect(row).toBe(`| \\<img src=x onerror=alert(1)\\> | charge\\|card | 3.01 s | 71% | 3 | [\`${traceIds.slow1}\`](${link(traceIds.slow1)}) |`);
    expect(row?.split(/(?<!\\)\|/)).toHaveLength(8); // 6 cells
  });

  it("keeps the waterfall's code block closed whatever the spans are called", () => {
    const out = renderMarkdown(renamed((n) => (n === "charge card" ? "```\n# not a heading" : n)));
    const block = /\n````text\n([\s\S]*?)\n````\n/.exec(out)?.[1] ?? "";
    expect(block).toContain("payments  ``` # not a heading    1.10 s  ▕");
    expect(block).toContain("█ on the critical path");
    expect(out).not.toMatch(/^# not a heading/m);
  });
});

describe("HTML", () => {
  const html = renderHTML(explained, { traceUrl: jaeger, fragment: true });

  it("adds the explanation inside the section, after the lists", () => {
    const without = renderHTML(unexplained, { traceUrl: jaeger, fragment: true });
    expect(html.startsWith(without.replace("</section>\n", ""))).toBe(true);
    expect(html.slice(without.length - "</section>\n".length)).toMatch(/^<h2>Explanation<\/h2>\n/);
    expect(html.endsWith("</section>\n")).toBe(true);
  });

  it("answers in a list, and tables the services, operations and origins with their traces linked", () => {
    expect(html).toContain(`<p>${readLine}</p>`);
    expect(html).toContain(`<li>${slowHeadline.replace(/"/g, "&quot;")}</li>`);
    expect(html).toContain(`<li>${failedHeadline.replace(/"/g, "&quot;")}</li>`);
    expect(html).toContain(
      `<tr><td>payments</td><td>charge card</td><td class="num">3.01 s</td><td class="num">71%</td><td class="num">3</td>` +
        `<td><a href="${link(traceIds.slow1)}"><code>${traceIds.slow1}</code></a></td></tr>`,
    );
    expect(html).toContain(
      `<tr><td>payments</td><td>authorize card</td><td class="bad">card declined</td><td class="num">2</td>` +
        `<td><a href="${link(traceIds.failed1)}"><code>${traceIds.failed1}</code></a></td></tr>`,
    );
  });

  it("draws the waterfall as inline-styled bars placed by start and duration, critical and error spans colored", () => {
    expect(html).toContain(`<h3>Waterfall of the slowest trace read</h3>\n<p><a href="${link(traceIds.slow1)}"><code>${traceIds.slow1}</code></a> checkout, 1.52 s, 6 spans</p>`);
    const bar = (spanId: string) => {
      const m = new RegExp(`data-span="${spanId}" style="[^"]*left:([\\d.]+)%;width:([\\d.]+)%;[^"]*background:(#[0-9a-f]+)"`).exec(html);
      if (m === null) throw new Error(`no bar for ${spanId}`);
      return { left: Number(m[1]), width: Number(m[2]), color: m[3] };
    };
    const charge = bar("d4d4d4d4d4d4d4d4");
    expect(charge.left).toBeCloseTo((80 / 1523.4) * 100, 1);
    expect(charge.width).toBeCloseTo((1100 / 1523.4) * 100, 1);
    expect(charge.color).toBe(barColors.critical);
    expect(bar("00f067aa0ba902b7")).toEqual({ left: 0, width: 100, color: barColors.critical });
    expect(bar("c3c3c3c3c3c3c3c3").color).toBe(barColors.otherError);
    expect(html).not.toMatch(/<script|<link|<img|url\(/i);
  });

  it("escapes what the traces say", () => {
    const out = renderHTML(hostileReport, { traceUrl: `${jaeger}?a=1&b="2"` });
    expect(out).not.toContain("<img");
    expect(out).toContain("<td>&lt;img src=x onerror=alert(1)&gt;</td>");
    expect(out).toContain("&lt;img src=x onerror=alert(1)&gt; &quot;charge|card&quot;");
    expect(out).toContain(`href="${link(traceIds.failed1)}?a=1&amp;b=&quot;2&quot;"`);
    expect(out).toContain('title="&lt;img src=x onerror=alert(1)&gt; charge|card: 1.10 s from 80.0 ms, on the critical path"');
  });
});

describe("the explanation's edge cases", () => {
  it("says when no trace could be read, and the backend's warning", () => {
    const none = withExplanation({
      read: 0,
      unread: 6,
      warning: "reading traces back from http://localhost:16686: connection refused",
      requests: explanation.requests.map((r) => ({ ...r, error: "connection refused", services: [], operations: [], errorOrigin: null })),
      summaries: [{ name: "", requests: 0, unread: 6, services: [], operations: [], origins: [] }],
      waterfall: null,
    });
    const text = renderText(none);
    expect(text.slice(text.indexOf("\nExplanation\n"))).toBe(
      [
        "",
        "Explanation",
        "  0 traces read from jaeger at http://localhost:16686 in 2.31 s, 6 unread",
        "  warning: reading traces back from http://localhost:16686: connection refused",
        "",
        "  All requests: 0 explained (0 slow, 0 failed), 6 unread",
        "",
      ].join("\n"),
    );
    expect(renderMarkdown(none)).toContain("\n> warning: reading traces back from http://localhost:16686: connection refused\n");
    expect(renderHTML(none)).toContain('<p class="bad">warning: reading traces back from http://localhost:16686: connection refused</p>');
    expect(renderHTML(none)).not.toContain("Waterfall");
  });

  it("says when failed requests have no error span, and shows at most 10 rows of a table", () => {
    const many: DominantShare[] = Array.from({ length: 13 }, (_, i) => ({
      service: `svc${i}`,
      operation: `op${i}`,
      time: 100 - i,
      share: (100 - i) / 2000,
      traces: [traceIds.slow1],
    }));
    const report = withExplanation({
      summaries: [{ name: "", requests: 5, unread: 1, services: [], operations: many, origins: [] }],
      waterfall: null,
    });
    const text = renderText(report);
    expect(text).toContain('    slow requests: 5% of their time on the critical path was in svc0 "op0"\n');
    expect(text).toContain("    failed requests: no span of their traces has an error status\n");
    expect(text).toContain("svc9");
    expect(text).not.toContain("svc10");
    expect(text).toContain("      and 3 more\n");
    expect(renderMarkdown(report)).toContain("\n(and 3 more)\n");
    expect(renderHTML(report)).toContain('<p class="note">and 3 more</p>');
  });

  it("notes what the waterfall's trace lacks", () => {
    const partial = withExplanation({
      backend: { type: "tempo", url: "http://tempo:3200" },
      requests: explanation.requests.map((r, i) => (i === 0 ? { ...r, rootMissing: true, complete: "partial", orphans: 2, clipped: 1 } : r)),
      waterfall: { ...waterfall, truncated: 140 },
    });
    const text = renderText(partial);
    expect(text).toContain("Waterfall of the slowest trace read: checkout, 1.52 s, 146 spans");
    expect(text).toContain("    the first 6 spans; 140 more left out\n");
    expect(text).toContain("    k6's span is not in the trace: the root stands in for it, spanning the spans under it\n");
    expect(text).toContain("    tempo says the trace is partial: spans may be missing\n");
    expect(text).toContain("    2 spans whose parent is missing\n    1 span left out, outside their parent (clock skew)\n");
  });

  it("links traces through the template with the report's entry of the trace, and without times for a trace it has none of", () => {
    const template = "http://h/{traceId}?from={startTime}&to={endTime}&span={spanId}";
    const text = renderText(explained, { traceUrl: template });
    expect(text).toContain(`http://h/${traceIds.failed1}?from=1700000004000&to=1700000004089&span=44d4abee4fed46fb`);
    const stranger = "99999999999999999999999999999999";
    const other = renderText(
      withExplanation({
        summaries: [{ ...explanation.summaries[0]!, services: [], operations: [], origins: [{ service: "s", operation: "o", message: "m", count: 1, traces: [stranger] }] }],
      }),
      { traceUrl: template },
    );
    expect(other).toContain(`http://h/${stranger}?from=&to=&span=`);
  });

  it("is in every output of traceSummary", () => {
    const out = traceSummary(explained, { traceUrl: jaeger, formats: { stdout: "text", "t.md": "markdown", "t.html": "html" } });
    expect(out.stdout).toContain(slowHeadline);
    expect(out["t.md"]).toContain(`- ${slowHeadline}`);
    expect(out["t.html"]).toContain("<h2>Explanation</h2>");
  });

  it("refuses a malformed explanation, naming the field", () => {
    const summary = explanation.summaries[0]!;
    expect(message(() => renderText({ ...explained, explanation: 5 } as never))).toBe(
      `renderText: the report's "explanation" is 5, not an object; allowed: what traceReport() returns`,
    );
    expect(message(() => renderMarkdown(withExplanation({ summaries: [{ ...summary, services: null }] } as never)))).toBe(
      `renderMarkdown: the report's "explanation.summaries[0].services" is null, not an array; allowed: what traceReport() returns`,
    );
    expect(message(() => renderHTML(withExplanation({ waterfall: "none" } as never)))).toBe(
      `renderHTML: the report's "explanation.waterfall" is "none" (a string), not an object or null; allowed: what traceReport() returns`,
    );
    const badSpan = { ...waterfall, spans: [...waterfall.spans.slice(0, 2), { ...waterfall.spans[2], duration: "1.5s" }] };
    expect(message(() => traceSummary(withExplanation({ waterfall: badSpan } as never)))).toBe(
      `traceSummary: the report's "explanation.waterfall.spans[2].duration" is "1.5s" (a string), not a number; allowed: what traceReport() returns`,
    );
    expect(message(() => renderText(withExplanation({ backend: undefined } as never)))).toBe(
      `renderText: the report's "explanation.backend" is undefined, not an object; allowed: what traceReport() returns`,
    );
  });
});
