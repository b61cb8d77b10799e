// Client spans under load: VUS VUs run ITERATIONS iterations each, two
// requests an iteration, every request sampled and exported as a CLIENT
// span to OTLP_ENDPOINT (OTLP over HTTP) through a queue of QUEUE_SIZE
// spans, flushed within FLUSH_TIMEOUT at the end of the test. The query
// string names the VU and its iteration, so that a span can be matched
// with the request it describes.
import http from "k6/http";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({
  spans: {
    endpoint: __ENV.OTLP_ENDPOINT,
    protocol: "http/protobuf",
    queueSize: Number(__ENV.QUEUE_SIZE || 65536),
    flushTimeout: __ENV.FLUSH_TIMEOUT || "5s",
  },
});

export const options = {
  scenarios: {
    load: {
      executor: "per-vu-iterations",
      vus: Number(__ENV.VUS || 200),
      iterations: Number(__ENV.ITERATIONS || 10),
      maxDuration: "90s",
    },
  },
  discardResponseBodies: true,
};

export default function () {
  const q = `vu=${__VU}&iter=${__ITER}`;
  // The name tag keeps one time series per path, not one per URL.
  http.get(`${__ENV.BASE_URL}/load/a?${q}`, { tags: { name: "load-a" } });
  http.post(`${__ENV.BASE_URL}/load/b?${q}`, "x", { tags: { name: "load-b" } });
}
