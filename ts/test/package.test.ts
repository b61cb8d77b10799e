/**
 * What makes the package publishable and runnable by k6 as emitted:
 * plain ES modules with ".js" relative imports, no Node.js API, only
 * k6's own modules as bare imports (k6/x/tracing and k6/execution at run
 * time), no `any`, and a package.json an npm
 * consumer and a bundler can read.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const src = new URL("../src/", import.meta.url);
const files = readdirSync(src).filter((f) => f.endsWith(".ts"));
/** A source without its comments (whose examples import the package by name). */
const read = (f: string) =>
  readFileSync(new URL(f, src), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
const imports = (text: string) => Array.from(text.matchAll(/^(import|export)\b[^;]*?from\s+"([^"]+)"/gms), (m) => ({ statement: m[0], from: m[2] ?? "" }));

describe("sources", () => {
  it.each(files)("%s imports only sibling modules (as .js) and k6's modules", (file) => {
    for (const { statement, from } of imports(read(file))) {
      if (from.startsWith(".")) {
        expect(from, `${file}: ${statement}`).toMatch(/^\.\/[a-z-]+\.js$/);
        expect(existsSync(new URL(from.replace(/\.js$/, ".ts"), src)), `${file}: ${from} exists`).toBe(true);
      } else {
        expect(from, `${file}: only k6 resolves bare imports at run time`).toMatch(/^k6(\/|$)/);
        // The modules the facade calls at run time; the rest of k6's only for types.
        if (from !== "k6/x/tracing" && from !== "k6/execution") {
          expect(statement, `${file}: ${from} is imported for its types only`).toMatch(/^(import|export) type /);
        }
      }
    }
  });

  it.each(files)("%s has no any and no Node.js API", (file) => {
    const text = read(file);
    expect(text).not.toMatch(/:\s*any\b|\bas\s+any\b|<any\b|\bany\[\]/);
    expect(text).not.toMatch(/\b(require|process|Buffer|__dirname)\b\s*[.(]/);
  });
});

describe("package.json", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as Record<string, unknown>;

  it("is an ES module package without side effects, types first in its exports", () => {
    expect(pkg).toMatchObject({ name: "xk6-tracing", license: "Apache-2.0", type: "module", sideEffects: false });
    const root = (pkg.exports as Record<string, Record<string, string>>)["."];
    expect(Object.keys(root ?? {})).toEqual(["types", "default"]);
    expect(root).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
  });

  it("has the build, test and typecheck scripts", () => {
    expect(Object.keys(pkg.scripts as object)).toEqual(expect.arrayContaining(["build", "test", "typecheck"]));
  });
});
