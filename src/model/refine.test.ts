import { describe, expect, it } from "vitest";
import { DOMAINS, parseTexts } from "../../test/helpers/memory.js";
import { formatDiagnostic } from "./diagnostics.js";

/** An imported file (with provenance) and the overlay that includes it. */
const IMPORTED = `${DOMAINS}
components:
  db:
    kind: database
    placement: { region: r1 }
    source: { file: tf/state.json, line: 12, column: 9, address: aws_db_instance.db }
  cache: { kind: cache, placement: { region: r1 } }
  api:
    kind: api
    placement: { zones: [r1-a, r1-b], region: r1 }
    source:
      - { file: k8s/api.yaml, line: 3, column: 1, address: apps/v1/Deployment/default/api }
      - { file: traces.json, address: api }
    needs:
      db: { timeout: 1s, source: { file: traces.json, line: 40, address: api → db } }
      cache: {}
`;

const withOverlay = (overlay: string) =>
  parseTexts({
    "main.yaml": `name: shop\ninclude: [imported.yaml]\n${overlay}`,
    "imported.yaml": IMPORTED,
  });

const errors = (overlay: string) => {
  const r = withOverlay(overlay);
  expect(r.ok).toBe(false);
  return r.diagnostics.map(formatDiagnostic);
};

describe("provenance", () => {
  it("points an imported component's and dependency's loc at the source file, relative to the model file", () => {
    const r = parseTexts({
      "out/main.yaml": "name: shop\ninclude: [imported.yaml]\n",
      "out/imported.yaml": IMPORTED,
    });
    if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join("\n"));
    const db = r.model.components.find((c) => c.id === "db");
    expect(db?.loc).toEqual({ file: "out/tf/state.json", line: 12, column: 9 });
    expect(db?.sources).toEqual([
      { file: "out/tf/state.json", line: 12, column: 9, address: "aws_db_instance.db" },
    ]);
    const api = r.model.components.find((c) => c.id === "api");
    expect(api?.sources?.map((s) => s.address)).toEqual(["apps/v1/Deployment/default/api", "api"]);
    expect(api?.loc).toEqual({ file: "out/k8s/api.yaml", line: 3, column: 1 });
    const dep = r.model.dependencies.find((d) => d.to === "db");
    expect(dep?.loc).toEqual({ file: "out/traces.json", line: 40, column: 1 });
    // A hand-written element keeps its YAML location.
    const cache = r.model.components.find((c) => c.id === "cache");
    expect(cache?.loc.file).toBe("out/imported.yaml");
    expect(cache?.sources).toBeUndefined();
  });

  it("keeps only what a provenance says: no empty observations, no keys left undefined", () => {
    const r = parseTexts({
      "main.yaml": `name: shop
${DOMAINS}
components:
  db: { kind: database, placement: { region: r1 } }
  api:
    kind: api
    placement: { region: r1 }
    source: { address: api, observed: {} }
    needs:
      db: { source: { file: t.json, address: api → db, observed: { count: 3, p99: 250ms } } }
`,
    });
    if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join("\n"));
    const api = r.model.components.find((c) => c.id === "api");
    expect(api?.sources).toStrictEqual([{ address: "api" }]);
    expect(api?.loc.file).toBe("main.yaml");
    const dep = r.model.dependencies.find((d) => d.to === "db");
    expect(dep?.sources).toStrictEqual([
      { file: "t.json", address: "api → db", observed: { count: 3, p99: 0.25 } },
    ]);
  });
});

describe("refine: an overlay changes an imported component", () => {
  it("replaces the keys it names and keeps the rest, provenance included", () => {
    const r = withOverlay(`refine:
  db:
    placement: { zones: [r1-a, r1-b], region: r1 }
    rto: 30m
`);
    if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join("\n"));
    const db = r.model.components.find((c) => c.id === "db");
    expect(db?.placement).toEqual({ scope: "zones", domains: ["r1-a", "r1-b"], region: "r1" });
    expect(db?.rto).toBe(1800);
    expect(db?.kind).toBe("database");
    expect(db?.loc.file).toBe("tf/state.json");
  });

  it("merges dependencies by target: replaces one, moves one to wants, drops none it does not name", () => {
    const r = withOverlay(`refine:
  api:
    needs:
      db: { timeout: 250ms, retry: { attempts: 2 } }
    wants:
      cache: { degraded: no-cache }
`);
    if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join("\n"));
    const deps = r.model.dependencies.filter((d) => d.from === "api");
    expect(deps.map((d) => [d.to, d.kind, d.timeout, d.degradedMode])).toEqual([
      ["cache", "soft", undefined, "no-cache"],
      ["db", "hard", 0.25, undefined],
    ]);
  });

  it("drops dependencies", () => {
    const r = withOverlay("refine:\n  api:\n    drop: [cache]\n");
    if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join("\n"));
    expect(r.model.dependencies.filter((d) => d.from === "api").map((d) => d.to)).toEqual(["db"]);
  });

  it("locates problems in what the refinement wrote at the refinement (the path is the model's)", () => {
    expect(errors("refine:\n  api:\n    needs:\n      nosuch: {}\n")).toEqual([
      "main.yaml:6:7: error[unknown-reference] components.api.needs.nosuch: unknown component 'nosuch'",
    ]);
    expect(errors("refine:\n  cache:\n    tokens: { ttl: 1h }\n")).toEqual([
      "main.yaml:5:5: error[impossible-value] components.cache.tokens: only identity and token-service components issue tokens ('cache' is cache)",
    ]);
  });

  it("reports an unknown component, or a dependency that is not there, with the closest name", () => {
    expect(errors("refine:\n  dbb: { rto: 1h }\n")).toEqual([
      "main.yaml:4:3: error[unknown-reference] refine.dbb: refines unknown component 'dbb' — did you mean 'db'?",
    ]);
    expect(errors("refine:\n  api: { drop: [cashe] }\n")).toEqual([
      "main.yaml:4:17: error[unknown-reference] refine.api.drop.0: 'cashe' is not a dependency of 'api' — did you mean 'cache'?",
    ]);
  });

  it("reports two refinements of the same key as a conflict naming the first", () => {
    const r = parseTexts({
      "main.yaml": "name: shop\ninclude: [imported.yaml, a.yaml, b.yaml]\n",
      "imported.yaml": IMPORTED,
      "a.yaml": "refine:\n  db: { rto: 1h }\n",
      "b.yaml": "refine:\n  db: { rto: 2h, latency: 5ms }\n",
    });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "b.yaml:2:9: error[duplicate-id] refine.db.rto: 'rto' of 'db' is already refined at a.yaml:2",
    ]);
  });

  it("still rejects a second declaration of the same id", () => {
    expect(errors("components:\n  db: { kind: database, placement: { region: r1 } }\n")).toEqual([
      "imported.yaml:11:3: error[duplicate-id] components.db: 'db' is already declared at main.yaml:4",
    ]);
  });
});
