/**
 * The arguments of the context helpers: traceparent.make
 * (go/tracing/traceparentjs.go), tracestate.make and baggage.make
 * (go/tracing/listjs.go).
 *
 * @packageDocumentation
 */
import type { TraceparentOptions } from "k6/x/tracing";
import { decodeBool, namesOf } from "./decoders.js";
import { describe, goQuote, isNullish, isPlainObject } from "./describe.js";
import { baggageKeyError, traceStateMemberError } from "./members.js";
import type { Problems } from "./problems.js";

const traceparentOptionNames: readonly string[] = namesOf<keyof TraceparentOptions>({ traceId: true, parentId: true, sampled: true, random: true });

/** Checks the options of traceparent.make. */
export function checkTraceparentOptions(v: unknown, problems: Problems): void {
  if (isNullish(v)) {
    return;
  }
  if (!isPlainObject(v)) {
    problems.add("", `invalid options: ${describe(v)} is not an object; allowed: { traceId, parentId, sampled, random }, or nothing`);
    return;
  }
  for (const key of Object.keys(v)) {
    const value = v[key];
    switch (key) {
      case "traceId":
        checkHexID(key, value, 16, problems);
        break;
      case "parentId":
        checkHexID(key, value, 8, problems);
        break;
      case "sampled":
      case "random":
        decodeBool(key, value, problems);
        break;
      default:
        problems.unknown(key, traceparentOptionNames);
    }
  }
}

/** An id: lower-case hex of the id's exact length, not all zero. */
function checkHexID(name: string, v: unknown, bytes: number, problems: Problems): void {
  const s = typeof v === "string" ? v : "";
  if (!new RegExp(`^[0-9a-f]{${2 * bytes}}$`).test(s) || /^0+$/.test(s)) {
    problems.invalid(name, `${describe(v)} is not a valid id; allowed: ${2 * bytes} lower-case hex digits, not all zero`);
  }
}

/** Checks the members of tracestate.make or baggage.make. */
export function checkMembers(header: "tracestate" | "baggage", v: unknown, problems: Problems): void {
  if (isNullish(v)) {
    return;
  }
  if (!isPlainObject(v)) {
    problems.add("", `${describe(v)} is not an object; allowed: an object of members such as { key: "value" }`);
    return;
  }
  const keys = Object.keys(v);
  // tracestate.make sets the members last to first, so it meets the last bad one first.
  for (const key of header === "tracestate" ? keys.reverse() : keys) {
    const value = v[key];
    if (typeof value !== "string") {
      problems.invalid(key, `${describe(value)} is not a string; allowed: a string value`, goQuote(key));
      continue;
    }
    const error = header === "tracestate" ? traceStateMemberError(key, value) : baggageKeyError(key);
    if (error !== undefined) {
      problems.add(key, error);
    }
  }
}
