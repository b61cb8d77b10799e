// The facade in VU code: bad options abort the test with every problem,
// as k6/x/tracing itself aborts it, instead of failing one iteration.
import { Client } from "../../../ts/dist/index.js";
import type { Options } from "../../../ts/dist/index.js";

export const options = { iterations: 3 };

export default function () {
  new Client({ propgator: "w3c", sampling: 2 } as unknown as Options);
}
