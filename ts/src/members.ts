/**
 * The grammar of tracestate and baggage members (W3C Trace Context and
 * Baggage), as go/propagation checks and writes them.
 *
 * @packageDocumentation
 */
import { goQuote } from "./describe.js";
import { utf8Bytes } from "./gostrings.js";

/** The most members a tracestate may have. */
export const maxTraceStateMembers = 32;

const traceStateKeyRule =
  "want a lower-case letter then up to 255 of a-z 0-9 _ - * /, " +
  "or tenant@system (tenant: a-z or 0-9 then up to 240 more; system: a-z then up to 13 more)";
const traceStateValueRule = 'want 1 to 256 printable ASCII characters (0x20-0x7E) without "," or "=", not ending in a space';
const baggageKeyRule = "want an RFC 7230 token: letters, digits and !#$%&'*+-.^_`|~";

/** The error of a tracestate member that the grammar refuses, or undefined. */
export function traceStateMemberError(key: string, value: string): string | undefined {
  if (!validTraceStateKey(key)) {
    return `invalid tracestate key ${goQuote(key)}: ${traceStateKeyRule}`;
  }
  if (!validTraceStateValue(value)) {
    return `invalid tracestate value ${goQuote(value)}: ${traceStateValueRule}`;
  }
  return undefined;
}

/** The error of a baggage key that is not a token, or undefined. */
export function baggageKeyError(key: string): string | undefined {
  return isToken(key) ? undefined : `invalid baggage key ${goQuote(key)}: ${baggageKeyRule}`;
}

function validTraceStateKey(key: string): boolean {
  const at = key.indexOf("@");
  if (at < 0) {
    return validKeyPart(key, 256, false);
  }
  return validKeyPart(key.slice(0, at), 241, true) && validKeyPart(key.slice(at + 1), 14, false);
}

function validKeyPart(s: string, maxLength: number, digitFirst: boolean): boolean {
  if (s === "" || s.length > maxLength) {
    return false;
  }
  const first = s.charCodeAt(0);
  if (!isLowerLetter(first) && !(digitFirst && isDigit(first))) {
    return false;
  }
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isLowerLetter(c) && !isDigit(c) && !"_-*/".includes(s.charAt(i))) {
      return false;
    }
  }
  return true;
}

function validTraceStateValue(v: string): boolean {
  if (v === "" || v.length > 256 || v.endsWith(" ")) {
    return false;
  }
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x2c || c === 0x3d) {
      return false;
    }
  }
  return true;
}

function isToken(s: string): boolean {
  return /^[0-9A-Za-z!#$%&'*+\-.^_`|~]+$/.test(s);
}

function isLowerLetter(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** The tracestate header of members in order, as the module sends it. */
export function traceStateHeader(members: readonly (readonly [string, string])[]): string {
  return members.map(([k, v]) => `${k}=${v}`).join(",");
}

/**
 * The baggage header of members in order, as the module sends it: values
 * percent-encoded, within 64 members and 8192 bytes (a member that does
 * not fit is left out whole).
 */
export function baggageHeader(members: readonly (readonly [string, string])[]): string {
  const parts: string[] = [];
  let size = 0;
  for (const [key, value] of members) {
    if (parts.length === 64) {
      break;
    }
    const part = `${key}=${percentEncode(value)}`;
    const n = part.length + (parts.length > 0 ? 1 : 0);
    if (size + n > 8192) {
      continue;
    }
    size += n;
    parts.push(part);
  }
  return parts.join(",");
}

/** Percent-encodes every byte outside the W3C baggage-octet set, and "%". */
function percentEncode(value: string): string {
  let out = "";
  for (const b of utf8Bytes(value)) {
    const octet = b >= 0x21 && b <= 0x7e && b !== 0x22 && b !== 0x2c && b !== 0x3b && b !== 0x5c && b !== 0x25;
    out += octet ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
