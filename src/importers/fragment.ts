/**
 * @module importers/fragment
 * What importers build fragments with: one collector per run, so that every importer records
 * elements, provenance, unknown types and diagnostics the same way.
 */
import type {
  ClusterDraft,
  ComponentDraft,
  DependencyDraft,
  Fragment,
  ImportDiagnostic,
  ImportFormat,
  PathKey,
  PolicyDraft,
  Provenance,
  RecordDraft,
  ReferenceDraft,
  SourceDocument,
  WorkloadDraft,
} from "./types.js";

export class FragmentBuilder {
  readonly format: ImportFormat;
  private readonly components: ComponentDraft[] = [];
  private readonly dependencies: DependencyDraft[] = [];
  private readonly records: RecordDraft[] = [];
  private readonly references: ReferenceDraft[] = [];
  private readonly policies: PolicyDraft[] = [];
  private readonly workloads: WorkloadDraft[] = [];
  private readonly clusters: ClusterDraft[] = [];
  private readonly unknown = new Map<string, Provenance[]>();
  private readonly diagnostics: ImportDiagnostic[] = [];

  constructor(format: ImportFormat) {
    this.format = format;
  }

  component(c: ComponentDraft): void {
    this.components.push(c);
  }
  dependency(d: DependencyDraft): void {
    if (d.from !== d.to) this.dependencies.push(d);
  }
  record(r: RecordDraft): void {
    this.records.push(r);
  }
  reference(r: ReferenceDraft): void {
    this.references.push(r);
  }
  policy(p: PolicyDraft): void {
    this.policies.push(p);
  }
  workload(w: WorkloadDraft): void {
    this.workloads.push(w);
  }
  cluster(c: ClusterDraft): void {
    this.clusters.push(c);
  }

  /** A type (resource type, kind) the importer does not map: listed, never dropped silently. */
  unknownType(type: string, at: Provenance): void {
    const list = this.unknown.get(type);
    if (list) list.push(at);
    else this.unknown.set(type, [at]);
  }

  /** A located problem or remark about the input. */
  report(
    code: ImportDiagnostic["code"],
    severity: ImportDiagnostic["severity"],
    at: { file: string; line?: number; column?: number },
    message: string,
  ): void {
    this.diagnostics.push({
      code,
      severity,
      message,
      file: at.file,
      line: at.line ?? 1,
      column: at.column ?? 1,
    });
  }

  build(): Fragment {
    return {
      format: this.format,
      components: this.components,
      dependencies: this.dependencies,
      records: this.records,
      references: this.references,
      policies: this.policies,
      workloads: this.workloads,
      clusters: this.clusters,
      unknown: [...this.unknown].map(([type, addresses]) => ({
        format: this.format,
        type,
        addresses,
      })),
      diagnostics: this.diagnostics,
    };
  }
}

/** The provenance of the value at `path` in a document. */
export function provenance(
  doc: SourceDocument,
  path: readonly PathKey[],
  address: string,
  where: "key" | "value" = "value",
): Provenance {
  const at = doc.locate(path, where);
  return { file: doc.file, line: at.line, column: at.column, address };
}

/** A plain object, or undefined: sources are untyped, and importers read them defensively. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}
