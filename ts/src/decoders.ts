/**
 * Decoders that several options share: booleans and names from a list.
 *
 * @packageDocumentation
 */
import { describe, isNullish } from "./describe.js";
import type { Problems } from "./problems.js";

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
export interface Choice {
  /** The value of null and undefined; without it, they are errors as any other value. */
  fallback?: string;
  what: string;
  allowed: string;
}

/** An option whose value is one of a few names (go/tracing decodeChoice and decodeLayout). */
export function decodeChoice(
  name: string,
  v: unknown,
  choices: readonly string[],
  problems: Problems,
  choice: Choice,
): string | undefined {
  if (isNullish(v) && choice.fallback !== undefined) {
    return choice.fallback;
  }
  if (typeof v === "string" && choices.includes(v)) {
    return v;
  }
  problems.invalid(name, `${describe(v)} is not ${choice.what}; allowed: ${choice.allowed}`);
  return undefined;
}
