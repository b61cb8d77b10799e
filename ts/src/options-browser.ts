/**
 * The options of instrumentBrowser (go/tracing/browseroptions.go and
 * propagateto.go): every HTTP option but `spans`, plus `mode`,
 * `propagateTo` and the page's own `traceScope`.
 *
 * @packageDocumentation
 */
import { decodeChoice } from "./decoders.js";
import { describe, goQuote, goToLower, isNullish, isPlainObject } from "./describe.js";
import { decodeOptions, optionNames, resolveOptions, type Resolution } from "./options-http.js";
import type { Problems } from "./problems.js";

/** The keys instrumentBrowser accepts. */
export const browserOptionNames: readonly string[] = [
  ...optionNames.filter((n) => n !== "spans" && n !== "traceScope"),
  "mode",
  "propagateTo",
  "traceScope",
];

const notObject =
  'allowed: an object such as { propagator: "w3c", propagateTo: ["https://api.example.com"] }, or nothing for the defaults';
const allowedPropagateTo =
  'allowed: an origin such as "https://api.example.com", a URL prefix such as ' +
  '"https://api.example.com/v1/", either with "*" for any characters but "/" ("https://*.example.com"), ' +
  '"*" for every origin, a RegExp tested against the whole URL, or an array of these';

/** The browser options as the module resolves them. */
export interface BrowserResolution extends Resolution {
  mode: string;
  traceScope: string;
  propagateTo: PropagateTo;
}

/**
 * Decodes instrumentBrowser's options as the module does: the browser's
 * own keys first, then the others as HTTP options, then the checks across
 * them. Adds every problem; returns the resolution when there is none.
 */
export function decodeBrowserOptions(v: unknown, problems: Problems): BrowserResolution | undefined {
  let mode: string | undefined = "route";
  let traceScope: string | undefined = "page";
  let propagateTo: PropagateTo = { all: false, origins: [], prefixes: [], regexps: [] };
  const rest: Record<string, unknown> = {};
  if (!isNullish(v)) {
    if (!isPlainObject(v)) {
      problems.add("", `invalid options: ${describe(v)} is not an object; ${notObject}`);
      return undefined;
    }
    for (const key of Object.keys(v)) {
      const value = v[key];
      switch (key) {
        case "mode":
          mode = decodeChoice("mode", value, ["route", "static"], problems, {
            fallback: "route",
            what: "a mode",
            allowed: '"route" (a span per request, page.route) or "static" (one span per page, page.setExtraHTTPHeaders)',
          });
          break;
        case "propagateTo":
          propagateTo = decodePropagateTo(value, problems);
          break;
        case "traceScope":
          traceScope = decodeChoice("traceScope", value, ["page", "iteration"], problems, {
            fallback: "page",
            what: "a trace scope",
            allowed: '"page" (a trace per page) or "iteration" (one trace for the pages of a VU iteration)',
          });
          if (traceScope === "iteration") {
            rest[key] = "iteration";
          }
          break;
        case "spans":
          if (!isNullish(value) && value !== false) {
            problems.invalid("spans", "instrumentBrowser exports no spans yet; allowed: the option on instrumentHTTP or a Client");
          }
          break;
        default:
          if (optionNames.includes(key)) {
            rest[key] = value;
          } else {
            problems.unknown(key, browserOptionNames);
          }
      }
    }
  }
  const resolution = resolveOptions(decodeOptions(rest, problems), problems);
  const patterns = propagateTo.origins.length + propagateTo.prefixes.length + propagateTo.regexps.length;
  if (mode === "static" && (propagateTo.all || patterns > 0)) {
    problems.invalid(
      "propagateTo",
      "static mode sends its headers to every origin, because page.setExtraHTTPHeaders cannot tell origins apart; " +
        'allowed: mode "route" with propagateTo, or static mode without it',
    );
  }
  if (resolution === undefined || mode === undefined || traceScope === undefined || problems.size > 0) {
    return undefined;
  }
  return { ...resolution, mode, traceScope, propagateTo };
}

/** The patterns of propagateTo, as the module keeps them. */
export interface PropagateTo {
  /** `"*"` was given: every URL. */
  all: boolean;
  /** Origins (lower case, without a default port), `*` matching any characters but "/". */
  origins: string[];
  /** URL prefixes (origin in lower case, path as given), `*` matching any characters but "/". */
  prefixes: string[];
  /** The RegExps, tested against the whole URL. */
  regexps: RegExp[];
}

/** Decodes propagateTo, adding its problems. */
function decodePropagateTo(v: unknown, problems: Problems): PropagateTo {
  const to: PropagateTo = { all: false, origins: [], prefixes: [], regexps: [] };
  if (isNullish(v)) {
    return to;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      addPattern(to, v[i], `propagateTo[${i}]`, problems);
    }
    return to;
  }
  addPattern(to, v, "propagateTo", problems);
  return to;
}

function addPattern(to: PropagateTo, v: unknown, path: string, problems: Problems): void {
  if (v instanceof RegExp) {
    if (typeof v.test !== "function") {
      problems.invalid(path, `the RegExp has no test method; ${allowedPropagateTo}`);
      return;
    }
    to.regexps.push(v);
    return;
  }
  if (typeof v !== "string") {
    problems.invalid(path, `${describe(v)} is not a string or a RegExp; ${allowedPropagateTo}`);
    return;
  }
  if (v === "*") {
    to.all = true;
    return;
  }
  const sep = v.indexOf("://");
  const scheme = sep < 0 ? "" : v.slice(0, sep);
  const rest = sep < 0 ? "" : v.slice(sep + 3);
  if (sep < 0 || scheme === "" || rest === "" || rest.startsWith("/")) {
    const example = sep < 0 && v !== "" ? `https://${v}` : "https://api.example.com";
    problems.invalid(
      path,
      `${goQuote(v)} is not an origin or URL prefix: it needs a scheme and a host, as in ${goQuote(example)}; ${allowedPropagateTo}`,
    );
    return;
  }
  const slash = rest.indexOf("/");
  const host = slash < 0 ? rest : rest.slice(0, slash);
  const pathPart = slash < 0 ? "" : rest.slice(slash + 1);
  const origin = trimDefaultPort(`${goToLower(scheme)}://${goToLower(host)}`);
  if (pathPart === "") {
    to.origins.push(origin);
  } else {
    to.prefixes.push(`${origin}/${pathPart}`);
  }
}

/** An origin as browsers write it: without ":80" for http, ":443" for https. */
function trimDefaultPort(origin: string): string {
  if (origin.startsWith("http://") && origin.endsWith(":80")) {
    return origin.slice(0, -3);
  }
  if (origin.startsWith("https://") && origin.endsWith(":443")) {
    return origin.slice(0, -4);
  }
  return origin;
}
