/**
 * The `spans` option (go/tracing/spansoptions.go), without what depends
 * on the OTEL_* variables of the run.
 *
 * @packageDocumentation
 */
import type { SpansOptions } from "k6/x/tracing";
import { decodeBool, namesOf } from "./decoders.js";
import { describe, goQuote, isNullish, isPlainObject, quoteAll } from "./describe.js";
import { isPositiveDuration } from "./duration.js";
import { isHTTPURLWithHost } from "./endpoint.js";
import { goTrimSpace } from "./gostrings.js";
import type { Problems } from "./problems.js";

/** The keys of an object given as the spans option: those of {@link SpansOptions}, as paths. */
const spansOptionNames: readonly string[] = namesOf<keyof SpansOptions>({
  endpoint: true,
  protocol: true,
  headers: true,
  insecure: true,
  serviceName: true,
  queueSize: true,
  flushTimeout: true,
  concurrentExports: true,
}).map((name) => `spans.${name}`);

const protocols = namesOf<NonNullable<SpansOptions["protocol"]>>({ "http/protobuf": true, grpc: true });

const allowedSpans =
  "allowed: true (OTLP to the OTEL_EXPORTER_OTLP_* endpoint, by default http://localhost:4318), " +
  'false, or an object such as { endpoint: "http://localhost:4318", protocol: "http/protobuf" }';

/**
 * Decodes the spans option, adding every problem. Returns whether spans
 * are on, or undefined when the option has a problem.
 */
export function decodeSpans(v: unknown, problems: Problems): boolean | undefined {
  if (isNullish(v)) {
    return false;
  }
  if (typeof v === "boolean") {
    return v;
  }
  if (!isPlainObject(v)) {
    problems.invalid("spans", `${describe(v)} is not a boolean or an object; ${allowedSpans}`);
    return undefined;
  }
  const before = problems.size;
  let endpoint: string | undefined;
  let insecure = false;
  for (const key of Object.keys(v)) {
    const value = v[key];
    const path = `spans.${key}`;
    if (isNullish(value) && spansOptionNames.includes(path)) {
      continue; // null and undefined mean the default, as at the top level
    }
    switch (key) {
      case "endpoint":
        endpoint = decodeString(path, value, 'a URL such as "http://localhost:4318", or host:port', problems);
        break;
      case "protocol":
        decodeProtocol(value, problems);
        break;
      case "headers":
        decodeStringMap(path, value, problems);
        break;
      case "insecure":
        insecure = decodeBool(path, value, problems) ?? false;
        break;
      case "serviceName":
        decodeString(path, value, 'a name such as "k6"', problems);
        break;
      case "queueSize":
        decodeCount(path, value, 2147483647, "2048", problems);
        break;
      case "concurrentExports":
        decodeCount(path, value, 64, "4", problems);
        break;
      case "flushTimeout":
        if (!isPositiveDuration(value)) {
          problems.invalid(
            path,
            `${describe(value)} is not a positive duration; allowed: a string such as "5s" or "500ms", or a number of milliseconds`,
          );
        }
        break;
      default:
        problems.unknown(path, spansOptionNames);
    }
  }
  if (endpoint !== undefined) {
    checkEndpoint(endpoint, insecure, problems);
  }
  return problems.size === before ? true : undefined;
}

/**
 * spans.endpoint: `host:port` (https unless insecure), a base URL or the
 * traces URL, which must be an http:// or https:// URL with a host.
 */
function checkEndpoint(endpoint: string, insecure: boolean, problems: Problems): void {
  const url = endpoint.includes("://") ? endpoint : `${insecure ? "http" : "https"}://${endpoint}`;
  if (!isHTTPURLWithHost(url)) {
    problems.invalid(
      "spans.endpoint",
      `${goQuote(endpoint)} is not an http:// or https:// URL with a host, such as "http://localhost:4318"`,
    );
  }
}

function decodeProtocol(v: unknown, problems: Problems): void {
  const allowed = `allowed: ${quoteAll(protocols)}`;
  if (typeof v !== "string") {
    problems.invalid("spans.protocol", `${describe(v)} is not a string; ${allowed}`);
    return;
  }
  if ((protocols as readonly string[]).includes(v)) {
    return;
  }
  const detail =
    v === "http/json" ? '"http/json" is not supported by the OpenTelemetry Go exporter' : `${goQuote(v)} is not an OTLP protocol`;
  problems.invalid("spans.protocol", `${detail}; ${allowed}`);
}

/** A string that is not blank, spaces around removed; allowed says what the option takes. */
function decodeString(path: string, v: unknown, allowed: string, problems: Problems): string | undefined {
  if (typeof v !== "string") {
    problems.invalid(path, `${describe(v)} is not a string; allowed: ${allowed}`);
    return undefined;
  }
  const s = goTrimSpace(v);
  if (s === "") {
    problems.invalid(path, `${goQuote(v)} is blank; allowed: ${allowed}`);
    return undefined;
  }
  return s;
}

const allowedHeaders = 'allowed: an object of strings such as { authorization: "Bearer ..." }';

function decodeStringMap(path: string, v: unknown, problems: Problems): void {
  if (!isPlainObject(v)) {
    problems.invalid(path, `${describe(v)} is not an object; ${allowedHeaders}`);
    return;
  }
  for (const key of Object.keys(v)) {
    const value = v[key];
    if (typeof value !== "string") {
      problems.invalid(`${path}.${key}`, `${describe(value)} is not a string; ${allowedHeaders}`);
    }
  }
}

/** A whole number from 1 to most, as Go's decodeCount reads it; example is one. */
function decodeCount(path: string, value: unknown, most: number, example: string, problems: Problems): void {
  if (typeof value !== "number" || !(value >= 1 && value <= most && Number.isInteger(value))) {
    problems.invalid(path, `${describe(value)} is not a whole number from 1 to ${most}; allowed: a count such as ${example}`);
  }
}
