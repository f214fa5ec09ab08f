/**
 * The traces importer on an OTLP export and a Jaeger dependencies answer written for these
 * tests (test/fixtures/importers/traces/): four requests to frontend, each calling checkout
 * once, which calls payments twice and an uninstrumented PostgreSQL once.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readDocuments } from "../documents.js";
import type { Fragment } from "../types.js";
import { percentile, tracesImporter } from "./index.js";

function fragmentOf(file: string): Fragment {
  const read = readDocuments({ path: file, text: readFileSync(file, "utf8") });
  if (!read.ok) throw new Error("fixture does not parse");
  return tracesImporter.run(read.documents, {});
}

describe("traces importer: OTLP JSON", () => {
  const f = fragmentOf("test/fixtures/importers/traces/otlp.json");

  it("makes a component per service, its latency the median of the requests it served", () => {
    expect(f.components.map((c) => [c.id, c.kind, c.latency])).toEqual([
      ["checkout", "api", "95ms"],
      ["frontend", "api", "120ms"],
      ["payments", "api", "21ms"],
    ]);
  });

  it("measures each call: calls per request, count, rate and client-side p50 and p99", () => {
    expect(f.dependencies.map((d) => [d.from, d.to, d.options?.calls, d.observed])).toEqual([
      ["checkout", "payments", 2, { count: 8, rate: "2.564 rps", p50: "23ms", p99: "33ms" }],
      ["frontend", "checkout", 1, { count: 4, rate: "1.282 rps", p50: "100ms", p99: "100ms" }],
    ]);
  });

  it("names an uninstrumented database by its host, for the merge to match, with a component of its own otherwise", () => {
    expect(f.references).toEqual([
      expect.objectContaining({
        from: "checkout",
        target: "orders-db.internal",
        options: { calls: 1 },
        observed: { count: 4, rate: "1.282 rps", p50: "5ms", p99: "7ms" },
        orElse: expect.objectContaining({ id: "orders-db.internal", kind: "database" }),
      }),
    ]);
  });

  it("takes root spans as the requests entering the system", () => {
    expect(f.workloads.map((w) => [w.id, w.entry, w.rate])).toEqual([
      ["frontend-requests", "frontend", "1.282 rps"],
    ]);
  });
});

describe("traces importer: Jaeger dependencies", () => {
  it("reads call edges with their counts", () => {
    const f = fragmentOf("test/fixtures/importers/traces/jaeger-dependencies.json");
    expect(f.dependencies.map((d) => [d.from, d.to, d.observed?.count, d.source.line])).toEqual([
      ["frontend", "checkout", 400, 3],
      ["checkout", "payments", 800, 8],
      ["checkout", "inventory", 120, 13],
    ]);
    expect(f.components.map((c) => c.id)).toEqual([
      "frontend",
      "checkout",
      "payments",
      "inventory",
    ]);
  });
});

describe("percentile", () => {
  it("is the nearest rank", () => {
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 0.99)).toBe(5);
    expect(percentile([], 0.5)).toBeUndefined();
  });
});

describe("traces importer: OTLP JSON Lines", () => {
  it("reads one export per line, as the Collector's file exporter writes them", () => {
    const text = readFileSync("test/fixtures/importers/traces/otlp.json", "utf8");
    const { resourceSpans } = JSON.parse(text) as { resourceSpans: unknown[] };
    const lines = resourceSpans.map((r) => JSON.stringify({ resourceSpans: [r] })).join("\n");
    const read = readDocuments({ path: "export.jsonl", text: `${lines}\n` });
    if (!read.ok) throw new Error("does not parse");
    expect(read.documents).toHaveLength(3);
    const f = tracesImporter.run(read.documents, {});
    expect(f.dependencies.map((d) => [d.from, d.to, d.options?.calls])).toEqual([
      ["checkout", "payments", 2],
      ["frontend", "checkout", 1],
    ]);
    expect(f.dependencies[0]?.source).toEqual(
      expect.objectContaining({ file: "export.jsonl", line: 3 }),
    );
  });
});

describe("traces importer: size", () => {
  it("reads 150k spans (more than a call's arguments can hold) without overflowing the stack", () => {
    // Root spans of one service, 1 µs apart and 0.5 µs long: a window of 150k µs.
    const n = 150_000;
    const spans = Array.from({ length: n }, (_, i) => ({
      traceId: `t${i}`,
      spanId: `s${i}`,
      kind: 2,
      name: "get",
      startTimeUnixNano: String(1_000_000_000_000_000_000n + BigInt(i) * 1000n),
      endTimeUnixNano: String(1_000_000_000_000_000_500n + BigInt(i) * 1000n),
    }));
    const text = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "api" } }] },
          scopeSpans: [{ spans }],
        },
      ],
    });
    const read = readDocuments({ path: "big.json", text });
    if (!read.ok) throw new Error("does not parse");
    const f = tracesImporter.run(read.documents, {});
    expect(f.components.map((c) => c.id)).toEqual(["api"]);
  });
});
