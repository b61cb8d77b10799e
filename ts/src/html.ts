/**
 * Text for HTML, as the HTML renderers write it.
 *
 * @packageDocumentation
 */

/**
 * Text for HTML content and attribute values: `&`, `<`, `>`, `"` and
 * `'` as character references.
 *
 * @example
 * ```ts
 * escapeHTML('<a href="x">'); // "&lt;a href=&quot;x&quot;&gt;"
 * ```
 */
export function escapeHTML(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

const entities: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** A trace id as code, linked when there is a link. */
export function htmlTraceId(traceId: string, link: string | undefined): string {
  const id = `<code>${escapeHTML(traceId)}</code>`;
  return link === undefined ? id : `<a href="${escapeHTML(link)}">${id}</a>`;
}
