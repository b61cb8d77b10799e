// Both import paths stacked on k6/http, in the order LAYERS names them
// (as scripts that used the tempo and pyroscope jslibs together do), with
// spans on the layers SPANS names: every request carries one span, in
// traceparent and with pyroscope's baggage; its samples' trace_id is that
// span's trace; the span is exported once, with its redirect hop's.
import http from "k6/http";
import tracing from "k6/x/tracing";
import pyroscope from "k6/x/tracing/pyroscope";

const BASE = __ENV.BASE_URL;
const spansOn = (name) => (__ENV.SPANS || "").split(",").includes(name);
const spans = { endpoint: __ENV.OTLP_ENDPOINT, flushTimeout: "5s" };
const layers = {
  tracing: () => tracing.instrumentHTTP({ propagator: "w3c", ...(spansOn("tracing") ? { spans } : {}) }),
  pyroscope: () => pyroscope.instrumentHTTP(spansOn("pyroscope") ? { spans } : undefined),
};
for (const name of __ENV.LAYERS.split(",")) {
  layers[name]();
}

export const options = { iterations: 2, vus: 1 };

export default async function () {
  http.get(`${BASE}/get`);
  http.post(`${BASE}/post`, "body");
  await http.asyncRequest("GET", `${BASE}/async`);
  http.get(`${BASE}/redirect?to=/landed`);
  http.batch([`${BASE}/batch1`, `${BASE}/batch2`]);
}
