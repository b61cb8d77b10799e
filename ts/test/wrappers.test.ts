/**
 * The wrappers of k6/x/tracing, against the stand-in module that
 * vitest.config.ts puts in its place: good arguments reach the module as
 * they were given, bad ones never do.
 */
import { beforeEach, describe, expect, it } from "vitest";
import * as aliased from "k6/x/tracing";
import facade, {
  baggage,
  Client,
  group,
  headers,
  instrumentBrowser,
  instrumentGRPC,
  instrumentHTTP,
  instrumentWebSockets,
  OptionsError,
  startSpan,
  traceparent,
  traceReport,
  tracestate,
  withSpan,
} from "../src/index.js";
import { message, thrown } from "./helpers.js";
import * as standIn from "./stand-in/k6-x-tracing.js";
import * as execStandIn from "./stand-in/k6-execution.js";
import type { Page } from "k6/browser";
import type { Options, Span } from "k6/x/tracing";

const { calls, reset, setTraceReport } = standIn;
const called = () => calls.map((c) => c.fn);

beforeEach(() => {
  reset();
  execStandIn.reset();
});

it("runs against the stand-in that vitest.config.ts aliases k6/x/tracing to", () => {
  expect(aliased as unknown).toHaveProperty("calls", calls);
});

describe("instrumentHTTP", () => {
  it("hands the module the caller's own options object", () => {
    const options: Options = { propagator: ["w3c", "b3"], sampling: 0.5, spans: { endpoint: "http://127.0.0.1:4318" } };
    instrumentHTTP(options);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.fn).toBe("instrumentHTTP");
    expect(calls[0]?.args[0]).toBe(options);
    instrumentHTTP();
    expect(calls[1]?.args).toEqual([undefined]);
  });

  it("throws one error listing every problem, without calling the module", () => {
    const e = thrown(() => instrumentHTTP({ propagater: "w3c", sampling: 2 } as Options));
    expect(e.call).toBe("instrumentHTTP");
    expect(e.problems.map((p) => p.path)).toEqual(["propagater", "sampling"]);
    expect(e.message.split("\n")[0]).toBe("instrumentHTTP: 2 problems:");
    expect(calls).toEqual([]);
  });
});

describe("instrumentGRPC, instrumentWebSockets and a Client's grpcClient", () => {
  it("hand the module the options, after checking them", () => {
    instrumentGRPC({ propagator: "b3" });
    instrumentWebSockets({ spans: true });
    expect(called()).toEqual(["instrumentGRPC", "instrumentWebSockets"]);
    expect(() => instrumentGRPC({ sampling: 2 })).toThrow(/instrumentGRPC: invalid option "sampling": 2 is out of range/);
    expect(() => instrumentWebSockets({ propagater: "w3c" } as Options)).toThrow(/did you mean "propagator"/);
    expect(called()).toEqual(["instrumentGRPC", "instrumentWebSockets"]);
    expect(new Client({ propagator: "jaeger" }).grpcClient()).toEqual({ grpc: true });
    expect(called()).toContain("client.grpcClient");
  });
});

describe("bad arguments in VU code", () => {
  it("abort the test with the whole message, as the module does", () => {
    execStandIn.state.inVU = true;
    expect(() => instrumentHTTP({ propagater: "w3c", sampling: 2 } as Options)).toThrow(/^test aborted: instrumentHTTP: 2 problems:/);
    expect(() => startSpan("")).toThrow(/^test aborted: startSpan: /);
    expect(execStandIn.state.aborted).toHaveLength(2);
    expect(execStandIn.state.aborted[0]).toContain('unknown option "propagater" (did you mean "propagator"?)');
    expect(calls).toEqual([]);
  });

  it("throw from the context helpers, as the module's do", () => {
    execStandIn.state.inVU = true;
    expect(thrown(() => traceparent.make({ traceId: "x" } as never))).toBeInstanceOf(OptionsError);
    expect(execStandIn.state.aborted).toEqual([]);
  });

  it("throw in the init context, which stops k6 before the test", () => {
    expect(thrown(() => instrumentHTTP({ sampling: 2 }))).toBeInstanceOf(OptionsError);
    expect(execStandIn.state.aborted).toEqual([]);
  });
});

