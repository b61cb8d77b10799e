// Iteration traces and the span API: with traceScope "iteration" every
// request and span of an iteration is in one trace, under an "iteration"
// root span; withSpan parents what runs inside it, asyncRequest and batch
// export their spans when they settle, a redirect hop gets its own, and
// tracing.group is k6's group inside a span; an asyncRequest sent in a
// group and settled after it, and a redirect hop, are still the group's.
// setup() and teardown() have no iteration: each of their requests is a
// trace of its own.
import http from "k6/http";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({ traceScope: "iteration", spans: { endpoint: __ENV.OTLP_ENDPOINT, flushTimeout: "5s" } });

export const options = { iterations: 2, vus: 1 };

const BASE = __ENV.BASE_URL;

export function setup() {
  http.get(`${BASE}/setup`);
}

export function teardown() {
  http.get(`${BASE}/teardown`);
}

export default async function () {
  http.get(`${BASE}/first`);
  tracing.withSpan("checkout", (span) => {
    span.setAttribute("cart.items", 3);
    http.get(`${BASE}/inside`);
    const inner = tracing.startSpan("compute", { attributes: { "compute.kind": "tax" } });
    inner.addEvent("halfway", { step: 1 });
    inner.setStatus("ok").end();
  }, { attributes: { "shop.name": "demo" } });
  const res = await tracing.withSpan("async-work", async () => http.asyncRequest("GET", `${BASE}/async`));
  if (res.status !== 200) {
    throw new Error(`async status ${res.status}`);
  }
  let inGroup;
  tracing.group("browse", () => {
    http.get(`${BASE}/in-group`);
    inGroup = http.asyncRequest("GET", `${BASE}/async-in-group`);
    http.get(`${BASE}/redirect?to=/landed`);
  });
  // Settled after the group ended: its span still names the group it was sent in.
  await inGroup;
  http.batch([`${BASE}/batch1`, ["POST", `${BASE}/batch2`, "x"]]);
  try {
    tracing.withSpan("fails", () => {
      throw new Error("boom");
    });
  } catch (e) {
    if (e.message !== "boom") {
      throw e;
    }
  }
}
