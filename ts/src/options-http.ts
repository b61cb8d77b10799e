/**
 * The options of instrumentHTTP, new Client, Client.configure and
 * headers: go/tracing/options.go and optiondecoders.go, rule for rule.
 *
 * @packageDocumentation
 */
import type { Options, TraceIdFormat } from "k6/x/tracing";
import { describe, isNullish, isPlainObject, quoteAll } from "./describe.js";
import { baggageHeader, baggageKeyError, maxTraceStateMembers, traceStateHeader, traceStateMemberError } from "./members.js";
import { decodeBool, decodeChoice, namesOf } from "./decoders.js";
import { decodeSpans } from "./options-spans.js";
import type { Problems } from "./problems.js";
import { carriesBaggage, decodePropagator, propagatorList, propagatorString } from "./propagators.js";

/** The keys an options object may have: those of {@link Options}, in the module's order. */
export const optionNames: readonly string[] = namesOf<keyof Options>({
  propagator: true,
  sampling: true,
  tracestate: true,
  baggage: true,
  k6Baggage: true,
  traceIdFormat: true,
  spans: true,
  traceScope: true,
});

const traceIdFormats = namesOf<TraceIdFormat>({ k6: true, random: true, xray: true });
const traceScopes = namesOf<NonNullable<Options["traceScope"]>>({ request: true, iteration: true });

const allowedOptions = 'allowed: an object such as { propagator: "w3c", sampling: 1 }, or nothing for the defaults';
const allowedSampling = "allowed: a number from 0 to 1, or null for 1";
const allowedTraceState =
  'allowed: an object of at most 32 tracestate members such as { vendor: "value" }; ' +
  "keys are lower-case letters, digits and _-*/ (a tenant@system form is allowed), " +
  'values are printable ASCII without "," and "=" that do not end in a space';
const allowedBaggage =
  'allowed: true for the k6 members, or an object of baggage members such as { tenant: "acme" }, ' +
  "whose keys are HTTP tokens and whose values are strings";

type Members = [string, string][];

/**
 * The options as the module decodes them, before the checks across
 * options. A field is undefined where its option has a problem.
 */
export interface DecodedOptions {
  propagator: string[] | undefined;
  sampling: number | undefined;
  tracestate: Members | undefined;
  /** null for no members. */
  baggage: Members | null | undefined;
  k6Baggage: boolean | undefined;
  traceIdFormat: TraceIdFormat | undefined;
  traceIdFormatSet: boolean;
  spans: boolean | undefined;
  traceScope: NonNullable<Options["traceScope"]> | undefined;
}

/**
 * Decodes an options argument, adding every problem. `notObject` is the
 * message for an argument that is not an object (instrumentBrowser has
 * its own).
 */
export function decodeOptions(v: unknown, problems: Problems, notObject = allowedOptions): DecodedOptions {
  const d: DecodedOptions = {
    propagator: ["w3c"],
    sampling: 1,
    tracestate: [],
    baggage: null,
    k6Baggage: false,
    traceIdFormat: "k6",
    traceIdFormatSet: false,
    spans: false,
    traceScope: "request",
  };
  if (isNullish(v)) {
    return d;
  }
  if (!isPlainObject(v)) {
    problems.add("", `invalid options: ${describe(v)} is not an object; ${notObject}`);
    return d;
  }
  for (const key of Object.keys(v)) {
    decodeOption(d, key, v[key], problems);
  }
  return d;
}

function decodeOption(d: DecodedOptions, key: string, value: unknown, problems: Problems): void {
  switch (key) {
    case "propagator":
      d.propagator = decodePropagator(value, problems);
      return;
    case "sampling":
      d.sampling = decodeSampling(value, problems);
      return;
    case "tracestate":
      d.tracestate = decodeTraceState(value, problems);
      return;
    case "baggage":
      decodeBaggage(d, value, problems);
      return;
    case "k6Baggage":
      d.k6Baggage = decodeBool("k6Baggage", value, problems);
      return;
    case "traceIdFormat":
      d.traceIdFormat = decodeChoice("traceIdFormat", value, traceIdFormats, problems, {
        fallback: "k6",
        what: "a trace-id format",
        allowed: quoteAll(traceIdFormats),
      });
      d.traceIdFormatSet = !isNullish(value); // null means the default, which an xray propagator changes
      return;
    case "spans":
      d.spans = decodeSpans(value, problems);
      return;
    case "traceScope":
      d.traceScope = decodeChoice("traceScope", value, traceScopes, problems, {
        fallback: "request",
        what: "a trace scope",
        allowed: '"request" (a trace per request) or "iteration" (one trace per VU iteration)',
      });
      return;
    default:
      problems.unknown(key, optionNames);
  }
}

function decodeSampling(v: unknown, problems: Problems): number | undefined {
  if (isNullish(v)) {
    return 1;
  }
  if (typeof v !== "number") {
    problems.invalid("sampling", `${describe(v)} is not a number; ${allowedSampling}`);
    return undefined;
  }
  if (Number.isNaN(v) || v < 0 || v > 1) {
    problems.invalid("sampling", `${describe(v)} is out of range; ${allowedSampling}`);
    return undefined;
  }
  return v;
}

