/**
 * k6 durations as the Go module reads `spans.flushTimeout`: k6's
 * `types.ParseExtendedDuration` (a number of milliseconds as Go's
 * `strconv.ParseFloat` reads it, Go's `time.ParseDuration`, or days with
 * a `d`), or a number of milliseconds.
 *
 * No JavaScript library reads Go's grammar (underscores, hexadecimal
 * floats, "µs", days), so this is a port of those functions, in their
 * 64-bit integers (BigInt), so that it overflows where Go does. The k6
 * run of the tests (test/k6/facade.js) compares it with the module.
 *
 * @packageDocumentation
 */

const maxUint63 = 1n << 63n; // Go's 1<<63, the limit of a uint64 duration
const maxInt64 = maxUint63 - 1n;

const hour = 3600000000000n;

const units: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  "\u00b5s": 1000n,
  "\u03bcs": 1000n,
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: hour,
};

/** Whether the module takes v as a positive duration. */
export function isPositiveDuration(v: unknown): boolean {
  if (typeof v === "number") {
    return fromMilliseconds(v) > 0n;
  }
  if (typeof v === "string") {
    const ns = parseExtendedDuration(v);
    return ns !== undefined && ns > 0n;
  }
  return false;
}

/**
 * Milliseconds as Go's `time.Duration(ms * 1e6)`: truncated; a float
 * outside int64 (or NaN) converts to its minimum, as on amd64.
 */
function fromMilliseconds(ms: number): bigint {
  const ns = ms * 1e6;
  return Number.isFinite(ns) && Math.abs(ns) < 2 ** 63 ? BigInt(Math.trunc(ns)) : -maxUint63;
}

/** k6's `ParseExtendedDuration`, in nanoseconds; undefined for an error. */
export function parseExtendedDuration(s: string): bigint | undefined {
  const ms = parseGoFloat(s);
  if (ms !== undefined) {
    return fromMilliseconds(ms);
  }
  const d = s.indexOf("d");
  if (d < 0) {
    return parseGoDuration(s);
  }
  let hours = 0n;
  if (d + 1 < s.length) {
    const h = parseGoDuration(s.slice(d + 1));
    if (h === undefined || h < 0n) {
      return undefined;
    }
    hours = h;
  }
  const dayText = s.slice(0, d);
  if (!/^[+-]?[0-9]+$/.test(dayText)) {
    return undefined; // strconv.ParseInt(s, 10, 64): no underscores without base 0
  }
  const days = BigInt(dayText);
  if (days > maxInt64 || days < -maxUint63) {
    return undefined;
  }
  // time.Duration(days)*24*time.Hour + hours, in int64 arithmetic, which wraps.
  return BigInt.asIntN(64, days * 24n * hour + (days < 0n ? -hours : hours));
}

/** Go's `strconv.ParseFloat(s, 64)`: undefined where it fails (syntax, or out of range). */
function parseGoFloat(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) {
    return s.startsWith("-") ? -Infinity : Infinity;
  }
  if (/^nan$/i.test(s)) {
    return Number.NaN; // a sign is not allowed before NaN
  }
  if (!isGoFloat(s)) {
    return undefined;
  }
  const plain = s.replace(/_/g, "");
  const value = /^[+-]?0x/i.test(plain) ? parseHexFloat(plain) : Number(plain);
  return Number.isFinite(value) ? value : undefined; // Go's range error
}

/** Whether s is all a float as strconv's readFloat reads one, underscores as underscoreOK allows them. */
function isGoFloat(s: string): boolean {
  let i = 0;
  if (s[i] === "+" || s[i] === "-") {
    i++;
  }
  const hex = i + 2 < s.length && s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X");
  if (hex) {
    i += 2;
  }
  const digit = hex ? /[0-9a-fA-F]/ : /[0-9]/;
  let sawDot = false;
  let sawDigits = false;
  for (; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === "_") {
      continue;
    }
    if (c === "." && !sawDot) {
      sawDot = true;
      continue;
    }
    if (!digit.test(c)) {
      break;
    }
    sawDigits = true;
  }
  if (!sawDigits) {
    return false;
  }
  if (s.charAt(i).toLowerCase() === (hex ? "p" : "e")) {
    i++;
    if (s[i] === "+" || s[i] === "-") {
      i++;
    }
    if (!/[0-9]/.test(s.charAt(i))) {
      return false;
    }
    while (i < s.length && /[0-9_]/.test(s.charAt(i))) {
      i++;
    }
  } else if (hex) {
    return false; // a hexadecimal float needs its exponent
  }
  return i === s.length && (!s.includes("_") || underscoreOK(s));
}

