/**
 * @module importers/terraform/references
 * Which resource refers to which. Three sources, used together:
 *
 * - **values** (states): every resource is known by handles — its `id`, `arn`, `self_link`,
 *   and type-specific ones (a database's `address`, a load balancer's `dns_name`, a queue's
 *   `url`); a string in another resource's values that is, or contains as a host name, URL or
 *   separated token, one of those handles refers to it. JSON held in a string (an ECS task's
 *   container definitions, with their environment) is read too;
 * - **depends_on** as the state records it;
 * - **the configuration** of a plan: each argument's `references`.
 *
 * Tags and a resource's own names are not read for references: a tag saying "orders" is not a
 * call to the orders table.
 */
import { hostOf } from "../hosts.js";
import { valuesAt } from "./mapping.js";

const SKIP_KEYS = new Set(["tags", "tags_all", "labels", "id", "arn", "self_link", "description"]);
const SPLIT = /[\s,;'"()=<>|]+/;

/** Handles (lower-cased) → the keys of the units known by them. */
export class HandleIndex {
  private readonly map = new Map<string, Set<string>>();

  add(handle: string, unit: string): void {
    const h = handle.trim().toLowerCase().replace(/\.$/, "");
    if (h.length < 3) return;
    let set = this.map.get(h);
    if (!set) {
      set = new Set();
      this.map.set(h, set);
    }
    set.add(unit);
  }

  /** Units a single string designates (exactly, as its host, or through a token inside it). */
  resolve(value: string, out: Set<string>): void {
    const v = value.toLowerCase();
    this.hit(v, out);
    if (v.length > 4096) return;
    const host = hostOf(v);
    if (host !== undefined) this.hit(host, out);
    if (!SPLIT.test(v) && !v.includes("://")) return;
    for (const piece of v.split(SPLIT)) {
      if (piece.length < 3 || piece === v) continue;
      this.hit(piece, out);
      const h = hostOf(piece);
      if (h !== undefined) this.hit(h, out);
    }
  }

  private hit(token: string, out: Set<string>): void {
    const units = this.map.get(token.replace(/\.$/, ""));
    if (units) for (const u of units) out.add(u);
  }
}

/** Every unit a resource's values refer to (tags and its own handles left out). */
export function scanValues(
  values: Readonly<Record<string, unknown>>,
  skip: ReadonlySet<string>,
  index: HandleIndex,
  out: Set<string>,
): void {
  const visit = (x: unknown, depth: number) => {
    if (depth > 64) return;
    if (typeof x === "string") {
      const t = x.trimStart();
      if ((t.startsWith("{") || t.startsWith("[")) && t.length < 1_000_000) {
        try {
          visit(JSON.parse(t), depth + 1);
          return;
        } catch {
          // Not JSON after all: read it as text.
        }
      }
      index.resolve(x, out);
      return;
    }
    if (Array.isArray(x)) {
      for (const e of x) visit(e, depth + 1);
      return;
    }
    if (x !== null && typeof x === "object")
      for (const [k, v] of Object.entries(x))
        if (!(depth === 0 && skip.has(k))) visit(v, depth + 1);
  };
  visit(values, 0);
}

/** The values of the attributes a resource is known by. */
export function handlesOf(
  values: Readonly<Record<string, unknown>>,
  attributes: readonly string[],
): string[] {
  return attributes.flatMap((attr) => valuesAt(values, attr));
}

/** Keys a resource's scan leaves out: tags, its own handles and names. */
export function skipKeys(extra: readonly string[]): ReadonlySet<string> {
  const s = new Set(SKIP_KEYS);
  for (const e of extra) s.add(e.split(".")[0] as string);
  return s;
}
