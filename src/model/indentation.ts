/**
 * @module model/indentation
 * Finds the line of an indentation mistake. When a key is indented one space too far or too
 * little, `yaml` reports the lines after it ("All mapping items must start at the same column",
 * at column 1, once per sibling), or the line before it; this module reads the block structure
 * line by line, as a person would, and names the first line that fits no open level and the
 * column it should start at. It is consulted only when `yaml` has reported such an error, and
 * says nothing (undefined) when the text holds what it does not follow (block scalars,
 * multi-line flow collections).
 */

export interface IndentationProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

interface Level {
  readonly indent: number;
  readonly key: string;
}

export function indentationProblem(text: string): IndentationProblem | undefined {
  const lines = text.split("\n");
  const levels: Level[] = [];
  /** The previous content line: its key's column, its key, and whether its value follows below. */
  let prev: { column: number; key: string; opens: boolean } | undefined;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n] as string;
    const indent = raw.length - raw.trimStart().length;
    const content = raw.trim();
    if (content === "" || content.startsWith("#")) continue;
    if (/[[{]/.test(content.replace(/\[[^\]]*\]|\{[^}]*\}/g, ""))) return undefined;
    if (/^(- +)?[^#]*:\s+[|>][-+0-9]*\s*(#.*)?$/.test(content)) return undefined;
    const item = /^-( |$)/.test(content);
    const rest = item ? content.replace(/^-\s*/, "") : content;
    const keyMatch = /^("[^"]*"|'[^']*'|[^\s#][^#]*?)\s*:(\s|$)/.exec(rest);
    const key = keyMatch ? (keyMatch[1] as string) : "";
    const keyColumn = item ? indent + (content.length - rest.length) : indent;
    const opens = keyMatch !== null && /:\s*(#.*)?$/.test(rest);

    if (prev === undefined) {
      levels.push({ indent, key: "" });
    } else if (prev.opens && (indent > prev.column || (item && indent === prev.column))) {
      levels.push({ indent, key: prev.key });
    } else {
      const top = levels[levels.length - 1] as Level;
      if (indent > top.indent) {
        return {
          line: n + 1,
          column: indent + 1,
          message: `this line is indented more than '${prev.key}' above it, which already has its value on its line: start it at column ${top.indent + 1}, like '${prev.key}'`,
        };
      }
      let popped: Level | undefined;
      while (levels.length > 0 && (levels[levels.length - 1] as Level).indent > indent)
        popped = levels.pop();
      const at = levels[levels.length - 1];
      if (at === undefined || at.indent !== indent) {
        const near = (popped ?? at) as Level;
        const owner = near.key === "" ? "the top level" : `'${near.key}'`;
        return {
          line: n + 1,
          column: indent + 1,
          message: `this line starts at column ${indent + 1}, but the keys of ${owner} start at column ${near.indent + 1}: indent it like them`,
        };
      }
    }
    if (item && keyMatch)
      levels.push({ indent: keyColumn, key: levels[levels.length - 1]?.key ?? "" });
    prev = { column: keyColumn, key: key || prev?.key || "", opens };
  }
  return undefined;
}
