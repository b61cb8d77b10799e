/**
 * Validation beyond the shared table: several problems at once, "did you
 * mean", what resolving gives, and Go's text functions. A single
 * problem's message is the table's (options-table.test.ts) or compared
 * with the module's by the k6 run (test/k6/facade.js).
 */
import { describe, expect, it } from "vitest";
import {
  OptionsError,
  resolveBrowserOptions,
  resolveOptions,
  suggest,
  validateBrowserOptions,
  validateHeadersOptions,
  validateMembers,
  validateOptions,
  validateSpanOptions,
  validateTraceparentOptions,
} from "../src/index.js";
import { describe as describeValue, goQuote } from "../src/describe.js";
import { parseExtendedDuration, parseGoDuration } from "../src/duration.js";
import { isHTTPURLWithHost } from "../src/endpoint.js";
import { thrown } from "./helpers.js";
import type { Options } from "k6/x/tracing";

const messages = (problems: readonly { message: string }[]) => problems.map((p) => p.message);
const optionNames = `"propagator", "sampling", "tracestate", "baggage", "k6Baggage", "traceIdFormat", "spans", "traceScope"`;

describe("every problem at once", () => {
  it("lists each problem of an object with its path, in the order the module checks them", () => {
    const problems = validateOptions({
      propagater: "w3c",
      propagator: ["w3c", "zipkin", 2],
      sampling: 1.5,
      tracestate: { Vendor: "x", ok: "a,b", n: 1 },
      spans: { endpiont: "x", queueSize: 0, flushTimeout: "soon" },
    });
    expect(problems.map((p) => p.path)).toEqual([
      "propagater",
      "propagator[1]",
      "propagator[2]",
      "sampling",
      "tracestate.n", // the module sets tracestate members last to first
      "tracestate.ok",
      "tracestate.Vendor",
      "spans.endpiont",
      "spans.queueSize",
      "spans.flushTimeout",
    ]);
    expect(problems[0]).toEqual({
      path: "propagater",
      suggestion: "propagator",
      message: `unknown option "propagater" (did you mean "propagator"?); allowed options: ${optionNames}`,
    });
    expect(problems[7]?.suggestion).toBe("spans.endpoint");
  });

  it("throws one OptionsError that lists them all", () => {
    const e = thrown(() => resolveOptions({ sampling: "1", traceIdFormat: "uuid" } as unknown as Options));
    expect(e.name).toBe("OptionsError");
    expect(e.call).toBe("resolveOptions");
    expect(e.problems).toHaveLength(2);
    expect(e.message).toBe(
      "resolveOptions: 2 problems:\n" +
        '  - invalid option "sampling": "1" (a string) is not a number; allowed: a number from 0 to 1, or null for 1\n' +
        '  - invalid option "traceIdFormat": "uuid" (a string) is not a trace-id format; allowed: "k6", "random", "xray"',
    );
    expect(e).toBeInstanceOf(Error);
  });

  it("checks options against each other only when each is valid", () => {
    expect(messages(validateOptions({ propagator: "zipkin", tracestate: { k6: "x" } }))).toHaveLength(1);
    expect(validateOptions({ propagator: "b3", tracestate: { k6: "x" }, traceIdFormat: "uuid" }).map((p) => p.path)).toEqual([
      "traceIdFormat",
      "tracestate",
    ]);
  });

  it("reports the count of a long tracestate and its bad members", () => {
    const members = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, "v"]));
    members.k0 = "a,b";
    expect(validateOptions({ tracestate: members }).map((p) => p.path)).toEqual(["tracestate", "tracestate.k0"]);
  });
});

describe("values JSON cannot hold (their messages are the option table's calls)", () => {
  it("takes undefined as no options", () => {
    expect(validateOptions(undefined)).toEqual([]);
    expect(resolveOptions()).toEqual(resolveOptions({}));
  });

  it("takes null and undefined spans sub-options as their defaults", () => {
    expect(validateOptions({ spans: { endpoint: undefined, protocol: null, queueSize: null } })).toEqual([]);
    expect(messages(validateOptions({ spans: { endpointt: null } }))[0]).toMatch(/^unknown option "spans.endpointt" \(did you mean "spans.endpoint"\?\)/);
  });
});

