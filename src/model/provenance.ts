/**
 * @module model/provenance
 * The `source` key of imported components and dependencies: where each came from. Its file is
 * written relative to the model file (as `include` paths are), so an imported model and its
 * sources can move together; here it becomes a path from the working directory, like every
 * other `loc`. The first provenance with a file is the element's `loc`, so findings on an
 * imported component point at the Terraform or Kubernetes line it was imported from.
 */
import { dirname, isAbsolute, join } from "node:path";
import type { ProvenanceInput } from "./schema.js";
import type { Location, Provenance } from "./types.js";

/** The provenances of an element, files resolved against the model file that names them. */
export function provenanceOf(
  input: ProvenanceInput | readonly ProvenanceInput[] | undefined,
  modelFile: string,
): readonly Provenance[] | undefined {
  if (input === undefined) return undefined;
  const list: readonly ProvenanceInput[] = Array.isArray(input)
    ? input
    : [input as ProvenanceInput];
  return list.map((p) => ({
    ...(p.file !== undefined ? { file: resolveFrom(modelFile, p.file) } : {}),
    ...(p.line !== undefined ? { line: p.line } : {}),
    ...(p.column !== undefined ? { column: p.column } : {}),
    address: p.address,
    ...(p.observed !== undefined && Object.keys(p.observed).length > 0
      ? {
          observed: {
            ...(p.observed.count !== undefined ? { count: p.observed.count } : {}),
            ...(p.observed.rate !== undefined ? { rate: p.observed.rate } : {}),
            ...(p.observed.p50 !== undefined ? { p50: p.observed.p50 } : {}),
            ...(p.observed.p99 !== undefined ? { p99: p.observed.p99 } : {}),
          },
        }
      : {}),
  }));
}

/** Where findings on the element point: its first source with a file, else the YAML. */
export function provenanceLocation(
  sources: readonly Provenance[] | undefined,
  fallback: Location,
): Location {
  const first = sources?.find((s) => s.file !== undefined);
  if (first?.file === undefined) return fallback;
  return { file: first.file, line: first.line ?? 1, column: first.column ?? 1 };
}

function resolveFrom(modelFile: string, file: string): string {
  return isAbsolute(file) ? file : join(dirname(modelFile), file);
}
