/**
 * @module model/domains
 * Flattens the failure-domain tree written in model files (`provider > region > zone`, plus
 * custom scopes) into a list of domains with parents. A domain may be declared in several
 * files (a provider in one, its regions in another) as long as every declaration agrees on
 * its kind and parent; the children are merged.
 */
import type { Diagnostic } from "./diagnostics.js";
import type { PathKey, SourceFile } from "./source.js";
import type { DomainKind, Location } from "./types.js";

const DEPTH_KINDS: readonly DomainKind[] = ["provider", "region", "zone"];

export interface FlatDomain {
  id: string;
  kind: DomainKind;
  parent: string | null;
  availability?: number;
  loc: Location;
}

interface RawNode {
  kind?: string;
  availability?: number;
  contains?: Record<string, unknown> | string[];
}

export function flattenDomains(
  source: SourceFile,
  tree: Record<string, unknown> | undefined,
  into: Map<string, FlatDomain>,
  diagnostics: Diagnostic[],
): void {
  if (!tree) return;
  const visit = (
    id: string,
    node: unknown,
    parent: string | null,
    depth: number,
    path: PathKey[],
  ) => {
    const raw: RawNode = Array.isArray(node)
      ? { contains: node as string[] }
      : node === null || node === undefined
        ? {}
        : (node as RawNode);
    const kind = raw.kind ?? DEPTH_KINDS[depth] ?? "cell";
    const loc = source.locate(path, "key");
    const existing = into.get(id);
    if (existing) {
      if (existing.parent !== parent || existing.kind !== kind) {
        diagnostics.push({
          code: "duplicate-id",
          severity: "error",
          message: `failure domain '${id}' is declared again as a ${kind} under ${parent ?? "the root"}; it was a ${existing.kind} under ${existing.parent ?? "the root"} at ${existing.loc.file}:${existing.loc.line}`,
          file: loc.file,
          line: loc.line,
          column: loc.column,
          path: path.join("."),
        });
      } else if (raw.availability !== undefined) {
        if (existing.availability !== undefined) {
          diagnostics.push({
            code: "duplicate-id",
            severity: "error",
            message: `the availability of '${id}' is declared twice`,
            file: loc.file,
            line: loc.line,
            column: loc.column,
            path: [...path, "availability"].join("."),
          });
        } else existing.availability = raw.availability;
      }
    } else {
      const flat: FlatDomain = { id, kind, parent, loc };
      if (raw.availability !== undefined) flat.availability = raw.availability;
      into.set(id, flat);
    }
    const children = raw.contains;
    const childPath = Array.isArray(node) ? path : [...path, "contains"];
    if (Array.isArray(children)) {
      children.forEach((child, i) => {
        visit(child, null, id, depth + 1, [...childPath, i]);
      });
    } else if (children) {
      for (const [child, value] of Object.entries(children)) {
        visit(child, value, id, depth + 1, [...childPath, child]);
      }
    }
  };
  for (const [id, node] of Object.entries(tree)) visit(id, node, null, 0, ["domains", id]);
}

/** The chain of ancestors of a domain, itself first. */
export function ancestry(domains: ReadonlyMap<string, FlatDomain>, id: string): string[] {
  const chain: string[] = [];
  let cur: string | null = id;
  const seen = new Set<string>();
  while (cur !== null && !seen.has(cur)) {
    seen.add(cur);
    chain.push(cur);
    cur = domains.get(cur)?.parent ?? null;
  }
  return chain;
}
