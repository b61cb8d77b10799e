/**
 * "Did you mean": the rule of the Go module (go/tracing/suggest.go), so
 * that a misspelt key gets the same hint from both.
 *
 * @packageDocumentation
 */
import { goToLower, utf8Bytes } from "./gostrings.js";

/**
 * The candidate that `word` most plausibly misspells: one at most a third
 * of its letters away (at least one), or one whose first five letters it
 * shares (`samplingRate` → `sampling`). Case is ignored.
 *
 * @returns the closest such candidate, or `undefined` when none is plausible.
 * @example
 * ```ts
 * suggest("propagater", ["propagator", "sampling"]); // "propagator"
 * suggest("endpoint", ["propagator", "sampling"]);   // undefined
 * ```
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const bytes = utf8Bytes(word);
  const lower = utf8Bytes(goToLower(word));
  let best: string | undefined;
  let bestDistance = -1;
  for (const candidate of candidates) {
    const c = utf8Bytes(candidate);
    const d = editDistance(bytes, c);
    const plausible = d <= Math.max(1, Math.floor(c.length / 3)) || commonPrefix(lower, c) >= Math.min(5, c.length);
    if (plausible && (bestDistance < 0 || d < bestDistance)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** The Levenshtein distance of two byte strings, ASCII letters compared without case. */
function editDistance(a: Uint8Array, b: Uint8Array): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = lowerASCII(a[i - 1] ?? 0) === lowerASCII(b[j - 1] ?? 0) ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}

function lowerASCII(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

function commonPrefix(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) {
    n++;
  }
  return n;
}
