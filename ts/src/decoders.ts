/**
 * Decoders that several options share: booleans, names from a list, and
 * the lists of names themselves, checked against the declarations of
 * `k6/x/tracing` (types/index.d.ts).
 *
 * @packageDocumentation
 */
import { describe, isNullish } from "./describe.js";
import type { Problems } from "./problems.js";

/**
 * The names of a union of string literals (the keys of an options
 * interface, or the values of an option) in the order written, which is
 * the order of the Go module's messages. The compiler checks that the
 * record names each member of the union once and nothing else, so that a
 * list cannot drift from types/index.d.ts; the order is checked by the
 * messages of the shared option table.
 *
 * @example
 * ```ts
 * const formats = namesOf<TraceIdFormat>({ k6: true, random: true, xray: true }); // ["k6", "random", "xray"]
 * ```
 */
export function namesOf<T extends string>(members: { readonly [K in T]: true }): readonly T[] {
  return Object.keys(members) as T[];
}

/** A boolean option; null and undefined mean false. */
export function decodeBool(name: string, v: unknown, problems: Problems): boolean | undefined {
  if (isNullish(v)) {
    return false;
  }
  if (typeof v !== "boolean") {
    problems.invalid(name, `${describe(v)} is not a boolean; allowed: true or false`);
    return undefined;
  }
  return v;
}

/** How {@link decodeChoice} words its error, and what null means. */
export interface Choice<T extends string> {
  /** The value of null and undefined; without it, they are errors as any other value. */
  fallback?: T;
  what: string;
  allowed: string;
}

/** An option whose value is one of a few names (go/tracing decodeChoice and decodeLayout). */
export function decodeChoice<T extends string>(
  name: string,
  v: unknown,
  choices: readonly T[],
  problems: Problems,
  choice: Choice<T>,
): T | undefined {
  if (isNullish(v) && choice.fallback !== undefined) {
    return choice.fallback;
  }
  if (typeof v === "string" && (choices as readonly string[]).includes(v)) {
    return v as T;
  }
  problems.invalid(name, `${describe(v)} is not ${choice.what}; allowed: ${choice.allowed}`);
  return undefined;
}
