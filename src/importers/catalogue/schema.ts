/**
 * @module importers/catalogue/schema
 * The format of the provider catalogue's data files (`catalogue/<provider>.yaml`): the pieces
 * of a cloud that imported resources lean on without saying so (`targets`), which resources
 * lean on them and how (`edges`), and the published sources behind every entry. Checked with
 * zod like model files, plus the cross-references zod cannot see (a cite naming no source, an
 * edge to no target).
 */
import * as z from "zod";
import { COMPONENT_KINDS, CONFIDENCES, IMPLICIT_EDGES } from "../../model/types.js";

const key = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and -");

const target = z.strictObject({
  /** The service as people name it: "IAM", "Route 53". */
  service: z.string().min(1),
  kind: z.enum(COMPONENT_KINDS),
  plane: z.enum(["control", "data"]),
  /**
   * Where the target runs: in each caller's region, in one fixed region, globally, or in the
   * region of the caller's resource group (Azure).
   */
  at: z.union([
    z.literal("caller-region"),
    z.literal("global"),
    z.literal("resource-group-region"),
    z.strictObject({ region: z.string().min(1) }),
  ]),
  scope: z.string().min(1),
  /** Static stability: what keeps working while it is down, and what fails. */
  keepsWorking: z.string().min(1),
  cite: z.array(z.string()).min(1),
  confidence: z.enum(CONFIDENCES),
});

const edge = z.strictObject({
  /** Resources it applies to: any of these services (every one when left out), with all these traits. */
  when: z.strictObject({
    services: z.array(key).min(1).optional(),
    traits: z.array(key).min(1).optional(),
  }),
  to: key,
  edge: z.enum(IMPLICIT_EDGES),
  /** For provisioning edges: what fails while the target is down. */
  degraded: z.string().min(1).optional(),
  cite: z.array(z.string()).min(1),
  confidence: z.enum(CONFIDENCES),
  /** Why the row is not applied by default (⚠ in the sources); every low row is uncertain too. */
  uncertain: z.string().min(1).optional(),
});

export const catalogueSchema = z.strictObject({
  provider: z.enum(["aws", "azure", "google"]),
  asOf: z.string().regex(/^\d{4}-\d{2}$/, "year and month, as 2026-11"),
  sources: z.record(z.string(), z.url()),
  targets: z.record(key, target),
  edges: z.array(edge).min(1),
});

export type CatalogueFile = z.output<typeof catalogueSchema>;
export type CatalogueTarget = CatalogueFile["targets"][string];
export type CatalogueEdge = CatalogueFile["edges"][number];

/** The catalogues of every provider, checked. */
export type Catalogue = ReadonlyMap<CatalogueFile["provider"], CatalogueFile>;
