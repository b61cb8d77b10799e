import http from "k6/http";

export function iShouldBeInstrumented(base) {
  http.head(`${base}/imported`);
}
