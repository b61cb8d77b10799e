// Traced gRPC calls: every Client of k6/net/grpc carries trace context in
// its metadata, its samples carry trace_id, and each call (and each
// stream) exports a CLIENT span with OpenTelemetry's RPC conventions.
// Against a gRPC server with reflection (grpc-go's interop TestService
// here), its spans and k6's going to an OTLP endpoint such as Jaeger's:
// Run: OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 ./k6 run -e GRPC_ADDR=127.0.0.1:50051 examples/grpc.ts
import grpc from "k6/net/grpc";
import { check } from "k6";
import tracing from "k6/x/tracing";

// Once, in the init context, before the first new grpc.Client().
tracing.instrumentGRPC({ propagator: "w3c", spans: true });

const client = new grpc.Client();
const GRPC_ADDR = __ENV.GRPC_ADDR ?? "127.0.0.1:50051";
const service = "grpc.testing.TestService";

export const options = {
  iterations: 2,
  thresholds: { checks: ["rate==1"] },
};

export default async function (): Promise<void> {
  client.connect(GRPC_ADDR, { plaintext: true, reflect: true });

  // A unary call: metadata traceparent: 00-<trace id>-<span id>-01, beside the script's own.
  const res = client.invoke(`${service}/UnaryCall`, { response_size: 8 }, { metadata: { "x-team": "checkout" } });
  check(res, { "unary: OK": (r) => r.status === grpc.StatusOK });

  // A stream is one span, from new Stream() to its end, with its message counts.
  const received = await new Promise<number>((resolve) => {
    const stream = new grpc.Stream(client, `${service}/StreamingOutputCall`);
    let n = 0;
    stream.on("data", () => n++);
    stream.on("end", () => resolve(n));
    stream.write({ response_parameters: [{ size: 1 }, { size: 2 }] });
    stream.end();
  });
  check(received, { "stream: 2 messages": (n) => n === 2 });

  client.close();
}
