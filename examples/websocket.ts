// WebSocket: instrumentHTTP covers k6/http only. For any other client, such
// as a WebSocket handshake or gRPC metadata, tracing.headers() returns the
// headers of a new span, in the formats and with the baggage you ask for.
// Run: ./k6 run -e BASE_URL=http://127.0.0.1:8080 examples/websocket.ts
import { check } from "k6";
import { WebSocket } from "k6/websockets";
import tracing from "k6/x/tracing";

const BASE_URL = __ENV.BASE_URL ?? "http://127.0.0.1:8080";
const WS_URL = BASE_URL.replace(/^http/, "ws") + "/chat";

export const options = {
  iterations: 3,
  thresholds: { checks: ["rate==1"] },
};

export default function (): void {
  const headers = tracing.headers({ propagator: ["w3c", "b3"], baggage: { room: "lobby" } });
  const traceId = tracing.traceparent.parse(headers.traceparent)?.traceId;
  console.log(`websocket handshake in trace ${traceId}`);

  const ws = new WebSocket(WS_URL, null, { headers });
  ws.onopen = () => ws.send("hello");
  ws.onmessage = (event) => {
    check(event?.data, { "the server echoes": (data) => data === "hello" });
    ws.close();
  };
  ws.onerror = (event) => {
    check(event, { "no WebSocket error": () => false });
  };
}
