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

export interface OptionTable {
  valid: ValidCase[];
  invalid: InvalidCase[];
  /** instrumentBrowser's cases; absent until the table has them. */
  browserValid?: ValidCase[];
  browserInvalid?: InvalidCase[];
}

export const tablePath = new URL("../../test/testdata/options-table.json", import.meta.url);

export function loadTable(): OptionTable {
  const raw: unknown = JSON.parse(readFileSync(tablePath, "utf8"));
  if (typeof raw !== "object" || raw === null) {
    throw new Error(`${tablePath.pathname}: not an object`);
  }
  const table = raw as Record<string, unknown>;
  const out: OptionTable = {
    valid: cases(table, "valid", "want", true),
    invalid: cases(table, "invalid", "error", true),
  };
  const browserValid = cases(table, "browserValid", "want", false);
  const browserInvalid = cases(table, "browserInvalid", "error", false);
  if (browserValid.length > 0) out.browserValid = browserValid;
  if (browserInvalid.length > 0) out.browserInvalid = browserInvalid;
  return out;
}

function cases<K extends "want" | "error">(
  table: Record<string, unknown>,
  list: string,
  field: K,
  required: boolean,
): (K extends "want" ? ValidCase : InvalidCase)[] {
  const items = table[list];
  if (items === undefined && !required) {
    return [];
  }
  if (!Array.isArray(items) || (required && items.length === 0)) {
    throw new Error(`options-table.json: "${list}" is not a non-empty array`);
  }
  return items.map((item: unknown, i) => {
    const c = item as Record<string, unknown> | null;
    const value = c?.[field];
    const ok =
      typeof c?.name === "string" &&
      "options" in (c ?? {}) &&
      (field === "error" ? typeof value === "string" : typeof value === "object" && value !== null);
    if (!ok) {
      throw new Error(`options-table.json: ${list}[${i}] is not { name, options, ${field} }`);
    }
    return c as unknown as K extends "want" ? ValidCase : InvalidCase;
  });
}