describe("did you mean", () => {
  it.each([
    ["propagater", "propagator"],
    ["Sampling", "sampling"],
    ["samplingRate", "sampling"],
    ["propagators", "propagator"],
    ["sampler", "sampling"],
    ["endpoint", undefined],
    ["s", undefined],
  ])("%s: the Go module's suggestions (TestSuggest)", (word, want) => {
    expect(suggest(word, ["propagator", "sampling", "tracestate", "baggage", "k6Baggage", "traceIdFormat", "spans", "traceScope"])).toBe(want);
  });

  it("suggests propagator names, spans keys and browser keys", () => {
    expect(validateOptions({ propagator: "B3-Multi" })[0]?.suggestion).toBe("b3multi");
    expect(validateOptions({ propagator: ["w3c", "jager"] })[0]?.suggestion).toBe("jaeger");
    expect(validateOptions({ spans: { servicename: "x" } })[0]?.suggestion).toBe("spans.serviceName");
    expect(validateBrowserOptions({ propagteTo: "*" })[0]).toMatchObject({ path: "propagteTo", suggestion: "propagateTo" });
    expect(validateOptions({ zzz: 1 })[0]?.suggestion).toBeUndefined();
  });
});

describe("the options of instrumentBrowser", () => {
  it("resolves RegExps, origins and prefixes", () => {
    const api = /\/api\//;
    const resolved = resolveBrowserOptions({ propagateTo: ["HTTPS://A.example:443", api, "https://c.example/V1/"] });
    expect(resolved.propagateTo).toEqual({ all: false, origins: ["https://a.example"], prefixes: ["https://c.example/V1/"], regexps: [api] });
    expect(resolved.mode).toBe("route");
    expect(validateBrowserOptions({ mode: undefined, traceScope: undefined, propagateTo: undefined, spans: false })).toEqual([]);
  });

  it("lists the browser's problems, then the HTTP options', then the checks across them", () => {
    expect(validateBrowserOptions({ sampling: 2, mode: "static", propagateTo: "*", traceScope: "request" } as never).map((p) => p.path)).toEqual([
      "traceScope",
      "sampling",
      "propagateTo",
    ]);
  });
});

describe("headers, spans and the context helpers", () => {
  it("refuses spans in headers() (the message is an option table call)", () => {
    expect(validateHeadersOptions({ spans: true }).map((p) => p.path)).toEqual(["spans"]);
    expect(validateHeadersOptions({ spans: false })).toEqual([]);
    expect(messages(validateHeadersOptions({ sampling: 2 }))[0]).toMatch(/^invalid option "sampling": 2 is out of range/);
  });

  it("accepts good span options", () => {
    expect(validateSpanOptions({ kind: null, attributes: { s: "x", n: 1.5, b: true, list: [1, 2], none: [] } })).toEqual([]);
  });

  it.each([
    [{ traceId: "abc" }, 'invalid option "traceId": "abc" (a string) is not a valid id; allowed: 32 lower-case hex digits, not all zero'],
    [{ parentId: "0000000000000000" }, 'invalid option "parentId": "0000000000000000" (a string) is not a valid id; allowed: 16 lower-case hex digits, not all zero'],
    [{ traceId: "4BF92F3577B34DA6A3CE929D0E0E4736" }, 'invalid option "traceId": "4BF92F3577B34DA6A3CE929D0E0E4736" (a string) is not a valid id; allowed: 32 lower-case hex digits, not all zero'],
    [{ traceid: "x" }, 'unknown option "traceid" (did you mean "traceId"?); allowed options: "traceId", "parentId", "sampled", "random"'],
  ])("traceparent.make %j (the k6 run checks these against the module)", (options, want) => {
    expect(messages(validateTraceparentOptions(options))).toEqual([want]);
  });

  it("checks members of tracestate.make and baggage.make", () => {
    expect(messages(validateMembers("tracestate", { Vendor: "x", k: 1 }))).toEqual([
      'invalid option "k": 1 is not a string; allowed: a string value',
      'invalid tracestate key "Vendor": want a lower-case letter then up to 255 of a-z 0-9 _ - * /, or tenant@system (tenant: a-z or 0-9 then up to 240 more; system: a-z then up to 13 more)',
    ]);
    expect(validateMembers("baggage", { "a b": "x", k: 1 }).map((p) => p.path)).toEqual(["a b", "k"]);
    expect(messages(validateMembers("baggage", { "a b": "x" }))[0]).toMatch(/^invalid baggage key "a b": want an RFC 7230 token/);
    expect(validateMembers("baggage", { k: "any value, even with ;" })).toEqual([]);
    expect(messages(validateMembers("baggage", "k=v"))).toEqual(['"k=v" (a string) is not an object; allowed: an object of members such as { key: "value" }']);
  });
});

