// Copies what the package shares with the repository into it, for the
// published package: the declarations of k6/x/tracing (../types/index.d.ts),
// so that a consumer's tsconfig can list
// node_modules/xk6-tracing/types/index.d.ts, and the license. Run by
// `npm run build`; both copies are ignored by git.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const pkg = new URL("../", import.meta.url);
mkdirSync(new URL("types/", pkg), { recursive: true });
for (const file of ["types/index.d.ts", "LICENSE"]) {
  const to = new URL(file, pkg);
  rmSync(to, { force: true }); // a read-only copy from an earlier build cannot be overwritten
  copyFileSync(new URL(file, root), to);
}
