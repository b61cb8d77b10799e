// What the http-instrumentation-pyroscope library's own tests and
// Grafana's pages on it do, with only the import changed: Clients made in
// the init context and in VU code, requests with and without a body, a
// caller's baggage, headers and cookies kept, and a header function
// (generateHeaders) given to Client and to instrumentHTTP.
import http from "k6/http";
import { check } from "k6";
import pyroscope from "k6/x/tracing/pyroscope";

const BASE = __ENV.BASE_URL;
const initClient = new pyroscope.Client();
pyroscope.instrumentHTTP((url, body, params) => ({ "X-Generated": `${url} ${body} ${params.tags.name}` }));

export const options = {
  iterations: 1,
  thresholds: { checks: ["rate==1"] },
};

function hasK6Baggage(headers) {
  const baggage = String(headers["Baggage"]);
  return ["k6.test_run_id=", "k6.scenario=default", "k6.name="].every((m) => baggage.includes(m));
}

export default function () {
  const client = new pyroscope.Client(); // in VU code, as the library's tests do
  check(client.request("GET", `${BASE}/no-body`).request.headers, { "no body: k6 baggage": hasK6Baggage });
  check(client.request("GET", `${BASE}/with-body`, "hello").request.headers, { "a body: k6 baggage": hasK6Baggage });
  const params = {
    headers: { baggage: "foo=bar", "X-Test": "test" },
    cookies: { "X-Test": { value: "test", replace: true } },
  };
  const res = initClient.request("GET", `${BASE}/with-params`, null, params);
  check(res.request, {
    "cookies kept": (req) => String(req.headers["Cookie"]) === "X-Test=test",
    "headers kept": (req) => String(req.headers["X-Test"]) === "test",
    "the caller's baggage kept": (req) => String(req.headers["Baggage"]).includes("foo=bar"),
    "and the k6 members added": (req) => hasK6Baggage(req.headers),
    "the caller's params unchanged": () => params.headers.baggage === "foo=bar",
  });

  const generated = new pyroscope.Client(() => ({ "X-Example-Header": "instrumented/request" }));
  check(generated.post(`${BASE}/generated`, "data").request.headers, {
    "the function's header": (h) => String(h["X-Example-Header"]) === "instrumented/request",
    "instead of the k6 baggage": (h) => h["Baggage"] === undefined,
  });
  check(http.post(`${BASE}/instrumented`, "b", { tags: { name: "n" } }).request.headers, {
    "instrumentHTTP's function, given url, body and params": (h) =>
      String(h["X-Generated"]) === `${BASE}/instrumented b n`,
  });
}
