// Requests in the formats named by PROPAGATOR (a comma-separated list),
// with baggage members of which two need percent-encoding, at SAMPLING.
import http from "k6/http";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({
  propagator: __ENV.PROPAGATOR.split(","),
  sampling: Number(__ENV.SAMPLING),
  baggage: { tenant: "acme corp", query: "a=b;c,d", route: "a:b/c?d=e" },
});

export const options = {
  vus: 2,
  iterations: Number(__ENV.ITERATIONS || 20),
  discardResponseBodies: true,
};

export default function () {
  http.get(`${__ENV.BASE_URL}/interop`);
}
