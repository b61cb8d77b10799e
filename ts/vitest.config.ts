import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // "k6/x/tracing" and "k6/execution" exist only inside a k6 binary:
    // the tests run the facade against stand-ins that record the calls.
    alias: [
      {
        find: /^k6\/execution$/,
        replacement: fileURLToPath(new URL("./test/stand-in/k6-execution.ts", import.meta.url)),
      },
      {
        find: /^k6\/x\/tracing$/,
        replacement: fileURLToPath(new URL("./test/stand-in/k6-x-tracing.ts", import.meta.url)),
      },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // One fork: the machine is small and shared.
    pool: "forks",
    maxWorkers: 1,
  },
});