describe("Client", () => {
  it("is constructed with new, and passes every request method through", () => {
    const options: Options = { propagator: "jaeger" };
    const client = new Client(options);
    expect(calls[0]).toEqual({ fn: "new Client", args: [options] });
    const params = { headers: { "X-A": "1" } };
    client.get("http://127.0.0.1/", params);
    client.post("http://127.0.0.1/", "body", params);
    const { batch } = client; // methods work detached, as the module's do
    batch(["http://127.0.0.1/"]);
    expect(calls.slice(1)).toEqual([
      { fn: "client.get", args: ["http://127.0.0.1/", params] },
      { fn: "client.post", args: ["http://127.0.0.1/", "body", params] },
      { fn: "client.batch", args: [["http://127.0.0.1/"]] },
    ]);
    for (const m of ["get", "head", "post", "put", "patch", "del", "options", "request", "asyncRequest", "batch"] as const) {
      expect(typeof client[m], m).toBe("function");
    }
  });

  it("checks the constructor's and configure's options", () => {
    expect(message(() => new Client({ sampling: "1" } as unknown as Options))).toBe(
      'new Client: invalid option "sampling": "1" (a string) is not a number; allowed: a number from 0 to 1, or null for 1',
    );
    expect(calls).toEqual([]);
    const client = new Client();
    client.configure({ sampling: 0.1 });
    expect(message(() => client.configure({ sampling: 3 }))).toBe(
      'Client.configure: invalid option "sampling": 3 is out of range; allowed: a number from 0 to 1, or null for 1',
    );
    expect(called()).toEqual(["new Client", "client.configure"]);
  });

  it("checks the arguments of its span methods", () => {
    const client = new Client();
    const span = client.startSpan("work", { kind: "client" });
    expect(span.traceId).toHaveLength(32);
    expect(client.withSpan("outer", () => 7)).toBe(7);
    expect(message(() => client.startSpan("", { kind: "fast" } as never))).toMatch(/^startSpan: 2 problems:/);
    expect(called()).toEqual(["new Client", "client.startSpan", "client.withSpan"]);
  });
});

