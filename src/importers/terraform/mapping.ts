/**
 * @module importers/terraform/mapping
 * How a Terraform resource type maps to the model, as data: each provider's table (`aws.ts`,
 * `azure.ts`, `google.ts`) says, per type, whether it is a component (its kind, the managed
 * service it is for the catalogue, where it runs) or a part that tells something about the
 * components that use it (a subnet's zone, a role, a key, a certificate), or glue that connects
 * two of them (a listener joins a load balancer to its target groups). Types in no table are
 * listed as unknown.
 */

import { appendAll } from "../../model/arrays.js";
import type { ComponentKind, Plane } from "../../model/types.js";

export type Values = Readonly<Record<string, unknown>>;

/**
 * Where a component type runs:
 * - `region`: a regional service spread by the provider (DynamoDB, S3, SQS, Lambda outside a VPC);
 * - `zones`: replicas in the zones of its own zone attributes or of the subnets it uses (any one
 *   suffices);
 * - `one-zone`: one replica, in its zone, or somewhere among its subnets' zones (then every one
 *   of those zones can take it down: `redundancy: all`);
 * - `global`: a global service of the provider (CloudFront, Route 53, Front Door);
 * - `regions`: replicas in several regions (a table's replicas, a Cosmos DB account's locations).
 */
export type PlacementRule = "region" | "zones" | "one-zone" | "global" | "regions";

export interface ComponentSpec {
  readonly role: "component";
  readonly kind: ComponentKind;
  /** The catalogue's name of the managed service. */
  readonly service: string;
  readonly plane?: Plane;
  readonly placement: PlacementRule | ((v: Values) => PlacementRule);
  /** Compute keeps the plain id when two resources of one name would share it. */
  readonly primary?: boolean;
  /** Catalogue traits read from its own values. */
  readonly traits?: (v: Values) => readonly string[];
  /** Attributes other resources refer to it by, besides `id`, `arn` and its names. */
  readonly handles?: readonly string[];
  /** Attributes holding its real name, kept as aliases for references from other sources. */
  readonly names?: readonly string[];
  /**
   * Attributes whose host names and URLs may name what another source describes (a function's
   * environment, a distribution's origins): those no resource here answers to become references
   * for the merge.
   */
  readonly refsFrom?: readonly string[];
  /** Attributes naming what routes requests to it (an ECS service's target groups). */
  readonly routedFrom?: readonly string[];
  /** Attributes listing the regions of its replicas (`regions` placement). */
  readonly regions?: (v: Values) => readonly string[];
}

/**
 * What a non-component type tells: its zone (`subnet`, `zone-source`), a trait of whoever uses
 * it (`trait`), a trait of the component it names (`trait-of`), that it is configuration whose
 * references count as its user's (`pass`, e.g. an ECS task definition), connections between
 * resources it names (`glue`), a Kubernetes cluster's node zones (`nodes`), a DNS record, a
 * resource group (Azure), or nothing the audit needs (`structural`, listed in docs/importers.md).
 */
export type PartSpec =
  | { readonly role: "subnet" }
  | {
      readonly role: "trait";
      readonly traits: readonly string[];
      /** Known by its ARN only, not by its id or name (IAM roles). */
      readonly byArn?: boolean;
    }
  | {
      readonly role: "trait-of";
      readonly target: readonly string[];
      readonly traits: (v: Values) => readonly string[];
    }
  | { readonly role: "pass"; readonly traits?: (v: Values) => readonly string[] }
  | { readonly role: "glue"; readonly edges: readonly Glue[] }
  | { readonly role: "nodes"; readonly cluster: readonly string[] }
  | { readonly role: "record" }
  | { readonly role: "resource-group" }
  | { readonly role: "structural" };

/** A connection a glue resource makes: from what one attribute names to what another names. */
export interface Glue {
  readonly from: string;
  readonly to: string;
  /** Soft: the target only feeds the source (an event source mapping). */
  readonly soft?: string;
  /** Catalogue traits it gives the source (a listener with a certificate: `tls`). */
  readonly traits?: (v: Values) => readonly string[];
}

export type TypeSpec = ComponentSpec | PartSpec;

/**
 * Every string at a dotted path. Terraform writes nested blocks as lists of objects, so a step
 * into a list steps into each of its elements; `*` says so explicitly.
 */
export function valuesAt(v: unknown, path: string): string[] {
  let level: unknown[] = [v];
  for (const step of path.split(".")) {
    const next: unknown[] = [];
    for (const x of level) {
      const items = Array.isArray(x) ? x : [x];
      for (const item of items) {
        if (step === "*") {
          // Every element of a list (already stepped into) or every value of a map.
          if (item !== null && typeof item === "object" && !Array.isArray(item))
            appendAll(next, Object.values(item as Record<string, unknown>));
          else next.push(item);
        } else if (item !== null && typeof item === "object" && !Array.isArray(item))
          next.push((item as Record<string, unknown>)[step]);
      }
    }
    level = next;
  }
  return level.flatMap((x) =>
    typeof x === "string" && x !== ""
      ? [x]
      : Array.isArray(x)
        ? x.filter((e): e is string => typeof e === "string" && e !== "")
        : [],
  );
}

/** The first string at a path. */
export function valueAt(v: unknown, path: string): string | undefined {
  return valuesAt(v, path)[0];
}

/** True when the value at the path is `true` (or the string "true"). */
export function flag(v: unknown, path: string): boolean {
  let x: unknown = v;
  for (const step of path.split(".")) {
    if (Array.isArray(x)) x = x[0];
    x = x !== null && typeof x === "object" ? (x as Record<string, unknown>)[step] : undefined;
  }
  if (Array.isArray(x)) x = x[0];
  return x === true || x === "true";
}
