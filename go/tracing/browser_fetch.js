// Fetch mode's init script (see browser_fetch.go): it runs in every
// document of the browser before the page's own scripts, and gives each
// fetch() and XMLHttpRequest call to the document's own origin, or to a
// URL propagateTo allows, the trace headers of a span of its own. The
// headers are Go's, made once for the page with a placeholder span id
// ("\u0000h" for its 16 hex digits, "\u0000d" for its decimal value),
// so that every format the module writes is written here too. A call that
// already carries a trace context of those formats (the page's own
// tracing) is left alone, and a header the page set (its own baggage) is
// never replaced. Anything that fails leaves the call as the page made it.
(function (config) {
  "use strict";
  // k6 runs every init script of a context in every page of the browser,
  // oldest first: each script adds its page's configuration (null once
  // that page is closed), the first one with a configuration wraps fetch
  // and XHR, and a call uses the newest, that of the page instrumented
  // last, doing nothing when it is null (see browser_fetch.go).
  const key = Symbol.for("xk6-tracing.fetch");
  let state = window[key];
  if (!state) {
    state = { pages: [], wrapped: false };
    Object.defineProperty(window, key, { value: state });
  }
  state.pages.push(config === null ? null : prepare(config));
  if (config === null || state.wrapped) {
    return;
  }
  state.wrapped = true;

  function prepare(c) {
    return {
      all: c.all,
      headers: c.headers,
      names: new Set(c.names),
      origins: c.origins.map((s) => new RegExp(s)),
      prefixes: c.prefixes.map((s) => new RegExp(s)),
      regexps: c.regexps.map((r) => new RegExp(r.source, r.flags.replace(/[gy]/g, ""))),
    };
  }

  let cfg = null;
  let names = new Set();
  function current() {
    cfg = state.pages[state.pages.length - 1];
    names = cfg ? cfg.names : new Set();
  }

  function allowed(raw) {
    current();
    if (cfg === null) {
      return false; // the newest page in fetch mode is closed
    }
    let url;
    try {
      url = new URL(raw, location.href);
    } catch (e) {
      return false;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return false;
    }
    if (cfg.all || url.origin === location.origin) {
      return true;
    }
    return cfg.origins.some((re) => re.test(url.origin)) || cfg.prefixes.some((re) => re.test(url.href)) ||
      cfg.regexps.some((re) => re.test(url.href));
  }

  const bytes = new Uint8Array(8);
  function spanHeaders() {
    let hex = "";
    do {
      crypto.getRandomValues(bytes);
      hex = "";
      for (const b of bytes) {
        hex += (b < 16 ? "0" : "") + b.toString(16);
      }
    } while (hex === "0000000000000000");
    const dec = BigInt("0x" + hex).toString();
    return cfg.headers.map(([name, value]) => [name, value.split("\u0000h").join(hex).split("\u0000d").join(dec)]);
  }

  function hasOwnContext(headers) {
    for (const name of headers.keys()) {
      if (names.has(name.toLowerCase())) {
        return true;
      }
    }
    return false;
  }

  const fetch = window.fetch;
  if (typeof fetch === "function") {
    window.fetch = function (input, init) {
      let headers;
      try {
        const isRequest = typeof Request === "function" && input instanceof Request;
        if (allowed(isRequest ? input.url : String(input))) {
          headers = new Headers(init && init.headers !== undefined ? init.headers : isRequest ? input.headers : undefined);
          if (hasOwnContext(headers)) {
            headers = undefined;
          } else {
            for (const [name, value] of spanHeaders()) {
              if (!headers.has(name)) {
                headers.set(name, value); // a header the page set (its own baggage) stays
              }
            }
          }
        }
      } catch (e) {
        headers = undefined;
      }
      if (headers === undefined) {
        return fetch.apply(this, arguments);
      }
      return fetch.call(this, input, Object.assign({}, init, { headers }));
    };
  }

  const XHR = window.XMLHttpRequest;
  if (typeof XHR === "function") {
    const state = new WeakMap();
    const open = XHR.prototype.open;
    const setRequestHeader = XHR.prototype.setRequestHeader;
    const send = XHR.prototype.send;
    XHR.prototype.open = function (method, url) {
      try {
        state.set(this, { allowed: allowed(String(url)), names, own: false, set: new Set() });
      } catch (e) {
        state.delete(this);
      }
      return open.apply(this, arguments);
    };
    XHR.prototype.setRequestHeader = function (name) {
      const s = state.get(this);
      if (s) {
        const lower = String(name).toLowerCase();
        s.set.add(lower);
        s.own = s.own || s.names.has(lower);
      }
      return setRequestHeader.apply(this, arguments);
    };
    XHR.prototype.send = function () {
      const s = state.get(this);
      if (s && s.allowed && !s.own) {
        try {
          for (const [name, value] of spanHeaders()) {
            if (!s.set.has(name)) {
              setRequestHeader.call(this, name, value);
            }
          }
        } catch (e) {
          // sent as the page made it
        }
      }
      return send.apply(this, arguments);
    };
  }
})
