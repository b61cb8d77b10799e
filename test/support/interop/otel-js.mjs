// Reads recorded requests' headers with the propagators of OpenTelemetry
// JS, Google Cloud's propagator for OpenTelemetry JS and Datadog's
// dd-trace, exactly as services written in JavaScript would read what k6
// sent. interop.ExtractJS (js.go) runs it with Node.js.
//
// stdin:  [{ "format": "w3c", "headers": { "traceparent": "...", ... } }, ...]
//         header names in lower case, repeated fields joined by commas
// stdout: [{ "traceId", "spanId", "sampled", "baggage": { key: value } | null }
//          or { "error": "..." }, ...], in the same order
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const { ROOT_CONTEXT, defaultTextMapGetter, propagation, trace, isSpanContextValid } = require("@opentelemetry/api");
const { CompositePropagator, W3CTraceContextPropagator, W3CBaggagePropagator } = require("@opentelemetry/core");
const { B3Propagator, B3InjectEncoding } = require("@opentelemetry/propagator-b3");
const { JaegerPropagator } = require("@opentelemetry/propagator-jaeger");
const { OTTracePropagator } = require("@opentelemetry/propagator-ot-trace");
const { AWSXRayPropagator } = require("@opentelemetry/propagator-aws-xray");
const { CloudPropagator } = require("@google-cloud/opentelemetry-cloud-trace-propagator");

const w3c = () => new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });

// The propagators by our format names; Datadog is dd-trace's, below.
const propagators = {
  w3c: w3c(),
  tracecontext: w3c(),
  baggage: new W3CBaggagePropagator(),
  b3: new B3Propagator(),
  b3multi: new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
  jaeger: new JaegerPropagator(),
  ot: new OTTracePropagator(),
  ottrace: new OTTracePropagator(),
  xray: new AWSXRayPropagator(),
  gcp: new CloudPropagator(),
};

function baggageOf(ctx) {
  const bag = propagation.getBaggage(ctx);
  if (!bag || bag.getAllEntries().length === 0) {
    return null;
  }
  return Object.fromEntries(bag.getAllEntries().map(([key, entry]) => [key, entry.value]));
}

function extractOTel(format, headers) {
  const ctx = propagators[format].extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
  const baggage = baggageOf(ctx);
  if (format === "baggage") {
    return baggage ? { baggage } : { error: "no valid baggage" };
  }
  const sc = trace.getSpanContext(ctx);
  if (!sc || !isSpanContextValid(sc)) {
    return { error: "no valid trace context" };
  }
  return { traceId: sc.traceId, spanId: sc.spanId, sampled: (sc.traceFlags & 1) === 1, baggage };
}

// dd-trace reads only what its Datadog style extracts; nothing it would
// send leaves this process (no span is started, telemetry and remote
// configuration are off).
let ddTracer;
function extractDatadog(headers) {
  if (!ddTracer) {
    ddTracer = require("dd-trace").init({
      tracePropagationStyle: { extract: ["datadog"], inject: ["datadog"] },
      startupLogs: false,
      telemetry: { enabled: false },
      remoteConfig: { enabled: false },
      plugins: false,
    });
  }
  const sc = ddTracer.extract("http_headers", headers);
  if (!sc || sc.toTraceId() === "0") {
    return { error: "no valid trace context" };
  }
  const priority = sc._sampling?.priority;
  return { traceId: sc.toTraceId(true), spanId: sc.toSpanId(true), sampled: priority !== undefined && priority > 0, baggage: null };
}

const requests = JSON.parse(readFileSync(0, "utf8"));
const results = requests.map(({ format, headers }) => {
  try {
    if (format === "datadog") {
      return extractDatadog(headers);
    }
    if (!(format in propagators)) {
      return { error: `unknown format ${JSON.stringify(format)}` };
    }
    return extractOTel(format, headers);
  } catch (e) {
    return { error: String(e && e.stack ? e.stack : e) };
  }
});
process.stdout.write(JSON.stringify(results));
// dd-trace keeps timers alive: the answer is written, so exit.
process.exit(0);
