/**
 * How values appear in error messages, written exactly as the Go module
 * writes them (go/tracing/describe.go), so that both sides give the same
 * text for the same mistake.
 *
 * @packageDocumentation
 */

/** Whether v is `undefined` or `null`: "not given" for every option. */
export function isNullish(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

/** An object of keys, as the Go module takes one: not an array, not a function, not null. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A value for an error message: strings quoted (with the kind), numbers
 * and booleans as written, other values by their kind.
 *
 * @example
 * ```ts
 * describe("0.5"); // "\"0.5\" (a string)"
 * describe(1.5);   // "1.5"
 * describe([]);    // "an array"
 * ```
 */
export function describe(v: unknown): string {
  switch (typeof v) {
    case "undefined":
      return "undefined";
    case "string":
      return `${goQuote(v)} (a string)`;
    case "boolean":
      return `${String(v)} (a boolean)`;
    case "number":
      return String(v);
    case "function":
      return "a function";
  }
  if (v === null) {
    return "null";
  }
  return Array.isArray(v) ? "an array" : "an object";
}

/** Names quoted and joined with commas: `"a", "b"`. */
export function quoteAll(names: readonly string[]): string {
  return names.map(goQuote).join(", ");
}

const escapes: Readonly<Record<string, string>> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  "\\": "\\\\",
  '"': '\\"',
};

/**
 * A string quoted as Go's `strconv.Quote` (and `%q`) writes it: printable
 * characters as they are, others escaped. A lone surrogate becomes U+FFFD,
 * as it does when k6 hands the string to Go.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const escape = escapes[ch];
    if (escape !== undefined) {
      out += escape;
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      out += "\ufffd";
    } else if (cp < 0x20 || cp === 0x7f) {
      out += `\\x${hex(cp, 2)}`;
    } else if (isGoPrintable(cp)) {
      out += ch;
    } else if (cp < 0x10000) {
      out += `\\u${hex(cp, 4)}`;
    } else {
      out += `\\U${hex(cp, 8)}`;
    }
  }
  return `${out}"`;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/**
 * The characters outside ASCII that Go's `unicode.IsPrint` rejects:
 * controls, spaces other than U+0020, format characters and private use
 * (first and last code point of each range). Unassigned code points,
 * which Go also rejects, are not listed: such a character is written as
 * it is rather than as `\u` escape.
 */
const notPrintable: readonly (readonly [number, number])[] = [
  [0x80, 0xa0],
  [0xad, 0xad],
  [0x600, 0x605],
  [0x61c, 0x61c],
  [0x6dd, 0x6dd],
  [0x70f, 0x70f],
  [0x890, 0x891],
  [0x8e2, 0x8e2],
  [0x1680, 0x1680],
  [0x180e, 0x180e],
  [0x2000, 0x200f],
  [0x2028, 0x202f],
  [0x205f, 0x2064],
  [0x2066, 0x206f],
  [0x3000, 0x3000],
  [0xe000, 0xf8ff],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0xfffe, 0xffff],
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x13430, 0x1343f],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
  [0xf0000, 0x10ffff],
];

function isGoPrintable(cp: number): boolean {
  if (cp < 0x80) {
    return cp >= 0x20 && cp < 0x7f;
  }
  return !notPrintable.some(([lo, hi]) => cp >= lo && cp <= hi);
}
