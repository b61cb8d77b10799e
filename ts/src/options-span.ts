/**
 * The arguments of startSpan and withSpan (go/tracing/spanapi.go,
 * spanattrs.go and jsspan.go).
 *
 * @packageDocumentation
 */
import type { SpanOptions } from "k6/x/tracing";
import { decodeChoice, namesOf } from "./decoders.js";
import { describe, goQuote, isNullish, isPlainObject } from "./describe.js";
import type { Problems } from "./problems.js";

const spanOptionNames: readonly string[] = namesOf<keyof SpanOptions>({ attributes: true, kind: true });
const spanKinds = namesOf<NonNullable<SpanOptions["kind"]>>({ internal: true, server: true, client: true, producer: true, consumer: true });
const allowedAttribute = "allowed: a string, a number, a boolean, or an array of one of these";

/** Checks a span name: a non-empty string. */
export function checkSpanName(v: unknown, problems: Problems): void {
  if (typeof v !== "string" || v === "") {
    problems.add("name", `invalid argument: the name is ${describe(v)}, not a non-empty string`);
  }
}

/** Checks the options of startSpan and withSpan. */
export function checkSpanOptions(v: unknown, problems: Problems): void {
  if (isNullish(v)) {
    return;
  }
  if (!isPlainObject(v)) {
    problems.add(
      "",
      `invalid options: ${describe(v)} is not an object; allowed: an object such as ` +
        '{ kind: "internal", attributes: { "user.id": 42 } }, or nothing',
    );
    return;
  }
  for (const key of Object.keys(v)) {
    const value = v[key];
    switch (key) {
      case "attributes":
        checkAttributes("attributes", value, problems);
        break;
      case "kind":
        decodeChoice("kind", value, spanKinds, problems, {
          fallback: "internal",
          what: "a span kind",
          allowed: '"internal" (the default), "server", "client", "producer" or "consumer"',
        });
        break;
      default:
        problems.unknown(key, spanOptionNames);
    }
  }
}

/** Checks an object of span attributes; name is the option, for the messages. */
function checkAttributes(name: string, v: unknown, problems: Problems): void {
  if (isNullish(v)) {
    return;
  }
  if (!isPlainObject(v)) {
    problems.invalid(name, `${describe(v)} is not an object such as { "user.id": 42 }`, goQuote(name));
    return;
  }
  for (const key of Object.keys(v)) {
    const error = attributeError(key, v[key]);
    if (error !== undefined) {
      problems.invalid(`${name}.${key}`, error);
    }
  }
}

/** What is wrong with one attribute, or undefined. */
function attributeError(key: string, v: unknown): string | undefined {
  if (key === "") {
    return "an attribute needs a non-empty key";
  }
  if (typeof v === "string" || typeof v === "boolean" || typeof v === "number") {
    return undefined;
  }
  if (!Array.isArray(v)) {
    return `${describe(v)} is not an attribute value; ${allowedAttribute}`;
  }
  if (v.length === 0) {
    return undefined;
  }
  const kind = typeof v[0];
  let oneKind = kind === "string" || kind === "boolean" || kind === "number";
  for (let i = 1; oneKind && i < v.length; i++) {
    oneKind = typeof v[i] === kind; // a hole is undefined, as Go reads it
  }
  return oneKind ? undefined : `${describe(v)} is not an attribute value; ${allowedAttribute}, all of one type`;
}
