/**
 * @module importers/catalogue/apply
 * The provider catalogue applied to a merged model: every imported component that is a managed
 * service gets the implicit dependencies the catalogue lists for it — to the IAM data plane of
 * its Region, to the us-east-1 control planes it was created through — each marked `implicit`
 * with the catalogue entry, its confidence and its published sources, and located at the
 * resource that brought it in. The targets are added as components of their own, placed where
 * the catalogue says they run.
 *
 * Runtime, credential and configuration edges are hard (`needs`); provisioning edges are soft
 * (`wants`, degraded to "… changes fail"), since a data plane keeps serving while the control
 * plane it was created through is down (static stability). Uncertain rows are not applied
 * unless asked; they are listed in one line instead.
 */
import { edgeKey, listed, type MergedComponent, type MergedModel } from "../merge.js";
import type { ImportDiagnostic, Provenance } from "../types.js";
import type { Catalogue, CatalogueEdge, CatalogueFile } from "./schema.js";

export interface CatalogueOptions {
  /** Also add the rows marked uncertain (and every low-confidence one). */
  readonly uncertain?: boolean;
}

export function applyCatalogue(
  model: MergedModel,
  catalogue: Catalogue,
  options: CatalogueOptions = {},
): ImportDiagnostic[] {
  const diagnostics: ImportDiagnostic[] = [];
  const skipped: { at: Provenance; text: string }[] = [];
  const regionless: { at: Provenance; text: string }[] = [];
  const callers = [...model.components.values()]
    .filter((c) => c.managed !== undefined && c.catalogue === undefined)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  for (const c of callers) {
    const managed = c.managed as NonNullable<MergedComponent["managed"]>;
    const file = catalogue.get(managed.provider);
    if (!file) continue;
    for (const e of file.edges) {
      if (!applies(e, managed.service, managed.traits)) continue;
      const target = file.targets[e.to] as CatalogueFile["targets"][string];
      const region =
        target.at === "caller-region"
          ? (managed.region ?? regionOf(c))
          : target.at === "resource-group-region"
            ? managed.resourceGroupRegion
            : target.at === "global"
              ? null
              : target.at.region;
      const at = c.sources[0] as Provenance;
      const id = `${file.provider}.${e.to}${region ? `@${region}` : ""}`;
      if ((e.uncertain !== undefined || e.confidence === "low") && !options.uncertain) {
        skipped.push({
          at,
          text: `${c.id} → ${id} (${target.service}: ${e.uncertain ?? "low confidence"})`,
        });
        continue;
      }
      if (region === undefined) {
        regionless.push({ at, text: `${c.id} → ${file.provider}.${e.to}` });
        continue;
      }
      if (id === c.id || model.dependencies.has(edgeKey(c.id, id))) continue;
      if (!model.components.has(id)) {
        model.components.set(id, {
          id,
          kind: target.kind,
          plane: target.plane,
          placement:
            region === null
              ? { at: "global", provider: file.provider }
              : { at: "region", provider: file.provider, region },
          description: `${target.service}${target.plane === "control" ? " control plane" : ""}: ${target.scope}. ${target.keepsWorking}`,
          sources: [],
          catalogue: `${file.provider}.${e.to}`,
        });
      }
      const hard = e.edge !== "provisioning";
      model.dependencies.set(edgeKey(c.id, id), {
        from: c.id,
        to: id,
        hard,
        options: hard ? {} : { degraded: e.degraded as string },
        implicit: {
          catalogue: `${file.provider}.${e.to}`,
          service: target.service,
          edge: e.edge,
          confidence: e.confidence,
          cite: e.cite.map((tag) => file.sources[tag] as string),
        },
        sources: [{ ...at, address: `${at.address} (catalogue ${file.provider}.${e.to})` }],
      });
    }
  }
  if (skipped.length > 0) {
    const first = skipped[0] as { at: Provenance };
    diagnostics.push({
      code: "uncertain",
      severity: "info",
      message: `${skipped.length} uncertain implicit dependenc${skipped.length === 1 ? "y was" : "ies were"} not added (--uncertain adds them): ${listed(
        skipped.map((s) => s.text),
        3,
      )}`,
      file: first.at.file,
      line: first.at.line ?? 1,
      column: first.at.column ?? 1,
    });
  }
  if (regionless.length > 0) {
    const first = regionless[0] as { at: Provenance };
    diagnostics.push({
      code: "uncertain",
      severity: "warning",
      message: `${regionless.length} implicit dependenc${regionless.length === 1 ? "y needs" : "ies need"} the caller's region, which no source gives, and ${regionless.length === 1 ? "was" : "were"} not added: ${listed(
        regionless.map((s) => s.text),
        3,
      )}`,
      file: first.at.file,
      line: first.at.line ?? 1,
      column: first.at.column ?? 1,
    });
  }
  return diagnostics;
}

function applies(e: CatalogueEdge, service: string, traits: readonly string[]): boolean {
  const services = e.when.services;
  if (services !== undefined && !services.includes(service)) return false;
  return (e.when.traits ?? []).every((t) => traits.includes(t));
}

/** The one region a component runs in, when its placement says. */
function regionOf(c: MergedComponent): string | undefined {
  const p = c.placement;
  if (p?.at === "zones" || p?.at === "region") return p.region;
  return undefined;
}
