/**
 * @module importers/types
 * The contract every importer keeps: documents in, a model fragment and diagnostics out.
 *
 * A fragment is the model's own shape — what a user would write under `components:` — plus
 * what only the merge needs: the managed service a component is (for the provider catalogue),
 * the names others may use for it, references still to resolve against other sources, and
 * policies for edges another source declares (Istio's timeouts). Every element carries its
 * provenance: the file, the line and column where the format has lines, and the address of the
 * resource or object it came from. Importers are pure functions of their documents; reading
 * files, merging and writing are elsewhere.
 */
import type { ComponentKind, Plane } from "../model/types.js";

export const IMPORT_FORMATS = [
  "terraform",
  "cloudformation",
  "kubernetes",
  "compose",
  "backstage",
  "traces",
  "istio",
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** An input file: its path, as diagnostics and provenance show it, and its text. */
export interface ImportFile {
  readonly path: string;
  readonly text: string;
}

export type PathKey = string | number;

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** One parsed document of an input file (a YAML stream may hold several). */
export interface SourceDocument {
  readonly file: string;
  /** Its index in the file, from 0. */
  readonly index: number;
  readonly data: unknown;
  /**
   * Where the value at `path` starts (or the nearest enclosing value that has a position); with
   * `key`, where its key is written (YAML; JSON objects start on their key's line anyway).
   */
  locate(path: readonly PathKey[], at?: "key" | "value"): Position;
}

/** Where an element came from, as written into the model's `source` key. */
export interface Provenance {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly address: string;
}

export interface ImportDiagnostic {
  readonly code:
    | "syntax"
    | "unknown-format"
    | "invalid-input"
    | "unknown-type"
    | "ignored"
    | "conflict"
    | "unresolved-reference"
    | "uncertain"
    | "invalid-model";
  readonly severity: "error" | "warning" | "info";
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Where a component runs, before domains exist: a provider and a region with zones, several
 * regions, global (on a provider or not), a custom failure domain (a Compose host), or a
 * Kubernetes cluster, resolved by the merge to the cluster's zones when another source
 * (Terraform's EKS, GKE or AKS cluster) names them.
 */
export type PlacementDraft =
  | {
      readonly at: "zones";
      readonly provider: string;
      readonly region: string;
      readonly zones: readonly string[];
    }
  | { readonly at: "region"; readonly provider: string; readonly region: string }
  | { readonly at: "regions"; readonly provider: string; readonly regions: readonly string[] }
  | { readonly at: "global"; readonly provider?: string }
  | { readonly at: "domain"; readonly domain: string; readonly kind: string }
  | {
      readonly at: "cluster";
      readonly cluster?: string;
      /** Replicas spread over zones (required topology spread or anti-affinity)? */
      readonly spread: boolean;
      /** Pods, and how many must stay up (a PodDisruptionBudget): the zones needed follow. */
      readonly replicas?: number;
      readonly minAvailable?: number;
      /** Zones a required node affinity confines the pods to. */
      readonly zones?: readonly string[];
    };

export type RedundancyDraft = "any" | "all" | { readonly quorum: number };

/** A managed cloud service the component is, for the provider catalogue. */
export interface Managed {
  readonly provider: "aws" | "azure" | "google";
  /** The catalogue's service id, e.g. `lambda`, `s3`, `eks`. */
  readonly service: string;
  /** Region of the resource, for regional implicit dependencies. */
  readonly region?: string;
  /** Facts about this resource that select catalogue rules, e.g. `role`, `custom-cert`. */
  readonly traits: readonly string[];
  /** Azure: the region of the resource group, through which its control plane is reached. */
  readonly resourceGroupRegion?: string;
}

export interface ComponentDraft {
  readonly id: string;
  readonly kind: ComponentKind;
  readonly plane?: Plane;
  readonly placement?: PlacementDraft;
  readonly redundancy?: RedundancyDraft;
  readonly description?: string;
  /** Durations and rates in the model's units ("250ms", "50 rps"). */
  readonly latency?: string;
  readonly capacity?: string;
  readonly restart?: string;
  readonly managed?: Managed;
  /** Names, host names, ARNs or ids by which other resources refer to it. */
  readonly aliases?: readonly string[];
  readonly source: Provenance;
}

export interface RetryDraft {
  readonly attempts: number;
  readonly backoff?: string;
}

export interface BreakerDraft {
  readonly errorRate: string;
  readonly window?: string;
  readonly openFor?: string;
  readonly minRequests?: number;
}

export interface ObservedDraft {
  readonly count?: number;
  readonly rate?: string;
  readonly p50?: string;
  readonly p99?: string;
}

/** Client behaviour on a call, as a source states it. */
export interface CallOptions {
  readonly calls?: number;
  readonly timeout?: string;
  readonly retry?: RetryDraft;
  readonly breaker?: BreakerDraft;
  readonly degraded?: string;
}

export interface DependencyDraft {
  readonly from: string;
  readonly to: string;
  /** Hard (`needs`) or soft (`wants`); undefined when the source cannot tell (traces). */
  readonly hard?: boolean;
  readonly options?: CallOptions;
  readonly observed?: ObservedDraft;
  readonly source: Provenance;
}

/** A DNS record the sources declare (Route 53, Azure DNS, Cloud DNS). */
export interface RecordDraft {
  readonly name: string;
  /** The dns component that serves it. */
  readonly server: string;
  readonly ttl: string;
  /** Names or aliases of what it answers with, resolved by the merge. */
  readonly targets: readonly string[];
  readonly source: Provenance;
}

/**
 * A name, host name or URL found in configuration (an environment variable, a connection
 * string) that may designate a component of any source: the merge resolves it against every
 * component's id and aliases and every DNS record, and reports what stays unresolved.
 */
export interface ReferenceDraft {
  readonly from: string;
  readonly target: string;
  readonly hard?: boolean;
  /**
   * A plain name that may or may not designate something (an environment value such as
   * `shop-orders-table`, or `info`): used only when it is exactly a component's id or alias, and
   * not reported otherwise, since most such values name nothing.
   */
  readonly exact?: boolean;
  readonly options?: CallOptions;
  readonly observed?: ObservedDraft;
  /** What the target is when no source describes it (a database a trace saw by its host name). */
  readonly orElse?: ComponentDraft;
  readonly source: Provenance;
}

/** Client behaviour for every call to `to`, whoever makes it (Istio's VirtualService). */
export interface PolicyDraft {
  readonly to: string;
  readonly options: CallOptions;
  readonly source: Provenance;
}

/** Requests entering the system: a trace's root service, with its rate when measured. */
export interface WorkloadDraft {
  readonly id: string;
  readonly entry: string;
  readonly rate: string;
  readonly source: Provenance;
}

/** A resource type the importer does not map, with every address it was seen at. */
export interface UnknownType {
  readonly format: ImportFormat;
  readonly type: string;
  readonly addresses: readonly Provenance[];
}

export interface Fragment {
  readonly format: ImportFormat;
  readonly components: readonly ComponentDraft[];
  readonly dependencies: readonly DependencyDraft[];
  readonly records: readonly RecordDraft[];
  readonly references: readonly ReferenceDraft[];
  readonly policies: readonly PolicyDraft[];
  readonly workloads: readonly WorkloadDraft[];
  /** Zones of Kubernetes clusters that infrastructure sources create, by cluster name. */
  readonly clusters: readonly ClusterDraft[];
  readonly unknown: readonly UnknownType[];
  readonly diagnostics: readonly ImportDiagnostic[];
}

export interface ClusterDraft {
  readonly name: string;
  readonly provider: string;
  readonly region: string;
  readonly zones: readonly string[];
  readonly source: Provenance;
}

/** One importer: which documents are its own, and what it makes of them. */
export interface Importer {
  readonly format: ImportFormat;
  /** Whether a document is in this importer's format (format detection). */
  detect(doc: SourceDocument): boolean;
  /** A fragment from the documents detected (or forced) as this format. */
  run(docs: readonly SourceDocument[], options: ImporterOptions): Fragment;
}

export interface ImporterOptions {
  /** The region of sources that name none (a CloudFormation template is deployed to one). */
  readonly region?: string;
}
