// Every k6/http request function, through instrumentHTTP (API=instrument)
// or a Client (API=client), each to its own path so that the Go driver can
// match what the server received with what k6 reported.
import http from "k6/http";
import { get as namedGet, post as namedPost } from "k6/http";
import { check } from "k6";
import tracing from "k6/x/tracing";

const BASE = __ENV.BASE_URL;
const propagator = __ENV.PROPAGATOR;
// Captured before instrumentHTTP: the original function, never traced.
const plainGet = http.get;

let api = http;
if (__ENV.API === "client") {
  api = new tracing.Client({ propagator });
} else {
  tracing.instrumentHTTP({ propagator });
}

const params = { headers: { "X-Test-Header": "test" }, tags: { kind: "traced" } };

export const options = { iterations: 1, thresholds: { checks: ["rate==1"] } };

export default async function () {
  const before = JSON.stringify(params);
  const responses = [
    api.get(`${BASE}/get`, params),
    api.head(`${BASE}/head`, params),
    api.post(`${BASE}/post`, "body", params),
    api.put(`${BASE}/put`, "body", params),
    api.patch(`${BASE}/patch`, "body", params),
    api.del(`${BASE}/del`, null, params),
    api.options(`${BASE}/options`, null, params),
    api.request("GET", `${BASE}/request`, null, params),
    await api.asyncRequest("POST", `${BASE}/async`, "body", params),
    ...api.batch([
      `${BASE}/batch-url`,
      ["POST", `${BASE}/batch-array`, "body", params],
      { method: "PUT", url: `${BASE}/batch-object`, body: "body", params },
    ]),
  ];
  if (__ENV.API !== "client") {
    responses.push(namedGet(`${BASE}/named-get`, params), namedPost(`${BASE}/named-post`, "body", params));
  }
  responses.push(plainGet(`${BASE}/plain`));
  check(responses, { "all succeeded": (rs) => rs.every((r) => r.status === 200) });
  check(params, { "params were not mutated": (p) => JSON.stringify(p) === before });
}
