/**
 * Go's string functions where JavaScript's give another result: the
 * module compares and trims option values with these, so the facade must
 * too. UTF-8 comes from k6's (and Node.js's) TextEncoder.
 *
 * @packageDocumentation
 */

/**
 * Go's `strings.ToLower`: each character on its own (a final sigma stays
 * σ), and U+0130 (İ) becomes a plain "i" where JavaScript adds a
 * combining dot.
 */
export function goToLower(s: string): string {
  let out = "";
  for (const ch of s) {
    out += ch === "\u0130" ? "i" : ch.toLowerCase();
  }
  return out;
}

/** Go's `strings.TrimSpace`: Unicode white space, which differs from JavaScript's trim() in U+0085 and U+FEFF. */
export function goTrimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) {
    start++;
  }
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) {
    end--;
  }
  return s.slice(start, end);
}

function isGoSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/**
 * k6's global TextEncoder: k6 v2 has it, as Node.js does, but @types/k6
 * does not declare it and the build has no DOM library. Module-scoped, so
 * that it adds no global to a consumer's types.
 */
declare const TextEncoder: new () => { encode(input: string): Uint8Array };

const encoder = new TextEncoder();

/** The UTF-8 bytes of s, lone surrogates as U+FFFD (as Go receives them, and as TextEncoder writes them). */
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}
