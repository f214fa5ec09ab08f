/**
 * @module importers/backstage
 * Backstage catalogue descriptors (`catalog-info.yaml`, `apiVersion: backstage.io/v1alpha1`)
 * to a fragment. Components and Resources are components; `dependsOn` is a hard dependency;
 * a component that `consumesApis` an API some component `providesApis` depends on that
 * provider. Owners and systems become the description. Backstage says nothing of where things
 * run, so its components are placed by another source, or by an overlay.
 *
 * Entity references are `[kind:][namespace/]name`; the name makes the id, as in every other
 * source, so `resource:default/orders-db` is the component `orders-db` whatever describes it.
 */

import type { ComponentKind } from "../model/types.js";
import { FragmentBuilder, list, provenance, record, text } from "./fragment.js";
import { listed } from "./merge.js";
import type { Importer, Provenance, SourceDocument } from "./types.js";
import { cmp, toId } from "./units.js";

/** Kinds that say who and what, not what runs: read for descriptions, or not at all. */
const NOT_RUNNING = new Set(["API", "System", "Domain", "Group", "User", "Location", "Template"]);

const RESOURCE_KINDS: Readonly<Record<string, ComponentKind>> = {
  database: "database",
  "s3-bucket": "object-store",
  bucket: "object-store",
  storage: "object-store",
  queue: "queue-service",
  topic: "event-bus",
  cache: "cache",
  "kv-store": "kv-store",
  "load-balancer": "load-balancer",
  dns: "dns",
  cdn: "cdn",
  identity: "identity",
};

interface Entity {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly spec: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly doc: SourceDocument;
}

export function isBackstage(data: unknown): boolean {
  const api = record(data)?.apiVersion;
  return typeof api === "string" && api.startsWith("backstage.io/");
}

/** The entity a reference names: `component:default/orders` → `{ kind: component, name: orders }`. */
export function entityRef(ref: string, defaultKind?: string): { kind?: string; name: string } {
  const colon = ref.indexOf(":");
  const kind = colon > 0 ? ref.slice(0, colon).toLowerCase() : defaultKind;
  const rest = colon > 0 ? ref.slice(colon + 1) : ref;
  const name = rest.slice(rest.indexOf("/") + 1);
  return kind !== undefined ? { kind, name } : { name };
}

export const backstageImporter: Importer = {
  format: "backstage",
  detect: (doc) => isBackstage(doc.data),
  run(docs) {
    const out = new FragmentBuilder("backstage");
    const entities: Entity[] = [];
    for (const doc of docs) {
      const d = record(doc.data) ?? {};
      const metadata = record(d.metadata) ?? {};
      const kind = text(d.kind);
      const name = text(metadata.name);
      if (kind === undefined || name === undefined) {
        out.report(
          "invalid-input",
          "error",
          { file: doc.file, ...doc.locate([]) },
          "a catalogue entity needs kind and metadata.name",
        );
        continue;
      }
      entities.push({
        kind,
        name,
        namespace: text(metadata.namespace) ?? "default",
        spec: record(d.spec) ?? {},
        metadata,
        doc,
      });
    }
    entities.sort((a, b) =>
      cmp(`${a.kind}/${a.namespace}/${a.name}`, `${b.kind}/${b.namespace}/${b.name}`),
    );
    const at = (e: Entity) => provenance(e.doc, [], `${e.kind}:${e.namespace}/${e.name}`);

    // Who provides each API.
    const providers = new Map<string, Entity[]>();
    for (const e of entities)
      for (const api of list(e.spec.providesApis)) {
        const n = entityRef(String(api), "api").name;
        providers.set(n, [...(providers.get(n) ?? []), e]);
      }

    const libraries: Provenance[] = [];
    for (const e of entities) {
      if (NOT_RUNNING.has(e.kind)) continue;
      if (e.kind !== "Component" && e.kind !== "Resource") {
        out.unknownType(e.kind, at(e));
        continue;
      }
      const type = text(e.spec.type) ?? "";
      if (e.kind === "Component" && type === "library") {
        libraries.push({ ...at(e), address: e.name });
        continue;
      }
      const kind: ComponentKind =
        e.kind === "Resource"
          ? (RESOURCE_KINDS[type] ?? "other")
          : type === "website"
            ? "web"
            : "api";
      const owner = text(e.spec.owner);
      const system = text(e.spec.system);
      const about = [
        text(e.metadata.description),
        owner && `owned by ${entityRef(owner).name}`,
        system && `part of ${entityRef(system).name}`,
      ].filter(Boolean);
      out.component({
        id: toId(e.name),
        kind,
        ...(about.length > 0 ? { description: about.join("; ") } : {}),
        aliases: [e.name, ...list(e.metadata.aliases).map(String)],
        source: at(e),
      });
      for (const [i, dep] of list(e.spec.dependsOn).entries()) {
        const target = entityRef(String(dep));
        out.dependency({
          from: toId(e.name),
          to: toId(target.name),
          hard: true,
          source: provenance(e.doc, ["spec", "dependsOn", i], `${e.name} dependsOn ${String(dep)}`),
        });
      }
      for (const [i, api] of list(e.spec.consumesApis).entries()) {
        const name = entityRef(String(api), "api").name;
        const source = provenance(
          e.doc,
          ["spec", "consumesApis", i],
          `${e.name} consumesApis ${String(api)}`,
        );
        const by = providers.get(name) ?? [];
        if (by.length === 0) out.reference({ from: toId(e.name), target: name, source });
        for (const p of by)
          out.dependency({ from: toId(e.name), to: toId(p.name), hard: true, source });
      }
    }
    if (libraries.length > 0)
      out.report(
        "ignored",
        "info",
        libraries[0] as Provenance,
        `${libraries.length} library component(s) run inside what uses them, not on their own: not imported (${listed(libraries.map((l) => l.address))})`,
      );
    return out.build();
  },
};