function decodeTraceState(v: unknown, problems: Problems): Members | undefined {
  if (isNullish(v)) {
    return [];
  }
  if (!isPlainObject(v)) {
    problems.invalid("tracestate", `${describe(v)} is not an object; ${allowedTraceState}`);
    return undefined;
  }
  const before = problems.size;
  const keys = Object.keys(v);
  if (keys.length > maxTraceStateMembers) {
    problems.invalid("tracestate", `${keys.length} members are more than ${maxTraceStateMembers}; ${allowedTraceState}`);
  }
  const members: Members = [];
  // The module sets the members last to first (each set moves its key to
  // the front), so it meets the last bad member first: so do the problems.
  for (const key of keys.slice().reverse()) {
    const value = v[key];
    if (typeof value !== "string") {
      problems.invalid(`tracestate.${key}`, `${describe(value)} is not a string; ${allowedTraceState}`);
      continue;
    }
    const error = traceStateMemberError(key, value);
    if (error !== undefined) {
      problems.invalid(`tracestate.${key}`, error, '"tracestate"');
      continue;
    }
    members.unshift([key, value]);
  }
  return problems.size === before ? members : undefined;
}

/** The baggage option: a boolean turns the k6 members on or off, an object gives members. */
function decodeBaggage(d: DecodedOptions, v: unknown, problems: Problems): void {
  if (isNullish(v)) {
    d.baggage = null;
    return;
  }
  if (typeof v === "boolean") {
    d.baggage = null;
    d.k6Baggage = v;
    return;
  }
  if (!isPlainObject(v)) {
    problems.invalid("baggage", `${describe(v)} is not a boolean or an object; ${allowedBaggage}`);
    d.baggage = undefined;
    return;
  }
  const before = problems.size;
  const members: Members = [];
  for (const key of Object.keys(v)) {
    const value = v[key];
    if (typeof value !== "string") {
      problems.invalid(`baggage.${key}`, `${describe(value)} is not a string; ${allowedBaggage}`);
      continue;
    }
    const error = baggageKeyError(key);
    if (error !== undefined) {
      problems.invalid(`baggage.${key}`, error, '"baggage"');
      continue;
    }
    members.push([key, value]);
  }
  d.baggage = problems.size !== before ? undefined : members.length > 0 ? members : null;
}

/**
 * The options as the module resolves them (with `OTEL_PROPAGATORS`
 * unset): the fields of the option table's `want`.
 */
export interface ResolvedOptions {
  /**
   * The formats sent, in order, joined by commas: aliases resolved,
   * duplicates dropped, `baggage` added when baggage is asked for and no
   * listed format carries it; `"none"` for none.
   */
  readonly propagator: string;
  /** The probability that a new trace is sampled. */
  readonly sampling: number;
  /** The tracestate header of new traces; `""` for none. */
  readonly tracestate: string;
  /** The header of the static baggage members, percent-encoded; `""` for none. */
  readonly baggage: string;
  /** Whether the k6 baggage members are added. */
  readonly k6Baggage: boolean;
  /** How new trace ids are made. */
  readonly traceIdFormat: TraceIdFormat;
}

/**
 * Checks the options against each other (go/tracing resolveOptions) and
 * fills in the defaults that depend on others. Each check runs only when
 * the options it reads are valid. Returns the resolution when nothing is
 * wrong.
 */
export function resolveDecoded(d: DecodedOptions, problems: Problems): ResolvedOptions | undefined {
  let traceIdFormat = d.traceIdFormat;
  const p = d.propagator;
  if (p !== undefined) {
    if (d.tracestate !== undefined && d.tracestate.length > 0 && !p.includes("w3c")) {
      problems.invalid(
        "tracestate",
        `tracestate is sent with traceparent, but propagator is "${propagatorString(p)}"; allowed: a propagator list that includes "w3c"`,
      );
    }
    if (!d.traceIdFormatSet && p.includes("xray")) {
      traceIdFormat = "xray";
    } else if (p.includes("xray") && traceIdFormat !== undefined && traceIdFormat !== "xray") {
      problems.invalid(
        "traceIdFormat",
        `"${traceIdFormat}" cannot be used with the "xray" propagator, because X-Ray requires trace ids ` +
          'that start with the current time in seconds; allowed: "xray"',
      );
    }
  }
  if (
    problems.size > 0 ||
    p === undefined ||
    d.sampling === undefined ||
    d.tracestate === undefined ||
    d.baggage === undefined ||
    d.k6Baggage === undefined ||
    traceIdFormat === undefined
  ) {
    return undefined;
  }
  const withBaggage = (d.baggage !== null || d.k6Baggage) && !carriesBaggage(p) ? propagatorList([...p, "baggage"]) : p;
  return {
    propagator: propagatorString(withBaggage),
    sampling: d.sampling,
    tracestate: traceStateHeader(d.tracestate),
    baggage: d.baggage === null ? "" : baggageHeader(d.baggage),
    k6Baggage: d.k6Baggage,
    traceIdFormat,
  };
}
