/**
 * k6 durations as the Go module reads `spans.flushTimeout`: k6's
 * `types.ParseExtendedDuration` (a number of milliseconds, Go's
 * `time.ParseDuration`, or days with a `d`), or a number of milliseconds.
 *
 * Go computes in 64-bit integers; this module in doubles, which agree
 * everywhere but within rounding of the int64 limit (292 years).
 *
 * @packageDocumentation
 */

const maxInt64 = 2 ** 63;

const units: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  "\u00b5s": 1e3,
  "\u03bcs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Whether the module takes v as a positive duration. */
export function isPositiveDuration(v: unknown): boolean {
  if (typeof v === "number") {
    return fromMilliseconds(v) > 0;
  }
  if (typeof v === "string") {
    const ns = parseExtendedDuration(v);
    return ns !== undefined && ns > 0;
  }
  return false;
}

/** Milliseconds as Go's `time.Duration(ms * 1e6)`: truncated; -1 where Go's conversion overflows. */
function fromMilliseconds(ms: number): number {
  const ns = ms * 1e6;
  return Number.isFinite(ns) && Math.abs(ns) < maxInt64 ? Math.trunc(ns) : -1;
}

/** k6's `ParseExtendedDuration`, in nanoseconds; undefined for an error. */
export function parseExtendedDuration(s: string): number | undefined {
  const ms = parseGoFloat(s);
  if (ms !== undefined) {
    return fromMilliseconds(ms);
  }
  const d = s.indexOf("d");
  if (d < 0) {
    return parseGoDuration(s);
  }
  let hours = 0;
  if (d + 1 < s.length) {
    const h = parseGoDuration(s.slice(d + 1));
    if (h === undefined || h < 0) {
      return undefined;
    }
    hours = h;
  }
  const dayText = s.slice(0, d);
  if (!/^[+-]?[0-9]+$/.test(dayText)) {
    return undefined;
  }
  const days = Number(dayText);
  if (Math.abs(days) >= maxInt64) {
    return undefined;
  }
  return days * 24 * 3600e9 + (days < 0 ? -hours : hours);
}

/** Go's `strconv.ParseFloat(s, 64)`: undefined where it fails (syntax, or out of range). */
function parseGoFloat(s: string): number | undefined {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special !== null) {
    const sign = special[1] === "-" ? -1 : 1;
    return (special[2] ?? "").toLowerCase() === "nan" ? Number.NaN : sign * Infinity;
  }
  let value: number;
  if (/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) {
    value = Number(s);
  } else if (/^[+-]?0[xX]([0-9a-fA-F_]*\.?[0-9a-fA-F_]*)[pP][+-]?[0-9_]+$/.test(s)) {
    value = parseHexFloat(s);
  } else {
    return undefined;
  }
  return Number.isFinite(value) || Number.isNaN(value) ? value : undefined;
}

function parseHexFloat(s: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F_]*)\.?([0-9a-fA-F_]*)[pP]([+-]?[0-9_]+)$/.exec(s);
  if (m === null) {
    return Number.NaN;
  }
  const [, sign = "", intPart = "", fracPart = "", exp = "0"] = m;
  const digits = (intPart + fracPart).replace(/_/g, "");
  if (digits === "") {
    return Number.NaN;
  }
  const mantissa = parseInt(digits, 16) / 16 ** fracPart.replace(/_/g, "").length;
  const value = mantissa * 2 ** Number(exp.replace(/_/g, ""));
  return sign === "-" ? -value : value;
}

/** The digits of a fraction as Go reads them: up to int64's limit, and the power of ten they scale by. */
function leadingFraction(digits: string): [number, number] {
  let f = 0;
  let scale = 1;
  for (const digit of digits) {
    if (f > (maxInt64 - 1) / 10) {
      break;
    }
    f = f * 10 + Number(digit);
    scale *= 10;
  }
  return [f, scale];
}

/** Go's `time.ParseDuration`, in nanoseconds; undefined for an error. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    negative = s.startsWith("-");
    s = s.slice(1);
  }
  if (s === "0") {
    return 0;
  }
  if (s === "") {
    return undefined;
  }
  let total = 0;
  while (s !== "") {
    const m = /^([0-9]*)(\.([0-9]*))?/.exec(s);
    const whole = m?.[1] ?? "";
    const fraction = m?.[3] ?? "";
    const hasDot = m?.[2] !== undefined;
    if (whole === "" && (!hasDot || fraction === "")) {
      return undefined;
    }
    s = s.slice(m?.[0].length ?? 0);
    const unitMatch = /^[^0-9.]+/.exec(s);
    const unit = unitMatch === null ? undefined : units[unitMatch[0]];
    if (unitMatch === null || unit === undefined) {
      return undefined;
    }
    s = s.slice(unitMatch[0].length);
    const v = Number(whole === "" ? "0" : whole);
    if (v > maxInt64 / unit) {
      return undefined;
    }
    let part = v * unit;
    const [f, scale] = leadingFraction(fraction);
    if (f > 0) {
      part += Math.trunc(f * (unit / scale));
    }
    total += part;
    if (total > maxInt64) {
      return undefined;
    }
  }
  if (!negative && total > maxInt64 - 1) {
    return undefined;
  }
  return negative ? -total : total;
}
