// TestWebSockets' sessions against test/support/wsserver (an echo server
// instrumented with the OpenTelemetry Go SDK): k6/ws (an echo, a refused
// handshake) and this module's WebSocket, k6/websockets' (an echo, a
// session the server closes).
import ws from "k6/ws";
import { check } from "k6";
import tracing, { WebSocket } from "k6/x/tracing";

tracing.instrumentWebSockets({ propagator: __ENV.PROPAGATORS.split(","), spans: true });

export const options = { iterations: 1, thresholds: { checks: ["rate==1"] } };

function session(url, params, messages) {
  return new Promise((resolve) => {
    const s = new WebSocket(url, null, params);
    let received = 0;
    s.onopen = () => messages.forEach((m) => s.send(m));
    s.onmessage = () => {
      if (++received === messages.length) {
        s.close();
      }
    };
    s.onerror = () => {};
    s.onclose = (e) => resolve({ received, code: e.code });
  });
}

export default async function () {
  const params = { headers: { "X-User": "u1" }, tags: { name: "ws echo" } };
  const res = ws.connect(`${__ENV.WS_URL}/ws-echo`, params, (socket) => {
    let received = 0;
    socket.on("open", () => {
      socket.send("a");
      socket.send("b");
    });
    socket.on("message", () => {
      if (++received === 2) {
        socket.close();
      }
    });
  });
  check(res, { "k6/ws: 101": (r) => r.status === 101 });
  check(params, { "the caller's params are left alone": (p) => Object.keys(p.headers).join() === "X-User" });

  const refused = ws.connect(`${__ENV.WS_URL}/reject`, () => {});
  check(refused, { "k6/ws: refused with 403": (r) => r.status === 403 });

  const echo = await session(`${__ENV.WS_URL}/websockets-echo`, { tags: { name: "websockets echo" } }, ["x", "y", "z"]);
  check(echo, { "k6/websockets: 3 echoes": (e) => e.received === 3 });
  const closed = await session(`${__ENV.WS_URL}/close`, {}, ["never answered"]);
  check(closed, { "k6/websockets: closed by the server with 1008": (e) => e.code === 1008 });
}
