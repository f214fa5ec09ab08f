/**
 * @module importers/yaml-writer
 * Plain data as YAML, for the models `faultline import` writes: block mappings for the
 * structure people read (sections, components, their dependencies), flow style for the short
 * mappings and lists inside them (a placement, a provenance, a zone list), keys in the order
 * they were inserted. Written by hand rather than through `yaml`'s stringifier, which gives no
 * per-key control of flow style, and because a 10k-resource import must not spend its time
 * here. A string is written plain only when YAML cannot read it as anything else (ids, paths,
 * units such as `250ms`); otherwise quoted.
 *
 * The output keeps to the subset the model loader's fast reader takes (`model/yaml-fast.ts`),
 * which reads a file about twenty times faster than the full parser and is the only one that
 * takes files over 16 MB: no colon inside a plain scalar in a flow collection (a URL in a list
 * of citations), and no escapes (a string with `"` or `\` is single-quoted). Only strings with
 * control characters or line breaks need escapes, and send a file to the full parser.
 */

export type Data = string | number | boolean | readonly Data[] | { readonly [key: string]: Data };

const PLAIN = /^[A-Za-z_./][A-Za-z0-9_./@:%+-]*$/;
const UNIT = /^[0-9][0-9.]*[a-z%]+$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~|\.inf|\.nan)$/i;

/**
 * A scalar as YAML: plain when unambiguous, else quoted. `inFlow`: it is written inside a flow
 * collection, where the fast reader takes no colon in a plain scalar.
 */
export function scalar(value: string | number | boolean, inFlow = false): string {
  if (typeof value !== "string") return String(value);
  if (UNIT.test(value) && !/^[0-9.]+e[0-9]*$/i.test(value)) return value;
  // Anything that starts like a number might be read as one (`.5`, `.0`): quoted.
  // A colon only inside a word (`cluster:main`, an ARN), and only in block context: before a
  // space, a flow indicator or the end it would start a mapping.
  if (
    PLAIN.test(value) &&
    !RESERVED.test(value) &&
    !/^[.+-]?[0-9]/.test(value) &&
    !(inFlow ? value.includes(":") : /:(?![A-Za-z0-9_./@%+-])/.test(value))
  )
    return value;
  return quoted(value);
}

/**
 * Double quotes (a JSON string) when nothing needs escaping, single quotes when only `"` or `\`
 * would, and a JSON string with its escapes for control characters and line breaks.
 */
function quoted(value: string): string {
  const json = JSON.stringify(value);
  if (!json.includes("\\")) return json;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what single quotes cannot hold
  if (/[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]/.test(value)) return json;
  return `'${value.replaceAll("'", "''")}'`;
}

const isScalar = (v: Data): v is string | number | boolean => typeof v !== "object";
const isMap = (v: Data): v is { readonly [key: string]: Data } =>
  typeof v === "object" && !Array.isArray(v);

/** One value in flow style: `{ a: 1, b: [x, y] }`. */
function flow(v: Data): string {
  if (isScalar(v)) return scalar(v, true);
  if (Array.isArray(v)) return `[${v.map(flow).join(", ")}]`;
  const entries = Object.entries(v);
  return entries.length === 0
    ? "{}"
    : `{ ${entries.map(([k, x]) => `${scalar(k, true)}: ${flow(x)}`).join(", ")} }`;
}

/**
 * Writes `data` with `header` comment lines first. A mapping is written in flow style when its
 * key is one of `flowKeys`, or when it sits two levels deep or more and holds only scalars and
 * lists of scalars; lists are always in flow style.
 */
export function writeYaml(
  data: { readonly [key: string]: Data },
  header: readonly string[],
  flowKeys: ReadonlySet<string>,
): string {
  const out = header.map((h) => `# ${h}`);
  const visit = (map: { readonly [key: string]: Data }, depth: number) => {
    const pad = "  ".repeat(depth);
    for (const [key, value] of Object.entries(map)) {
      const simple =
        isMap(value) &&
        depth >= 1 &&
        Object.values(value).every((x) => isScalar(x) || (Array.isArray(x) && x.every(isScalar)));
      if (!isMap(value) || flowKeys.has(key) || simple || Object.keys(value).length === 0) {
        out.push(`${pad}${scalar(key)}: ${isScalar(value) ? scalar(value) : flow(value)}`);
        continue;
      }
      out.push(`${pad}${scalar(key)}:`);
      visit(value, depth + 1);
    }
  };
  visit(data, 0);
  return `${out.join("\n")}\n`;
}
