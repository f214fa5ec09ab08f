/** The Backstage importer on a catalogue written for these tests (test/fixtures/importers/backstage/). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { backstageImporter, entityRef } from "./backstage.js";
import { readDocuments } from "./documents.js";

const FILE = "test/fixtures/importers/backstage/catalog-info.yaml";
const read = readDocuments({ path: FILE, text: readFileSync(FILE, "utf8") });
if (!read.ok) throw new Error("fixture does not parse");
const f = backstageImporter.run(read.documents, {});

describe("backstage importer", () => {
  it("makes Components and Resources components, owners and systems their description", () => {
    expect(f.components.map((c) => [c.id, c.kind, c.description])).toEqual([
      ["checkout", "api", "Takes orders; owned by commerce; part of shop"],
      ["payments", "api", "owned by payments-team"],
      ["orders-db", "database", "owned by commerce"],
    ]);
    expect(f.components.every((c) => c.placement === undefined)).toBe(true);
  });

  it("turns dependsOn and consumed APIs into dependencies on their providers, and leaves unknown APIs to the merge", () => {
    expect(
      f.dependencies.map((d) => `${d.from} → ${d.to} (${d.source.line}:${d.source.column})`),
    ).toEqual(["checkout → orders-db (21:15)", "checkout → payments (20:18)"]);
    expect(f.references.map((r) => `${r.from} → ${r.target}`)).toEqual(["checkout → fraud-api"]);
  });

  it("says that libraries are not imported", () => {
    expect(f.diagnostics.map((d) => d.message)).toEqual([
      "1 library component(s) run inside what uses them, not on their own: not imported (ui-kit)",
    ]);
  });

  it.each([
    ["resource:default/orders-db", undefined, { kind: "resource", name: "orders-db" }],
    ["payments-api", "api", { kind: "api", name: "payments-api" }],
    ["group:commerce", undefined, { kind: "group", name: "commerce" }],
    ["orders", undefined, { name: "orders" }],
  ])("reads the entity reference %s", (ref, kind, expected) =>
    expect(entityRef(ref, kind)).toEqual(expected),
  );
});
