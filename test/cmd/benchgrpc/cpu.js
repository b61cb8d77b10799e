// The CPU mode of benchgrpc (go run ./test/cmd/benchgrpc -cpu N): one
// side per k6 run, ITERATIONS unary calls over VUS VUs, while the driver's
// server samples k6's CPU time at the first and the last measured call.
//
// Environment: GRPC_ADDR (host:port, with reflection), ITERATIONS, VUS,
// and SIDE: "plain" (a Client made before instrumentGRPC), "traced" (made
// after instrumentGRPC({ propagator: "w3c" })) or "spans" (made after
// instrumentGRPC({ propagator: "w3c", spans: true })).
// A namespace import, not the default one: k6 builds the default export
// object when the script first reads it, so a default import read before
// instrumentGRPC (for the plain Client) would never see the traced Client.
import * as grpc from "k6/net/grpc";
import tracing from "k6/x/tracing";

const SIDE = __ENV.SIDE;
if (!["plain", "traced", "spans"].includes(SIDE)) {
  throw new Error(`benchgrpc: SIDE=${JSON.stringify(SIDE)}: want plain, traced or spans`);
}
const before = new grpc.Client();
tracing.instrumentGRPC(SIDE === "spans" ? { propagator: "w3c", spans: true } : { propagator: "w3c" });
const after = new grpc.Client();
const client = SIDE === "plain" ? before : after;

const ADDR = __ENV.GRPC_ADDR;
const METHOD = "grpc.testing.TestService/UnaryCall";

export const options = {
  scenarios: {
    calls: {
      executor: "shared-iterations",
      vus: Number(__ENV.VUS),
      iterations: Number(__ENV.ITERATIONS),
      maxDuration: "30m",
    },
  },
  summaryTrendStats: ["avg"],
};

let connected = false;

export default function () {
  if (!connected) {
    client.connect(ADDR, { plaintext: true, reflect: true });
    connected = true;
  }
  client.invoke(METHOD, {});
}

export function handleSummary() {
  return {};
}