/** strconv's underscoreOK: underscores only between digits, or between a base prefix and a digit. */
function underscoreOK(text: string): boolean {
  const s = text.replace(/^[+-]/, "");
  let saw = "^";
  let i = 0;
  const prefixed = /^0[box]/i.test(s);
  const hex = /^0x/i.test(s);
  if (prefixed) {
    i = 2;
    saw = "0";
  }
  for (; i < s.length; i++) {
    const c = s.charAt(i);
    if (/[0-9]/.test(c) || (hex && /[a-fA-F]/.test(c))) {
      saw = "0";
    } else if (c === "_") {
      if (saw !== "0") {
        return false;
      }
      saw = "_";
    } else if (saw === "_") {
      return false;
    } else {
      saw = "!";
    }
  }
  return saw !== "_";
}

/** A hexadecimal float without underscores, such as "0x1.8p3". */
function parseHexFloat(s: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)$/.exec(s);
  if (m === null) {
    return Number.NaN;
  }
  const [, sign = "", intPart = "", fracPart = "", exp = "0"] = m;
  const mantissa = parseInt(intPart + fracPart, 16) / 16 ** fracPart.length;
  const value = mantissa * 2 ** Number(exp);
  return sign === "-" ? -value : value;
}

/** Go's `time.ParseDuration`, in nanoseconds; undefined for an error. */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    negative = s.startsWith("-");
    s = s.slice(1);
  }
  if (s === "0") {
    return 0n;
  }
  if (s === "") {
    return undefined;
  }
  let d = 0n;
  while (s !== "") {
    const m = /^([0-9]*)(\.([0-9]*))?/.exec(s);
    const whole = m?.[1] ?? "";
    const fraction = m?.[3] ?? "";
    if (whole === "" && fraction === "") {
      return undefined; // no digits, as in ".s", or no number at all
    }
    s = s.slice(m?.[0].length ?? 0);
    const unitText = /^[^0-9.]+/.exec(s)?.[0];
    const unit = unitText === undefined ? undefined : units[unitText];
    if (unitText === undefined || unit === undefined) {
      return undefined;
    }
    s = s.slice(unitText.length);
    const v = leadingInt(whole);
    if (v === undefined || v > maxUint63 / unit) {
      return undefined;
    }
    let part = v * unit;
    const [f, scale] = leadingFraction(fraction);
    if (f > 0n) {
      // As Go: in float64, for fractions of hours to the nanosecond.
      part += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (part > maxUint63) {
        return undefined;
      }
    }
    d += part;
    if (d > maxUint63) {
      return undefined;
    }
  }
  if (negative) {
    return -d;
  }
  return d > maxInt64 ? undefined : d;
}

/** The integer of a run of digits, or undefined past Go's uint64 limit of 1<<63. */
function leadingInt(digits: string): bigint | undefined {
  let x = 0n;
  for (const c of digits) {
    if (x > maxUint63 / 10n) {
      return undefined;
    }
    x = x * 10n + BigInt(c);
    if (x > maxUint63) {
      return undefined;
    }
  }
  return x;
}

/** The digits of a fraction as Go reads them: up to the int64 limit, and the power of ten they scale by. */
function leadingFraction(digits: string): [bigint, number] {
  let x = 0n;
  let scale = 1;
  for (const c of digits) {
    if (x > maxInt64 / 10n) {
      break; // Go reads on but keeps nothing more
    }
    const y = x * 10n + BigInt(c);
    if (y > maxUint63) {
      break;
    }
    x = y;
    scale *= 10;
  }
  return [x, scale];
}
