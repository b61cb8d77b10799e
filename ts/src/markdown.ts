/**
 * Text and links for GitHub-flavoured Markdown, as the Markdown renderers
 * write them.
 *
 * @packageDocumentation
 */

/**
 * Text for a table cell: Markdown's special characters backslash-escaped
 * (as CommonMark allows for any ASCII punctuation), line breaks as spaces.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\t\n\r]+/g, " ")
    .replace(/[\x00-\x1f\x7f]/g, "")
    .replace(/[\\`*_[\]<>|~&]/g, "\\$&");
}

/** A link destination: characters Markdown or a table would misread percent-encoded. */
export function markdownURL(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~:/?#@!$&'*+,;=%]/g, (c) => encodeURIComponent(c).replace(/[()!'*]/g, escapeByte));
}

/** A trace id as code, linked when there is a link. */
export function markdownTraceId(traceId: string, link: string | undefined): string {
  const id = `\`${traceId.replace(/[`|\\]/g, "")}\``;
  return link === undefined ? id : `[${id}](${markdownURL(link)})`;
}

function escapeByte(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
}
