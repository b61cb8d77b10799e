// Nothing of k6/x/tracing runs in the init context: clients made in the
// default function, and tracing.group, work all the same, as the
// http-instrumentation-tempo library's Client did.
import { check } from "k6";
import tracing from "k6/x/tracing";

export const options = { iterations: 2, thresholds: { checks: ["rate==1"] } };

export default function () {
  const client = new tracing.Client({ propagator: "jaeger" });
  tracing.group("checkout", () => {
    const res = client.get(`${__ENV.BASE_URL}/vu-client`);
    check(res.request.headers, { "uber-trace-id sent": (h) => /^[0-9a-f]{32}:[0-9a-f]{16}:0:1$/.test(h["Uber-Trace-Id"]) });
  });
}
