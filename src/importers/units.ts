/**
 * @module importers/units
 * Ids and units as importers write them. A model id starts with a letter or digit and uses
 * letters, digits and `. _ : / @ -`; names from the sources (Terraform's `orders_db`, a
 * Kubernetes `Orders`, a span's `service.name`) are lower-cased, `_` becomes `-` and anything
 * else outside the alphabet becomes `-`, so the same name gives the same id in every source —
 * which is what lets the merge recognise one component described by several of them.
 * Durations and rates are written in the model's human units, exactly (no rounding).
 */

/** A model id from a name in a source. */
export function toId(name: string): string {
  const id = name
    .trim()
    .toLowerCase()
    .replace(/_/g, "-")
    .replace(/[^a-z0-9._:/@-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/[-.]+$/, "");
  return id === "" ? "unnamed" : id;
}

/** A model id from a CamelCase name (CloudFormation's logical ids): `OrdersDBTable` → `orders-db-table`. */
export function toKebabId(name: string): string {
  return toId(
    name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2"),
  );
}

/** Seconds as a model duration: `250ms`, `30s`, `1h30m`, `1.5s` as `1500ms`. */
export function durationText(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  if (ms === 0) return "0s";
  if (ms % 1000 !== 0) return `${ms}ms`;
  let rest = ms / 1000;
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join("");
}

/** Requests per second as a model rate, to three significant decimals: `12.5 rps`. */
export function rateText(perSecond: number): string {
  const r = Number(perSecond.toPrecision(4));
  return `${r} rps`;
}

/**
 * A duration as sources write it — Kubernetes and Istio `5s`, `250ms`, `1m30s`, `1.5s`,
 * Compose `1m30s` or `10us` — in seconds, or undefined when it is not one.
 */
export function parseSourceDuration(text: unknown): number | undefined {
  if (typeof text === "number" && Number.isFinite(text) && text >= 0) return text;
  if (typeof text !== "string") return undefined;
  const t = text.trim();
  if (!/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(t)) return undefined;
  const size: Record<string, number> = {
    h: 3600,
    m: 60,
    s: 1,
    ms: 1e-3,
    us: 1e-6,
    µs: 1e-6,
    ns: 1e-9,
  };
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g))
    total += Number(m[1]) * (size[m[2] as string] as number);
  return total;
}

/** Deterministic comparison of plain strings (code units), as the rest of Faultline sorts. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
