/**
 * The options of instrumentBrowser (go/options/browser.go and
 * origins.go): every HTTP option, `spans` included, plus `mode`,
 * `propagateTo` and the page's own `traceScope`.
 *
 * @packageDocumentation
 */
import type { BrowserOptions } from "k6/x/tracing";
import { decodeChoice, namesOf } from "./decoders.js";
import { describe, goQuote, isNullish, isPlainObject } from "./describe.js";
import { goToLower } from "./gostrings.js";
import { decodeOptions, optionNames, resolveDecoded, type ResolvedOptions } from "./options-http.js";
import type { Problems } from "./problems.js";

type Mode = NonNullable<BrowserOptions["mode"]>;
type PageScope = NonNullable<BrowserOptions["traceScope"]>;

/** The keys instrumentBrowser accepts: those of {@link BrowserOptions}, in the module's order. */
const browserOptionNames: readonly string[] = namesOf<keyof BrowserOptions>({
  propagator: true,
  sampling: true,
  tracestate: true,
  baggage: true,
  k6Baggage: true,
  traceIdFormat: true,
  spans: true,
  mode: true,
  propagateTo: true,
  traceScope: true,
});
const modes = namesOf<Mode>({ route: true, static: true, fetch: true });
const pageScopes = namesOf<PageScope>({ page: true, iteration: true });

const notObject =
  'allowed: an object such as { propagator: "w3c", propagateTo: ["https://api.example.com"] }, or nothing for the defaults';
const allowedPropagateTo =
  'allowed: an origin such as "https://api.example.com", a URL prefix such as ' +
  '"https://api.example.com/v1/", either with "*" for any characters but "/" ("https://*.example.com"), ' +
  '"*" for every origin, a RegExp tested against the whole URL, or an array of these';

/** {@link ResolvedOptions} of instrumentBrowser. */
export interface ResolvedBrowserOptions extends ResolvedOptions {
  readonly mode: Mode;
  readonly traceScope: PageScope;
  /** The cross-origin URLs that may receive trace headers, besides the page's own origin. */
  readonly propagateTo: PropagateTo;
}

/** The patterns of propagateTo, as the module keeps them. */
export interface PropagateTo {
  /** `"*"` was given: every URL. */
  readonly all: boolean;
  /** Origins, in lower case without a default port; `*` matches any characters but "/". */
  readonly origins: readonly string[];
  /** URL prefixes, the origin in lower case, the path as given; `*` matches any characters but "/". */
  readonly prefixes: readonly string[];
  /** The RegExps given, tested against the whole URL. */
  readonly regexps: readonly RegExp[];
}

/** {@link PropagateTo} while it is decoded: its lists open to push. */
type Patterns = { -readonly [K in keyof PropagateTo]: PropagateTo[K] extends readonly (infer E)[] ? E[] : PropagateTo[K] };

/**
 * Decodes instrumentBrowser's options as the module does: the browser's
 * own keys first, then the others as HTTP options, then the checks across
 * them. Adds every problem; returns the resolution when there is none.
 */
export function decodeBrowserOptions(v: unknown, problems: Problems): ResolvedBrowserOptions | undefined {
  let mode: Mode | undefined = "route";
  let traceScope: PageScope | undefined = "page";
  let propagateTo: Patterns = { all: false, origins: [], prefixes: [], regexps: [] };
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
          mode = decodeChoice("mode", value, modes, problems, {
            fallback: "route",
            what: "a mode",
            allowed:
              '"route" (a span per request, page.route), "static" (one span per page, page.setExtraHTTPHeaders) ' +
              'or "fetch" (a span per fetch and XHR call, from inside the page)',
          });
          break;
        case "propagateTo":
          propagateTo = decodePropagateTo(value, problems);
          break;
        case "traceScope":
          traceScope = decodeChoice("traceScope", value, pageScopes, problems, {
            fallback: "page",
            what: "a trace scope",
            allowed: '"page" (a trace per page) or "iteration" (one trace for the pages of a VU iteration)',
          });
          if (traceScope === "iteration") {
            rest[key] = "iteration";
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
  const resolution = resolveDecoded(decodeOptions(rest, problems), problems);
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

/** Decodes propagateTo, adding its problems. */
function decodePropagateTo(v: unknown, problems: Problems): Patterns {
  const to: Patterns = { all: false, origins: [], prefixes: [], regexps: [] };
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

function addPattern(to: Patterns, v: unknown, path: string, problems: Problems): void {
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
