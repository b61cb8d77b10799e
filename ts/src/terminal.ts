/**
 * Text for a terminal or a log, as the text renderers write it: ANSI
 * styles, text from the system under test kept on one line and free of
 * control characters, and widths in characters.
 *
 * @packageDocumentation
 */

const ansi = {
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  red: "\x1b[31m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  cyan: "\x1b[36m",
  reset: "\x1b[0m",
} as const;

/** A style of {@link Paint}. */
export type Style = Exclude<keyof typeof ansi, "reset">;

/** Text in a style: with ANSI codes when colors are on, as it is otherwise. */
export type Paint = (style: Style, text: string) => string;

/** The painter of a renderer: ANSI codes only when color is true, never around empty text. */
export function painter(color: boolean): Paint {
  return (style, text) => (color && text !== "" ? `${ansi[style]}${text}${ansi.reset}` : text);
}

/** Text from a request on one line: tabs and line breaks as spaces, other control characters as "?". */
export function clean(text: string): string {
  return text.replace(/[\t\n\r]/g, " ").replace(/[\x00-\x1f\x7f-\x9f]/g, "?");
}

/** The width of text in characters (code points). */
export function width(text: string): number {
  return Array.from(text).length;
}

/** Text cut to max characters, ending in "..." when it was longer. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 3).join("")}...`;
}

/** Text padded with spaces to w characters, on the left (right-aligned) or on the right. */
export function pad(text: string, w: number, left: boolean): string {
  const fill = " ".repeat(Math.max(0, w - width(text)));
  return left ? fill + text : text + fill;
}
