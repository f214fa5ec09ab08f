import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { parseModel } from "../model/load.js";
import { generateModel } from "../synthetic/generate.js";
import { analyze } from "./analyze.js";
import { AuditContext } from "./context.js";
import { analyzeInParallel, blastInWorker } from "./parallel.js";
import { RULES } from "./rules/index.js";
import { RULE_IDS } from "./types.js";

function example(name: string) {
  const path = `examples/${name}.yaml`;
  const text = readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
  const { model } = parseModel(path, (p) => (p === path ? text : undefined));
  if (!model) throw new Error(`${path} does not load`);
  return model;
}

// Monitors, workloads and replicated components: every column of the blast table is used.
const generated = generateModel({ components: 600, dependencies: 3000, seed: 7, workloads: 4 });

describe("analyzeInParallel", () => {
  it("gives the report of analyze, with the blast-radius pass on a worker thread", async () => {
    for (const model of [
      example("aws-us-east-1"),
      example("multi-region-active-active"),
      generated,
    ]) {
      const inParallel = await analyzeInParallel(model, { parallelFrom: 0, depth: 2 });
      expect(JSON.stringify(inParallel)).toBe(JSON.stringify(analyze(model, { depth: 2 })));
    }
  });

  it("keeps the selected rules and their order, and runs small graphs on one thread", async () => {
    const model = example("aws-us-east-1");
    const rules = ["retry-amplification", "spof", "cycle"] as const;
    const inParallel = await analyzeInParallel(model, { parallelFrom: 0, rules: [...rules] });
    expect(inParallel.rules.map((r) => r.id)).toEqual(["cycle", "spof", "retry-amplification"]);
    expect(inParallel).toEqual(analyze(model, { rules: [...rules] }));
    // Over the threshold: no worker, the same report.
    const alone = await analyzeInParallel(model, { parallelFrom: Number.MAX_SAFE_INTEGER });
    expect(alone).toEqual(analyze(model));
  });
});

describe("blastInWorker", () => {
  it("computes in the worker what the context computes here", async () => {
    const ctx = new AuditContext(generated);
    const summary = await blastInWorker(ctx.blastInputs());
    const here = new AuditContext(generated);
    const table = here.blast();
    ctx.adoptBlast(summary);
    expect(ctx.blast().counts).toEqual(table.counts);
    expect(ctx.blast().unitsHitting(0)).toEqual(table.unitsHitting(0));
  });

  it("rejects when the worker cannot start or its pass throws", async () => {
    const ctx = new AuditContext(generated);
    await expect(blastInWorker(ctx.blastInputs(), "no-such-worker")).rejects.toThrow();
    const inputs = ctx.blastInputs();
    const outOfRange = { ...inputs, watched: [inputs.graph.nodeCount + 5] };
    await expect(blastInWorker(outOfRange)).rejects.toThrow(/out of range/);
  });
});

describe("Rule.readsBlastTable", () => {
  // A rule that reads the table without saying so would still be right in a parallel audit
  // (the context computes the table on first use) but would run the pass twice.
  it("is set on every rule that reads the blast-radius table", () => {
    for (const id of RULE_IDS) {
      if (RULES[id].readsBlastTable) continue;
      const ctx = new AuditContext(generated);
      const blast = vi.spyOn(ctx, "blast");
      const single = vi.spyOn(ctx, "singleFailures");
      RULES[id].run(ctx);
      expect(blast, id).not.toHaveBeenCalled();
      expect(single, id).not.toHaveBeenCalled();
    }
  });

  it("is set only on rules that read it", () => {
    for (const id of RULE_IDS) {
      if (!RULES[id].readsBlastTable) continue;
      const ctx = new AuditContext(generated);
      const blast = vi.spyOn(ctx, "blast");
      RULES[id].run(ctx);
      expect(blast, id).toHaveBeenCalled();
    }
  });
});
