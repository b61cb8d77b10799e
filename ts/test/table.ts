/**
 * test/testdata/options-table.json, the table of good and bad options that the Go
 * module's tests read too, checked for shape as it is loaded.
 */
import { readFileSync } from "node:fs";

export interface ValidCase {
  name: string;
  options: unknown;
  want: Record<string, unknown>;
}

export interface InvalidCase {
  name: string;
  options: unknown;
  error: string;
}

/** A call whose arguments JSON cannot hold: JavaScript source, and the whole message it fails with. */
export interface CallCase {
  name: string;
  call: string;
  error: string;
}

export interface OptionTable {
  valid: ValidCase[];
  invalid: InvalidCase[];
  browserValid: ValidCase[];
  browserInvalid: InvalidCase[];
  calls: CallCase[];
}

export const tablePath = new URL("../../test/testdata/options-table.json", import.meta.url);

export function loadTable(): OptionTable {
  const raw: unknown = JSON.parse(readFileSync(tablePath, "utf8"));
  if (typeof raw !== "object" || raw === null) {
    throw new Error(`${tablePath.pathname}: not an object`);
  }
  const table = raw as Record<string, unknown>;
  return {
    valid: items(table, "valid", isValid, "{ name, options, want }"),
    invalid: items(table, "invalid", isInvalid, "{ name, options, error }"),
    browserValid: items(table, "browserValid", isValid, "{ name, options, want }"),
    browserInvalid: items(table, "browserInvalid", isInvalid, "{ name, options, error }"),
    calls: items(table, "calls", isCall, "{ name, call, error }"),
  };
}

/** The list's items, each checked; as the Go tests, a missing or empty list fails. */
function items<T>(table: Record<string, unknown>, list: string, is: (c: Record<string, unknown>) => boolean, shape: string): T[] {
  const values = table[list];
  if (!Array.isArray(values) || values.length === 0) {
    throw new Error(`options-table.json: "${list}" is not a non-empty array`);
  }
  return values.map((item: unknown, i) => {
    if (typeof item !== "object" || item === null || !is(item as Record<string, unknown>)) {
      throw new Error(`options-table.json: ${list}[${i}] is not ${shape}`);
    }
    return item as T;
  });
}

const isValid = (c: Record<string, unknown>) => typeof c.name === "string" && "options" in c && typeof c.want === "object" && c.want !== null;
const isInvalid = (c: Record<string, unknown>) => typeof c.name === "string" && "options" in c && typeof c.error === "string";
const isCall = (c: Record<string, unknown>) => typeof c.name === "string" && typeof c.call === "string" && typeof c.error === "string";
