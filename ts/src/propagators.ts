/**
 * Propagator names: the formats of go/propagation/format.go and the
 * `propagator` option's rules (go/tracing/optiondecoders.go).
 *
 * @packageDocumentation
 */
import type { Propagator } from "k6/x/tracing";
import { describe, goQuote, quoteAll } from "./describe.js";
import { goToLower, goTrimSpace } from "./gostrings.js";
import type { Problems } from "./problems.js";
import { suggest } from "./suggest.js";

/**
 * Every accepted name and the format it names: ours, and OpenTelemetry's
 * as aliases. The names are those of the declared {@link Propagator}.
 */
const formatNames: Readonly<Record<Propagator, Propagator>> = {
  w3c: "w3c",
  tracecontext: "w3c",
  baggage: "baggage",
  jaeger: "jaeger",
  b3: "b3",
  b3multi: "b3multi",
  ot: "ot",
  ottrace: "ot",
  xray: "xray",
  "xray-lambda": "xray",
  datadog: "datadog",
  gcp: "gcp",
  none: "none",
};

/** Every accepted name, sorted. */
const names = (Object.keys(formatNames) as Propagator[]).sort();

/** The formats that carry baggage members themselves. */
const baggageFormats: readonly string[] = ["baggage", "jaeger", "ot"];

/** The allowed-values part of every propagator error. */
const allowedPropagators =
  `allowed: a name or an array of names from ${quoteAll(names.filter((n) => formatNames[n] === n))} ` +
  `(OpenTelemetry's ${quoteAll(names.filter((n) => formatNames[n] !== n))} are aliases)`;

/** The format a name names (case-insensitive, spaces around ignored), or undefined. */
function parseFormat(name: string): Propagator | undefined {
  const key = goToLower(goTrimSpace(name));
  return isPropagator(key) ? formatNames[key] : undefined;
}

function isPropagator(name: string): name is Propagator {
  return Object.prototype.hasOwnProperty.call(formatNames, name);
}

/**
 * A list of formats as the module keeps it: in order, each once, without
 * `none` (a list of only `none` sends no trace headers).
 */
export function propagatorList(formats: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of formats) {
    if (f !== "none" && !out.includes(f)) {
      out.push(f);
    }
  }
  return out;
}

/** The formats joined by commas, as the module names a propagator: "none" for none. */
export function propagatorString(formats: readonly string[]): string {
  return formats.length === 0 ? "none" : formats.join(",");
}

/** Whether one of the formats writes baggage members. */
export function carriesBaggage(formats: readonly string[]): boolean {
  return formats.some((f) => baggageFormats.includes(f));
}

/**
 * Decodes the `propagator` option: a name or a non-empty array of names.
 * Returns the formats, or undefined after adding the problems.
 */
export function decodePropagator(v: unknown, problems: Problems): string[] | undefined {
  if (Array.isArray(v)) {
    if (v.length === 0) {
      problems.invalid("propagator", `an empty array names no propagator; ${allowedPropagators}, or "none" to send no trace headers`);
      return undefined;
    }
    const before = problems.size;
    const formats: string[] = [];
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      const path = `propagator[${i}]`;
      if (typeof item !== "string") {
        problems.invalid(path, `${describe(item)} is not a string; ${allowedPropagators}`);
        continue;
      }
      const f = parseName(item, path, problems);
      if (f === "none" && v.length > 1) {
        problems.invalid(path, `"none" cannot be combined with other propagators; ${allowedPropagators}`);
      } else if (f !== undefined) {
        formats.push(f);
      }
    }
    return problems.size === before ? propagatorList(formats) : undefined;
  }
  if (typeof v !== "string") {
    problems.invalid("propagator", `${describe(v)} is not a string or an array; ${allowedPropagators}`);
    return undefined;
  }
  const f = parseName(v, "propagator", problems);
  return f === undefined ? undefined : propagatorList([f]);
}

function parseName(name: string, path: string, problems: Problems): string | undefined {
  const f = parseFormat(name);
  if (f === undefined) {
    const hint = suggest(goTrimSpace(name), names);
    const mean = hint === undefined ? "" : ` (did you mean ${goQuote(hint)}?)`;
    problems.add(path, `invalid option "${path}": ${goQuote(name)} is not a known propagator${mean}; ${allowedPropagators}`, hint);
  }
  return f;
}
