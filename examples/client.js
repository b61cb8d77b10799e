// A tracing Client: only the requests sent through it carry trace context,
// with the client's own options. Plain JavaScript works as well as TypeScript.
// Run: ./k6 run -e BASE_URL=http://127.0.0.1:8080 examples/client.js
import http from "k6/http";
import { check } from "k6";
import tracing from "k6/x/tracing";

const traced = new tracing.Client({ propagator: "w3c" });

const BASE_URL = __ENV.BASE_URL || "http://127.0.0.1:8080";

export const options = {
  iterations: 2,
  thresholds: { checks: ["rate==1"] },
};

export default async function () {
  const res = traced.get(`${BASE_URL}/traced`, { headers: { "X-Example-Header": "client/get" } });
  check(res, { "traced request has a traceparent": (r) => /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/.test(r.request.headers["Traceparent"]) });

  const created = traced.post(`${BASE_URL}/traced`, JSON.stringify({ name: "Bert" }), {
    headers: { "Content-Type": "application/json" },
  });
  check(created, { "post is sent as POST": (r) => r.request.method === "POST" });

  const later = await traced.asyncRequest("GET", `${BASE_URL}/traced`);
  check(later, { "asyncRequest resolves to the response": (r) => r.status === 200 });

  // k6/http itself is untouched by a Client.
  const plain = http.get(`${BASE_URL}/plain`);
  check(plain, { "plain request has no traceparent": (r) => r.request.headers["Traceparent"] === undefined });
}
