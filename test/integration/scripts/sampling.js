// Many requests at one sampling rate: SAMPLING is a number, "null" or
// "absent"; API is "instrument" or "client".
import http from "k6/http";
import tracing from "k6/x/tracing";

const opts = { propagator: __ENV.PROPAGATOR || "w3c" };
if (__ENV.SAMPLING === "null") {
  opts.sampling = null;
} else if (__ENV.SAMPLING !== "absent") {
  opts.sampling = Number(__ENV.SAMPLING);
}

let api = http;
if (__ENV.API === "client") {
  api = new tracing.Client(opts);
} else {
  tracing.instrumentHTTP(opts);
}

const iterations = Number(__ENV.ITERATIONS || 100);

export const options = {
  vus: Math.min(10, iterations),
  iterations,
  discardResponseBodies: true,
};

export default function () {
  api.get(`${__ENV.BASE_URL}/sampling`);
}