describe("instrumentBrowser", () => {
  const page = { route: () => Promise.resolve() } as unknown as Page;

  it("resolves to the module's page tracing", async () => {
    const options = { propagateTo: [/\/api\//, "https://api.example.com"], mode: "route" as const };
    await expect(instrumentBrowser(page, options)).resolves.toMatchObject({ mode: "route" });
    expect(calls).toEqual([{ fn: "instrumentBrowser", args: [page, options] }]);
  });

  it("throws before calling the module on bad options", () => {
    const e = thrown(() => instrumentBrowser(page, { mode: "static", propagateTo: "*", spans: "yes" } as never));
    expect(e.problems.map((p) => p.path)).toEqual(["spans", "propagateTo"]);
    expect(calls).toEqual([]);
  });
});

describe("context helpers", () => {
  it("passes headers' options, and refuses spans", () => {
    expect(headers({ propagator: "b3" })).toHaveProperty("traceparent");
    expect(calls).toEqual([{ fn: "headers", args: [{ propagator: "b3" }] }]);
    expect(message(() => headers({ spans: true } as Options))).toMatch(/^headers: invalid option "spans": headers\(\) sends no request/);
    expect(calls).toHaveLength(1);
  });

  it("checks traceparent.make's options and passes parse through", () => {
    traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    traceparent.make({ sampled: false });
    expect(message(() => traceparent.make({ traceId: "abc" }))).toBe(
      'traceparent.make: invalid option "traceId": "abc" (a string) is not a valid id; allowed: 32 lower-case hex digits, not all zero',
    );
    expect(called()).toEqual(["traceparent.parse", "traceparent.make"]);
  });

  it("checks the members of tracestate.make and baggage.make", () => {
    expect(tracestate.make({ k6: "x" }).toString()).toBe("tracestate made");
    expect(baggage.make({ tenant: "acme corp" }).toString()).toBe("baggage made");
    tracestate.parse("k6=x");
    baggage.parse("a=b");
    const e = thrown(() => tracestate.make({ Vendor: "x", k: "a,b" }));
    expect(e.problems.map((p) => p.path)).toEqual(["k", "Vendor"]);
    expect(message(() => baggage.make({ "a b": "x" }))).toMatch(/^baggage.make: invalid baggage key "a b"/);
    expect(called()).toEqual(["tracestate.make", "baggage.make", "tracestate.parse", "baggage.parse"]);
  });
});

describe("span API", () => {
  it("passes startSpan's arguments", () => {
    const span = startSpan("login", { attributes: { "user.id": 42 } });
    span.end();
    expect(calls[0]).toEqual({ fn: "startSpan", args: ["login", { attributes: { "user.id": 42 } }] });
  });

  it("checks startSpan's name and options", () => {
    expect(message(() => startSpan(42 as never))).toBe("startSpan: invalid argument: the name is 42, not a non-empty string");
    expect(thrown(() => startSpan("x", { knd: "client" } as never)).problems[0]?.suggestion).toBe("kind");
    expect(calls).toEqual([]);
  });

  it("passes withSpan's arguments as given, and returns what fn returns", () => {
    expect(withSpan("checkout", (span) => span.traceId.length, { kind: "internal" })).toBe(32);
    const given = startSpan("mine");
    expect(withSpan(given, (span) => span === given)).toBe(true);
    expect(calls.map((c) => [c.fn, c.args.length])).toEqual([
      ["withSpan", 3],
      ["startSpan", 2],
      ["withSpan", 2],
    ]);
  });

  it("checks withSpan's arguments before fn runs", () => {
    let ran = false;
    const e = thrown(() => withSpan("", 42 as never, { kind: "fast" } as never));
    expect(e.problems.map((p) => p.path)).toEqual(["fn", "name", "kind"]);
    const span = { traceId: "x" } as unknown as Span;
    expect(
      message(() =>
        (withSpan as (...a: unknown[]) => unknown)(span, () => {
          ran = true;
        }, {}),
      ),
    ).toBe(
      "withSpan: invalid argument: options apply to a span withSpan starts, not to a span it is given; allowed: withSpan(name, fn, options) or withSpan(span, fn)",
    );
    expect(ran).toBe(false);
    expect(calls).toEqual([]);
  });

  it("passes group through", () => {
    expect(group("g", () => "done")).toBe("done");
    expect(called()).toEqual(["group"]);
  });
});

describe("traceReport", () => {
  it("returns the module's report", () => {
    expect(traceReport()).toEqual({ instance: "0:1", limit: 20, requests: 0, failedCount: 0, slowest: [], failed: [] });
    expect(called()).toEqual(["traceReport"]);
  });

  it("passes its options on as they are, and none when given none", () => {
    const backend = { type: "tempo", url: "http://tempo:3200", headers: { "X-Scope-OrgID": "team-a" }, timeout: "20s" } as const;
    traceReport({ backend });
    traceReport(null);
    traceReport();
    expect(calls).toEqual([
      { fn: "traceReport", args: [{ backend }] },
      { fn: "traceReport", args: [null] },
      { fn: "traceReport", args: [] },
    ]);
  });

  it("explains a k6 whose module has no traceReport", () => {
    setTraceReport(undefined);
    expect(message(() => traceReport())).toBe(
      "traceReport: the k6/x/tracing of this k6 binary has no traceReport; build k6 with a version of xk6-tracing that has it",
    );
  });
});

it("has a default export with the module's functions, as k6/x/tracing has", () => {
  expect(Object.keys(facade).sort()).toEqual(Object.keys(aliased.default).sort());
  expect(new facade.Client()).toBeInstanceOf(Client);
  expect(new OptionsError("x", [])).toBeInstanceOf(Error);
});