describe("resolving options as the module does", () => {
  it("reads baggage and k6Baggage in key order", () => {
    expect(resolveOptions({ baggage: true, k6Baggage: false }).k6Baggage).toBe(false);
    expect(resolveOptions({ k6Baggage: false, baggage: true }).k6Baggage).toBe(true);
    expect(resolveOptions({ k6Baggage: true, baggage: { a: "b" } }).k6Baggage).toBe(true);
    expect(resolveOptions({ baggage: {} }).propagator).toBe("w3c");
  });

  it("encodes baggage values as UTF-8 and keeps the header within 64 members", () => {
    expect(resolveOptions({ baggage: { k: "é,%;\\\"" } }).baggage).toBe("k=%C3%A9%2C%25%3B%5C%22");
    const many = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, "v"]));
    expect(resolveOptions({ baggage: many }).baggage.split(",")).toHaveLength(64);
    // "a=" and 8190 bytes fill the 8192 bytes; one byte more and a member is left out whole.
    expect(resolveOptions({ baggage: { a: "x".repeat(8190), b: "y" } }).baggage.length).toBe(8192);
    expect(resolveOptions({ baggage: { a: "x".repeat(8191), b: "y" } }).baggage).toBe("b=y");
  });

  it("lets a null traceIdFormat follow the xray propagator", () => {
    expect(resolveOptions({ propagator: "xray", traceIdFormat: null } as unknown as Options).traceIdFormat).toBe("xray");
  });
});

describe("Go's text and parsers", () => {
  it("quotes as strconv.Quote", () => {
    expect(goQuote('a"b\\c\n\t\x01\x7f')).toBe('"a\\"b\\\\c\\n\\t\\x01\\x7f"');
    expect(goQuote("é\u00a0\u200b😀")).toBe('"é\\u00a0\\u200b😀"');
    expect(goQuote("\ud800")).toBe('"\ufffd"');
  });

  it("describes values as the module does", () => {
    expect([undefined, null, "x", true, 1.5, -0, [], {}, () => 1, new Date(0)].map(describeValue)).toEqual([
      "undefined",
      "null",
      '"x" (a string)',
      "true (a boolean)",
      "1.5",
      "0",
      "an array",
      "an object",
      "a function",
      "an object",
    ]);
  });

  it.each([
    ["5s", 5000000000n],
    ["1500ms", 1500000000n],
    ["1.5h", 5400000000000n],
    ["1h30m", 5400000000000n],
    ["500", 500000000n],
    ["1e3", 1000000000n],
    ["1_000", 1000000000n],
    ["0x1p-2", 250000n],
    ["1d", 86400000000000n],
    ["1d2h", 93600000000000n],
    ["2µs", 2000n],
    ["0.000000001s", 1n],
    ["-1s", -1000000000n],
    ["9223372036854775807ns", 9223372036854775807n],
    ["-9223372036854775808ns", -9223372036854775808n],
    ["106752d", -9223371273709551616n], // int64 wraps, as in Go
  ])("reads the duration %s as Go does", (text, ns) => {
    expect(parseExtendedDuration(text)).toBe(ns);
  });

  it.each(["soon", "", "5", "1x", ".s", "1d-2h", "d", "5 s", "1e400", "1__000", "_1", "1_", "0x1p", "-nan", "9223372036854775808ns"])(
    "refuses the duration %j",
    (text) => {
      const ns = text === "5" ? parseGoDuration(text) : parseExtendedDuration(text);
      expect(ns).toBeUndefined();
    },
  );

  it.each([
    ["http://localhost:4318", true],
    ["HTTPS://collector.example/v1/traces", true],
    ["http://user:pw@h:1/p?q#f", true],
    ["http://[::1]:4318", true],
    ["http://:4318", true],
    ["http://", false],
    ["ftp://collector:4318", false],
    ["https://a b", false],
    ["http://h:port", false],
    ["http://h:1:2", false],
    ["http://h/%zz", false],
    ["http:opaque", false],
    ["http://[1.2.3.4]", false],
  ])("endpoint %s is an http(s) URL with a host: %s", (url, want) => {
    expect(isHTTPURLWithHost(url)).toBe(want);
  });

  it("is an OptionsError that names its call", () => {
    const e = new OptionsError("headers", [{ path: "sampling", message: "m" }]);
    expect([e.message, e.call, e.problems.length]).toEqual(["headers: m", "headers", 1]);
  });
});
