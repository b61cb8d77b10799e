// Traced WebSocket sessions: the handshake carries trace context, the
// session's ws_* samples carry trace_id, and each session exports a span
// from the handshake to the close, with its message counts. k6/websockets
// makes its exports anew for each import, so this module's WebSocket is
// the traced one: the same arguments and API. k6/ws's
// connect is traced in place.
// Run: ./k6 run -e BASE_URL=http://127.0.0.1:8080 examples/websockets.ts
import { check } from "k6";
import ws from "k6/ws";
import tracing, { WebSocket } from "k6/x/tracing";

// Once, in the init context. Add spans: true to export the sessions' spans.
tracing.instrumentWebSockets({ propagator: ["w3c", "b3"] });

const BASE_URL = __ENV.BASE_URL ?? "http://127.0.0.1:8080";
const WS_URL = BASE_URL.replace(/^http/, "ws");

export const options = {
  iterations: 2,
  thresholds: { checks: ["rate==1"] },
};

export default function (): void {
  // k6/websockets' API: the handshake sends traceparent and b3.
  const chat = new WebSocket(`${WS_URL}/chat`, null, { tags: { name: "chat" } });
  chat.onopen = () => chat.send("hello");
  chat.onmessage = (event) => {
    check(event?.data, { "the server echoes": (data) => data === "hello" });
    chat.close();
  };

  // k6/ws's API, traced in place.
  const res = ws.connect(`${WS_URL}/feed`, { tags: { name: "feed" } }, (socket) => {
    socket.on("open", () => socket.send("ping"));
    socket.on("message", () => socket.close());
  });
  check(res, { "feed: switched protocols": (r) => r.status === 101 });
}
