/**
 * Every case of test/testdata/options-table.json, the table the Go module's tests
 * read: the facade must accept what the module accepts, resolve it the
 * same way, and refuse what it refuses with the very same message.
 */
import { beforeEach, describe, expect, it } from "vitest";
import facade, {
  Client,
  instrumentBrowser,
  instrumentHTTP,
  resolveBrowserOptions,
  resolveOptions,
  validateBrowserOptions,
  validateOptions,
} from "../src/index.js";
import { message } from "./helpers.js";
import { calls, reset } from "./stand-in/k6-x-tracing.js";
import { loadTable, type ValidCase } from "./table.js";
import type { BrowserOptions, Options } from "k6/x/tracing";
import type { Page } from "k6/browser";

const table = loadTable();

beforeEach(() => reset());

describe("valid options of instrumentHTTP and Client", () => {
  it.each(table.valid)("$name", ({ name, options, want }) => {
    expect(validateOptions(options), `case "${name}": problems`).toEqual([]);
    expect(resolveOptions(options as Options), `case "${name}": resolved options`).toEqual(want);
  });
});

describe("invalid options of instrumentHTTP and Client", () => {
  it.each(table.invalid)("$name", ({ name, options, error }) => {
    const problems = validateOptions(options);
    expect(
      problems.map((p) => p.message),
      `case "${name}": the facade must give exactly the Go module's message`,
    ).toEqual([error]);
  });

  it.each(table.invalid)("$name: every wrapper throws it and never calls the module", ({ options, error }) => {
    const bad = options as Options;
    expect(message(() => instrumentHTTP(bad))).toBe(`instrumentHTTP: ${error}`);
    expect(message(() => new Client(bad))).toBe(`new Client: ${error}`);
    const client = new Client();
    expect(message(() => client.configure(bad))).toBe(`Client.configure: ${error}`);
    expect(calls.map((c) => c.fn)).toEqual(["new Client"]);
  });
});

describe("instrumentBrowser options of the table", () => {
  it.each(table.browserValid)("valid: $name", (c: ValidCase) => {
    expect(validateBrowserOptions(c.options), `case "${c.name}": problems`).toEqual([]);
    const resolved: Record<string, unknown> = { ...resolveBrowserOptions(c.options as BrowserOptions) };
    const unknown = Object.keys(c.want).filter((k) => !(k in resolved));
    expect(unknown, `case "${c.name}": want has fields the facade does not resolve`).toEqual([]);
    // propagateTo also holds the RegExps, which JSON cannot.
    expect(resolved, `case "${c.name}": resolved options`).toMatchObject(c.want);
  });

  it.each(table.browserInvalid)("invalid: $name", ({ name, options, error }) => {
    expect(
      validateBrowserOptions(options).map((p) => p.message),
      `case "${name}": the facade must give exactly the Go module's message`,
    ).toEqual([error]);
    expect(message(() => instrumentBrowser({} as Page, options as BrowserOptions))).toBe(`instrumentBrowser: ${error}`);
    expect(calls).toEqual([]);
  });
});

describe("calls of the table", () => {
  // The call's source, with tracing bound to the facade; the module is the
  // stand-in, so that only the calls the source makes on the way (a span to
  // give withSpan) reach it.
  const page = {} as Page;
  it.each(table.calls)("$name", ({ call, error }) => {
    const run = new Function("tracing", "page", `"use strict"; return (${call});`) as (t: typeof facade, p: Page) => unknown;
    expect(message(() => run(facade, page)), call).toBe(error);
    expect(calls.map((c) => c.fn).filter((fn) => fn !== "startSpan"), "calls that reached the module").toEqual([]);
  });
});
