/**
 * @module model/refine
 * The overlay rule: a file may change components declared in another file — typically a
 * hand-written overlay next to an imported model — under `refine: { <id>: { … } }`, instead
 * of declaring them again (which stays a `duplicate-id` error, so that nobody overrides a
 * component by accident).
 *
 * A refinement takes any component key. Keys it names replace the declared ones, except three
 * that merge entry by entry: `needs` and `wants` (a target the refinement lists replaces the
 * declared dependency on it, under whichever of the two the refinement puts it) and `records`
 * (by name). `drop: [ids]` takes dependencies out. Two refinements of the same key (or of the
 * same dependency, or record) of one component conflict: that is a `duplicate-id` error naming
 * both, since which should win is not ours to guess.
 *
 * Refinements are applied before the whole-model checks, to the file that declares the
 * component, so everything after sees one component; diagnostics about what a refinement
 * wrote point at the refinement (the file's `locate` is redirected for those keys).
 */
import { type Diagnostic, locatedError, suggest } from "./diagnostics.js";
import type { ComponentInput, DependencyOptionsInput, RefinementInput } from "./schema.js";
import type { ParsedFile } from "./semantics.js";
import type { PathKey, SourceFile } from "./source.js";

type DependencyMap = Record<string, DependencyOptionsInput | null>;

/** Keys that merge entry by entry rather than being replaced. */
const ENTRY_KEYS = new Set(["needs", "wants", "records"]);

interface Claim {
  readonly source: SourceFile;
  readonly path: readonly PathKey[];
}

export function applyRefinements(files: readonly ParsedFile[]): {
  files: ParsedFile[];
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  if (!files.some((f) => f.data.refine !== undefined)) return { files: [...files], diagnostics };

  // Where each component is declared (the first declaration; duplicates are reported later).
  const declaredIn = new Map<string, number>();
  files.forEach((f, i) => {
    for (const id of Object.keys(f.data.components ?? {}))
      if (!declaredIn.has(id)) declaredIn.set(id, i);
  });

  // Per file that declares refined components: the merged values and the redirected paths.
  const merged = new Map<number, Map<string, ComponentInput>>();
  const redirects = new Map<number, Map<string, Claim>>();
  const claims = new Map<string, Claim>();

  for (const f of files) {
    for (const [id, refinement] of Object.entries(f.data.refine ?? {})) {
      const at = ["refine", id];
      const index = declaredIn.get(id);
      if (index === undefined) {
        diagnostics.push(
          locatedError("unknown-reference", f.source, at, `refines unknown component '${id}'`, {
            suggestion: suggest(id, declaredIn.keys()),
            at: "key",
          }),
        );
        continue;
      }
      const target = files[index] as ParsedFile;
      const components = merged.get(index) ?? new Map<string, ComponentInput>();
      merged.set(index, components);
      const base = components.get(id) ?? (target.data.components?.[id] as ComponentInput);
      const redirect = redirects.get(index) ?? new Map<string, Claim>();
      redirects.set(index, redirect);

      const claim = (slot: string, path: readonly PathKey[]): boolean => {
        const prior = claims.get(`${id}\u0000${slot}`);
        if (prior) {
          const loc = prior.source.locate(prior.path, "key");
          diagnostics.push(
            locatedError(
              "duplicate-id",
              f.source,
              path,
              `'${slot}' of '${id}' is already refined at ${loc.file}:${loc.line}`,
              { at: "key" },
            ),
          );
          return false;
        }
        const c = { source: f.source, path };
        claims.set(`${id}\u0000${slot}`, c);
        redirect.set(`${id}\u0000${slot}`, c);
        return true;
      };

      const next = applyOne(id, base, refinement, at, claim, (path, message, suggestion) =>
        diagnostics.push(
          locatedError("unknown-reference", f.source, path, message, { suggestion, at: "key" }),
        ),
      );
      components.set(id, next);
    }
  }

  const out = files.map((f, i) => {
    const components = merged.get(i);
    if (!components) return f;
    const redirect = redirects.get(i) as Map<string, Claim>;
    return {
      ...f,
      data: { ...f.data, components: { ...f.data.components, ...Object.fromEntries(components) } },
      source: redirected(f.source, redirect),
    };
  });
  return { files: out, diagnostics };
}

/** One refinement applied to a component; `claim` records (and checks) what it changes. */
function applyOne(
  id: string,
  base: ComponentInput,
  refinement: RefinementInput,
  at: readonly PathKey[],
  claim: (slot: string, path: readonly PathKey[]) => boolean,
  unknown: (path: readonly PathKey[], message: string, suggestion: string | undefined) => void,
): ComponentInput {
  const next: Record<string, unknown> = { ...base };
  const { drop, needs, wants, records, ...plain } = refinement;
  for (const [key, value] of Object.entries(plain)) {
    if (value === undefined || !claim(key, [...at, key])) continue;
    next[key] = value;
  }
  if (records !== undefined) {
    const out = { ...(base.records ?? {}) };
    for (const [name, record] of Object.entries(records))
      if (claim(`records.${name}`, [...at, "records", name])) out[name] = record;
    next.records = out;
  }
  if (needs === undefined && wants === undefined && drop === undefined)
    return next as ComponentInput;

  const lists = { needs: asMap(base.needs), wants: asMap(base.wants) };
  for (const [i, target] of (drop ?? []).entries()) {
    if (!(target in lists.needs) && !(target in lists.wants)) {
      const known = [...Object.keys(lists.needs), ...Object.keys(lists.wants)];
      unknown(
        [...at, "drop", i],
        `'${target}' is not a dependency of '${id}'`,
        suggest(target, known),
      );
      continue;
    }
    if (!claim(`dependency ${target}`, [...at, "drop", i])) continue;
    delete lists.needs[target];
    delete lists.wants[target];
  }
  for (const section of ["needs", "wants"] as const) {
    const given = section === "needs" ? needs : wants;
    if (given === undefined) continue;
    for (const [target, options] of Object.entries(asMap(given))) {
      if (!claim(`dependency ${target}`, [...at, section, target])) continue;
      delete lists.needs[target];
      delete lists.wants[target];
      lists[section][target] = options;
    }
  }
  for (const section of ["needs", "wants"] as const) {
    if (Object.keys(lists[section]).length > 0) next[section] = lists[section];
    else delete next[section];
  }
  return next as ComponentInput;
}

function asMap(deps: ComponentInput["needs"]): DependencyMap {
  if (deps === undefined) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((t) => [t, null]));
  return { ...(deps as DependencyMap) };
}

/**
 * The declaring file's positions, except for what a refinement wrote: paths under a refined
 * key (or dependency, or record) of a refined component are located in the refinement. The
 * declaring file's `locateEntry` is kept: it answers only for the mappings its reader built,
 * and a refinement that changes a component's dependencies gives it new ones.
 */
function redirected(source: SourceFile, redirect: ReadonlyMap<string, Claim>): SourceFile {
  const locate: SourceFile["locate"] = (path, at) => {
    if (path[0] === "components" && path.length >= 3) {
      const key = String(path[2]);
      const entry = ENTRY_KEYS.has(key);
      const slot = !entry
        ? key
        : key === "records"
          ? `records.${String(path[3])}`
          : `dependency ${String(path[3])}`;
      const claim = (!entry || path.length >= 4) && redirect.get(`${String(path[1])}\u0000${slot}`);
      if (claim) return claim.source.locate([...claim.path, ...path.slice(entry ? 4 : 3)], at);
    }
    return source.locate(path, at);
  };
  return { ...source, locate };
}
