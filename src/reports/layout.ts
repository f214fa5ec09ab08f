/**
 * @module reports/layout
 * Plain-text layout for the terminal renderer: word wrapping, aligned columns, and making
 * model-supplied text safe to print. Widths count code points, which is right for the ids,
 * arrows and dashes reports contain (not for wide CJK glyphs, which simply overflow).
 */

// C0 and C1 control characters except the newline, and the bidirectional overrides that can
// make a terminal show text in another order than it is stored ("trojan source").
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from the model (ids, names, messages built from them) with tabs and line breaks
 * normalized and every other control character shown as U+FFFD, so a component name cannot
 * move the cursor, clear the screen or fake colors in someone's terminal.
 */
export function terminalSafe(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(/\t/g, " ").replace(UNSAFE, "\uFFFD");
}

/** Same as `terminalSafe`, on one line: line breaks become spaces. */
export function terminalSafeLine(text: string): string {
  return terminalSafe(text).replace(/\n/g, " ");
}

export function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Wraps `text` so that lines fit in `max` columns, the first line after `first` and the others
 * after `rest`. Line breaks in the text start a new line; a word longer than a line is kept
 * whole and overflows rather than being cut.
 */
export function wrap(text: string, max: number, first: string, rest: string = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const flush = () => {
    lines.push(line.trimEnd());
    line = rest;
    empty = true;
  };
  terminalSafe(text)
    .split("\n")
    .forEach((paragraph, i) => {
      if (i > 0) flush();
      for (const word of paragraph.split(" ")) {
        if (word === "") continue;
        if (!empty && width(line) + 1 + width(word) > max) flush();
        line += empty ? word : ` ${word}`;
        empty = false;
      }
    });
  lines.push(line.trimEnd());
  return lines;
}

export interface Column {
  readonly title: string;
  readonly align?: "left" | "right";
  /** Widest the column may grow; longer cells are cut with an ellipsis. */
  readonly max?: number;
}

/**
 * Lays out rows under a header in aligned columns two spaces apart, indented by `indent`.
 * The last column takes what is left of `lineWidth`. Returns the header line and the row
 * lines, without trailing spaces, so the caller can style the header.
 */
export function columns(
  cols: readonly Column[],
  rows: readonly (readonly string[])[],
  indent: number,
  lineWidth: number,
): { header: string; rows: string[] } {
  const safe = rows.map((r) => r.map((cell) => terminalSafeLine(cell)));
  const widths = cols.map((c, i) =>
    Math.min(
      c.max ?? Number.POSITIVE_INFINITY,
      Math.max(width(c.title), ...safe.map((r) => width(r[i] ?? ""))),
    ),
  );
  const last = cols.length - 1;
  const used = indent + widths.slice(0, last).reduce((a, b) => a + b + 2, 0);
  const lastCol = cols[last];
  if (lastCol !== undefined) {
    widths[last] = Math.max(width(lastCol.title), Math.min(widths[last] ?? 0, lineWidth - used));
  }
  const line = (cells: readonly string[]) =>
    (
      " ".repeat(indent) +
      cols
        .map((c, i) => {
          const w = widths[i] ?? 0;
          const cell = truncate(cells[i] ?? "", w);
          const pad = " ".repeat(w - width(cell));
          return c.align === "right" ? pad + cell : cell + pad;
        })
        .join("  ")
    ).trimEnd();
  return { header: line(cols.map((c) => c.title)), rows: safe.map(line) };
}

function truncate(text: string, max: number): string {
  if (width(text) <= max) return text;
  return `${[...text].slice(0, Math.max(0, max - 1)).join("")}…`;
}
