// instrumentHTTP in the main script covers requests made in another module.
import tracing from "k6/x/tracing";
import { iShouldBeInstrumented } from "./lib/imported.js";

tracing.instrumentHTTP({ propagator: "w3c" });

export const options = { iterations: 1 };

export default function () {
  iShouldBeInstrumented(__ENV.BASE_URL);
}
