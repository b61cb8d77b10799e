/**
 * Whether an OTLP endpoint is an http:// or https:// URL with a host, as
 * go/spans checks it with Go's `url.Parse` (whose errors, such as a bad
 * port or a bad percent-escape, count as "not a URL").
 *
 * @packageDocumentation
 */

/** Whether Go's `url.Parse(s)` succeeds with an http or https scheme and a non-empty host. */
export function isHTTPURLWithHost(s: string): boolean {
  // Control characters anywhere make url.Parse fail.
  if (/[\x00-\x1f\x7f]/.test(s)) {
    return false;
  }
  const hash = s.indexOf("#");
  const rest = hash < 0 ? s : s.slice(0, hash);
  if (hash >= 0 && !validEscapes(s.slice(hash + 1))) {
    return false;
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (scheme === null) {
    return false;
  }
  const name = (scheme[1] ?? "").toLowerCase();
  if (name !== "http" && name !== "https") {
    return false;
  }
  let after = rest.slice(scheme[0].length);
  const query = after.indexOf("?");
  if (query >= 0) {
    after = after.slice(0, query);
  }
  if (!after.startsWith("//")) {
    return false;
  }
  after = after.slice(2);
  const slash = after.indexOf("/");
  const authority = slash < 0 ? after : after.slice(0, slash);
  const path = slash < 0 ? "" : after.slice(slash);
  const host = parseAuthority(authority);
  return host !== undefined && host !== "" && validEscapes(path);
}

/** The host (with its port) of an authority, or undefined where Go refuses it. */
function parseAuthority(authority: string): string | undefined {
  const at = authority.lastIndexOf("@");
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo) || !validEscapes(userinfo)) {
      return undefined;
    }
  }
  const host = authority.slice(at + 1);
  const open = host.lastIndexOf("[");
  if (open > 0) {
    return undefined;
  }
  if (open === 0) {
    // An IPv6 literal, with an optional %25 zone and port.
    const close = host.lastIndexOf("]");
    if (close < 0 || !validPort(host.slice(close + 1))) {
      return undefined;
    }
    const name = host.slice(1, close);
    const zone = name.indexOf("%25");
    const address = zone < 0 ? name : name.slice(0, zone);
    return /^[0-9A-Fa-f:.]+$/.test(address) && address.includes(":") ? host : undefined;
  }
  // Go 1.26 reads the port after the first colon of an http(s) host.
  const colon = host.indexOf(":");
  if (colon >= 0 && !validPort(host.slice(colon))) {
    return undefined;
  }
  return validHostCharacters(host) ? host : undefined;
}

/** "" or ":" followed by digits only. */
function validPort(port: string): boolean {
  return port === "" || /^:[0-9]*$/.test(port);
}

/**
 * Go's host unescaping: ASCII characters outside the URL host set are
 * refused, and a percent-escape must encode a byte of 0x80 or more (or
 * be "%25", for IPv6 zones).
 */
function validHostCharacters(host: string): boolean {
  for (let i = 0; i < host.length; i++) {
    const c = host.charAt(i);
    if (c === "%") {
      const escape = host.slice(i, i + 3);
      if (!/^%[0-9A-Fa-f]{2}$/.test(escape) || (parseInt(escape.charAt(1), 16) < 8 && escape !== "%25")) {
        return false;
      }
      i += 2;
    } else if (host.charCodeAt(i) < 0x80 && !/[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]/.test(c)) {
      return false;
    }
  }
  return true;
}

/** Every "%" starts a two-digit hex escape. */
function validEscapes(s: string): boolean {
  return !/%(?![0-9A-Fa-f]{2})/.test(s);
}
