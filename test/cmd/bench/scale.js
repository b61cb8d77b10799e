// The load of issue 24: VUS VUs for DURATION, one trace per iteration, a
// request and a withSpan with a request inside each iteration: four spans
// an iteration (the iteration's root, the request, the span, the request
// inside), exported to OTLP_ENDPOINT over PROTOCOL through a queue of
// QUEUE_SIZE spans, CONCURRENT_EXPORTS exports at once (the default when
// unset), flushed within FLUSH_TIMEOUT. The driver's scale mode (scale.go)
// runs it without a summary; the integration tests of spans at scale and
// under collector faults read the one JSON line handleSummary prints: the
// iterations, the requests and the longest iteration.
import http from "k6/http";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({
  traceScope: "iteration",
  spans: {
    endpoint: __ENV.OTLP_ENDPOINT,
    protocol: __ENV.PROTOCOL || "http/protobuf",
    queueSize: Number(__ENV.QUEUE_SIZE || 65536),
    flushTimeout: __ENV.FLUSH_TIMEOUT || "5s",
    // Only when set, so that builds without the option run the script too.
    ...(__ENV.CONCURRENT_EXPORTS ? { concurrentExports: Number(__ENV.CONCURRENT_EXPORTS) } : {}),
  },
});

export const options = {
  scenarios: {
    load: {
      executor: "constant-vus",
      vus: Number(__ENV.VUS || 10),
      duration: __ENV.DURATION || "20s",
      // Every started iteration ends, so that each has its four spans.
      gracefulStop: "60s",
    },
  },
  discardResponseBodies: true,
  summaryTrendStats: ["med", "max"],
};

export default function () {
  http.get(`${__ENV.BASE_URL}/a`, { tags: { name: "a" } });
  tracing.withSpan("step", () => {
    http.get(`${__ENV.BASE_URL}/b`, { tags: { name: "b" } });
  });
}

export function handleSummary(data) {
  const count = (name) => (data.metrics[name] ? data.metrics[name].values.count : 0);
  return {
    stdout: JSON.stringify({
      scale: {
        iterations: count("iterations"),
        requests: count("http_reqs"),
        longestIterationMs: data.metrics.iteration_duration ? data.metrics.iteration_duration.values.max : 0,
      },
    }) + "\n",
  };
}
