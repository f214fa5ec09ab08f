/**
 * @module model/provenance
 * The `source` key of imported components and dependencies: where each came from. Its file is
 * written relative to the model file (as `include` paths are), so an imported model and its
 * sources can move together; here it becomes a path from the working directory, like every
 * other `loc`. The first provenance with a file is the element's `loc`, so findings on an
 * imported component point at the Terraform or Kubernetes line it was imported from.
 */
import { dirname, isAbsolute, join } from "node:path";
import type { Mutable } from "./checking.js";
import type { ProvenanceInput } from "./schema.js";
import type { Location, Observed, Provenance } from "./types.js";

/** The provenances of an element, files resolved against the model file that names them. */
export function provenanceOf(
  input: ProvenanceInput | readonly ProvenanceInput[] | undefined,
  modelFile: string,
): readonly Provenance[] | undefined {
  if (input === undefined) return undefined;
  const list: readonly ProvenanceInput[] = Array.isArray(input)
    ? input
    : [input as ProvenanceInput];
  return list.map(provenanceFrom(modelFile));
}

// Built by assignment, as the loader builds components: the schema's output has every key,
// absent ones undefined, and none of those may reach the model.
function provenanceFrom(modelFile: string): (p: ProvenanceInput) => Provenance {
  return (p) => {
    const out = {} as Mutable<Provenance>;
    if (p.file !== undefined) out.file = resolveFrom(modelFile, p.file);
    if (p.line !== undefined) out.line = p.line;
    if (p.column !== undefined) out.column = p.column;
    out.address = p.address;
    const o = p.observed;
    if (o !== undefined) {
      const observed = {} as Mutable<Observed>;
      if (o.count !== undefined) observed.count = o.count;
      if (o.rate !== undefined) observed.rate = o.rate;
      if (o.p50 !== undefined) observed.p50 = o.p50;
      if (o.p99 !== undefined) observed.p99 = o.p99;
      if (Object.keys(observed).length > 0) out.observed = observed;
    }
    return out;
  };
}

/**
 * Where findings on the element point: its first source with a file, or undefined when it has
 * none (then its place in the YAML, which is looked up only then).
 */
export function provenanceLocation(
  sources: readonly Provenance[] | undefined,
): Location | undefined {
  const first = sources?.find((s) => s.file !== undefined);
  if (first?.file === undefined) return undefined;
  return { file: first.file, line: first.line ?? 1, column: first.column ?? 1 };
}

function resolveFrom(modelFile: string, file: string): string {
  return isAbsolute(file) ? file : join(dirname(modelFile), file);
}
