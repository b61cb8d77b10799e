// TestGRPC's calls against test/support/grpcserver (grpc-go's interop
// TestService, with reflection and otelgrpc): unary calls (OK, NOT_FOUND,
// asynchronous, continuing a caller's traceparent, from a Client made by a
// named import), a server stream and a bidirectional one; then the trace
// report, on stdout.
import grpc from "k6/net/grpc";
import { Client, Stream, StatusOK, StatusNotFound } from "k6/net/grpc";
import { check } from "k6";
import tracing from "k6/x/tracing";

tracing.instrumentGRPC({ propagator: __ENV.PROPAGATORS.split(","), spans: true });

const client = new grpc.Client();
const named = new Client();
// A Client of this module: its own options (here baggage), for its own gRPC client.
const own = new tracing.Client({ propagator: [...__ENV.PROPAGATORS.split(","), "baggage"], baggage: { tenant: "t1" }, spans: true })
  .grpcClient();

export const options = { iterations: 1, thresholds: { checks: ["rate==1"] } };

const service = "grpc.testing.TestService";

function stream(method, requests, params) {
  return new Promise((resolve) => {
    const s = new Stream(client, `${service}/${method}`, params);
    let received = 0;
    let code = 0;
    s.on("data", () => received++);
    s.on("error", (e) => (code = Number(e.code)));
    s.on("end", () => resolve(code === 0 ? received : `code ${code}`));
    for (const r of requests) {
      s.write(r);
    }
    s.end();
  });
}

export default async function () {
  client.connect(__ENV.GRPC_ADDR, { plaintext: true, reflect: true });
  named.connect(__ENV.GRPC_ADDR, { plaintext: true, reflect: true });
  const params = { metadata: { "x-user": "u1" }, tags: { name: "unary ok" } };
  const ok = client.invoke(`${service}/UnaryCall`, { response_size: 4 }, params);
  check(ok, { "unary: OK": (r) => r.status === StatusOK });
  check(params, { "the caller's params are left alone": (p) => Object.keys(p.metadata).join() === "x-user" });

  let error = "";
  try {
    client.invoke(`${service}/UnaryCall`, {}, { metadata: "not an object" });
  } catch (e) {
    error = String(e);
  }
  check(error, { "bad metadata: k6's own error": (e) => e.includes("metadata") });

  const nf = client.invoke(`${service}/UnaryCall`, { response_status: { code: 5, message: "no such order" } },
    { tags: { name: "unary not found" } });
  check(nf, { "unary: NOT_FOUND": (r) => r.status === StatusNotFound });

  const later = await client.asyncInvoke(`${service}/UnaryCall`, {}, { tags: { name: "async" } });
  check(later, { "async: OK": (r) => r.status === StatusOK });

  const continued = named.invoke(`${service}/UnaryCall`, {},
    { metadata: { traceparent: __ENV.CALLER_TRACEPARENT }, tags: { name: "continued" } });
  check(continued, { "continued: OK": (r) => r.status === StatusOK });

  const out = await stream("StreamingOutputCall",
    [{ response_parameters: [{ size: 1 }, { size: 2 }, { size: 3 }] }], { tags: { name: "server stream" } });
  check(out, { "server stream: 3 messages": (n) => n === 3 });
  const duplex = await stream("FullDuplexCall", [{}, {}], { tags: { name: "bidi stream" } });
  check(duplex, { "bidi stream: 2 messages": (n) => n === 2 });

  // A deadline: the server waits 2 s before its one message.
  const late = await stream("StreamingOutputCall", [{ response_parameters: [{ size: 1, interval_us: 2000000 }] }],
    { timeout: "200ms", tags: { name: "deadline stream" } });
  check(late, { "deadline stream: DEADLINE_EXCEEDED": (r) => r === "code 4" });

  own.connect(__ENV.GRPC_ADDR, { plaintext: true, reflect: true });
  check(own.invoke(`${service}/UnaryCall`, {}, { tags: { name: "own options" } }), {
    "own options: OK": (r) => r.status === StatusOK,
  });

  client.close();
  named.close();
  own.close();
}

export function handleSummary() {
  return { stdout: JSON.stringify(tracing.traceReport()) };
}
