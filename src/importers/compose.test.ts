/** The Compose importer on a project written for these tests (test/fixtures/importers/compose/). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { composeImporter } from "./compose.js";
import { readDocuments } from "./documents.js";
import { mergeFragments } from "./merge.js";

const FILE = "test/fixtures/importers/compose/compose.yaml";
const read = readDocuments({ path: FILE, text: readFileSync(FILE, "utf8") });
if (!read.ok) throw new Error("fixture does not parse");
const f = composeImporter.run(read.documents, {});
const m = mergeFragments([f]);

describe("compose importer", () => {
  it("places every service on the project's one host, kinds from images and callers", () => {
    expect(f.components.map((c) => [c.id, c.kind, c.placement])).toEqual(
      ["app:api", "cache:cache", "db:database", "migrate:worker", "search:database", "web:web"].map(
        (e) => {
          const [id, kind] = e.split(":");
          return [id, kind, { at: "domain", domain: "compose:blog", kind: "host" }];
        },
      ),
    );
    expect(f.components.find((c) => c.id === "app")?.description).toBe("3 replicas on one host");
  });

  it("reads depends_on conditions: healthy and started are needs, required: false is wants, completed is no dependency", () => {
    const deps = [...m.dependencies.values()]
      .map((d) => `${d.from} ${d.hard ? "needs" : "wants"} ${d.to}`)
      .sort();
    expect(deps).toEqual([
      "app needs db",
      "app needs search",
      "app wants cache",
      "migrate needs db",
      "web needs app",
    ]);
    expect(f.diagnostics.map((d) => `${d.severity}[${d.code}] ${d.line}:${d.column}`)).toEqual([
      "warning[invalid-input] 18:19",
      "info[ignored] 26:7",
    ]);
  });

  it("estimates readiness from the healthcheck: start period plus one interval", () => {
    expect(f.components.find((c) => c.id === "app")?.restart).toBe("30s");
    expect(f.components.find((c) => c.id === "db")?.restart).toBe("5s");
  });

  it("reports a call between services that share no network", () => {
    expect(f.diagnostics[0]?.message).toBe(
      "app refers to search (http://search:9200), but they share no network: the call cannot work",
    );
  });
});
