// Caller context: requests whose params already carry trace headers.
// Every case is a check; the run fails on any failed check.
import http from "k6/http";
import { check } from "k6";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({ propagator: ["b3", "w3c", "baggage"], tracestate: { k6: "t" }, baggage: { team: "qa" } });

const BASE = __ENV.BASE_URL;
const TID = "4bf92f3577b34da6a3ce929d0e0e4736";
const SID = "00f067aa0ba902b7";

export const options = {
  iterations: 1,
  thresholds: { checks: ["rate==1"] },
};

function sent(res, name) {
  const v = res.request.headers[name];
  return v === undefined ? undefined : String(v);
}

export default function () {
  // W3C caller, header name in odd case: continued, not duplicated.
  let res = http.get(`${BASE}/w3c`, { headers: { TraceParent: `00-${TID}-${SID}-01`, TraceState: "acme=1" } });
  let tp = tracing.traceparent.parse(sent(res, "Traceparent"));
  check(res, {
    "w3c caller: same trace": () => tp.traceId === TID,
    "w3c caller: new span": () => tp.parentId !== SID,
    "w3c caller: decision kept": () => tp.sampled,
    "w3c caller: one traceparent": () => res.request.headers["Traceparent"].length === 1,
    "w3c caller: our tracestate in front": () => sent(res, "Tracestate") === "k6=t,acme=1",
    "w3c caller: b3 says the same": () => sent(res, "B3") === `${TID}-${tp.parentId}-1`,
  });

  // b3 comes first in the list, so it wins over a traceparent of another trace.
  const other = "11111111111111111111111111111111";
  res = http.get(`${BASE}/order`, { headers: { b3: `${TID}-${SID}-0`, traceparent: `00-${other}-${SID}-01` } });
  tp = tracing.traceparent.parse(sent(res, "Traceparent"));
  check(res, {
    "b3 first: its trace": () => tp.traceId === TID,
    "b3 first: its decision": () => tp.sampled === false,
    "b3 first: tracestate of another trace is not carried": () => sent(res, "Tracestate") === "k6=t",
  });

  // A sampling-only b3 decision starts a new trace with that decision.
  res = http.get(`${BASE}/deny`, { headers: { b3: "0" } });
  tp = tracing.traceparent.parse(sent(res, "Traceparent"));
  check(res, {
    "sampling-only: new trace": () => tp !== null && tp.traceId !== TID,
    "sampling-only: not sampled": () => tp.sampled === false,
  });

  // Invalid caller headers are ignored, never an error.
  for (const bad of [`00-${TID.toUpperCase()}-${SID}-01`, `ff-${TID}-${SID}-01`, "garbage", ""]) {
    res = http.get(`${BASE}/invalid`, { headers: { traceparent: bad, b3: "not-b3" } });
    tp = tracing.traceparent.parse(sent(res, "Traceparent"));
    check(res, {
      "invalid caller: request sent": (r) => r.status === 200,
      "invalid caller: a new valid trace": () => tp !== null && tp.traceId !== TID,
    });
  }

  // Baggage is merged, never duplicated, and a reused params object never grows.
  const params = { headers: { Baggage: "user=alice,team=dev" } };
  for (let i = 0; i < 3; i++) {
    res = http.get(`${BASE}/baggage`, params);
    const bag = tracing.baggage.parse(sent(res, "Baggage"));
    check(res, {
      "baggage: one header": () => res.request.headers["Baggage"].length === 1,
      "baggage: the caller's member": () => bag.get("user") === "alice",
      "baggage: the caller wins a shared key": () => bag.get("team") === "dev",
      "baggage: no member twice": () => bag.size === 2,
    });
  }
  check(params, { "params untouched": (p) => Object.keys(p.headers).length === 1 && p.headers.Baggage === "user=alice,team=dev" });

  // asyncRequest and batch continue a caller's trace too.
  http.asyncRequest("GET", `${BASE}/async`, null, { headers: { traceparent: `00-${TID}-${SID}-01` } }).then((r) => {
    check(r, { "async caller: same trace": () => tracing.traceparent.parse(sent(r, "Traceparent")).traceId === TID });
  });
  const responses = http.batch([
    ["GET", `${BASE}/batch/caller`, null, { headers: { traceparent: `00-${TID}-${SID}-01` } }],
    ["GET", `${BASE}/batch/own`],
  ]);
  const callerTP = tracing.traceparent.parse(sent(responses[0], "Traceparent"));
  const ownTP = tracing.traceparent.parse(sent(responses[1], "Traceparent"));
  check(responses, {
    "batch: the caller's item continues its trace": () => callerTP.traceId === TID,
    "batch: the other item is in the batch's trace": () => ownTP.traceId !== TID,
  });
}
