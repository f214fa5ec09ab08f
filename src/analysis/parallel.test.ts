import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { describe, expect, it, vi } from "vitest";
import { blastRadiusSummary, mergeSummaries, SummaryPass } from "../graph/blast-radius.js";
import { parseModel } from "../model/load.js";
import { generateModel } from "../synthetic/generate.js";
import { analyze } from "./analyze.js";
import { AuditContext } from "./context.js";
import { analyzeInParallel, startAuditWorker } from "./parallel.js";
import { RULES } from "./rules/index.js";
import { RULE_IDS } from "./types.js";

function example(name: string) {
  const path = `examples/${name}.yaml`;
  const text = readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
  const result = parseModel(path, (p) => (p === path ? text : undefined));
  if (!result.ok) throw new Error(`${path} does not load`);
  return result.model;
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
      // Few states enumerated, so that Monte Carlo estimates come from the worker too.
      const options = { depth: 2, exactLimit: 3 } as const;
      const inParallel = await analyzeInParallel(model, { ...options, parallelFrom: 0 });
      expect(JSON.stringify(inParallel)).toBe(JSON.stringify(analyze(model, options)));
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

describe("analyzeInParallel when a rule throws", () => {
  it("ends its worker and passes the error on", async () => {
    const thrown = vi.spyOn(RULES.cycle, "run").mockImplementation(() => {
      throw new Error("a rule's bug");
    });
    const terminate = vi.spyOn(Worker.prototype, "terminate");
    try {
      await expect(analyzeInParallel(generated, { parallelFrom: 0 })).rejects.toThrow(
        "a rule's bug",
      );
      expect(terminate).toHaveBeenCalled();
    } finally {
      thrown.mockRestore();
      terminate.mockRestore();
    }
  });
});

describe("startAuditWorker", () => {
  it("computes in the worker what the context computes here", async () => {
    // Two uncertain units at most are enumerated: the others are Monte Carlo estimates.
    const ctx = new AuditContext(generated, { exactLimit: 2 });
    const work = startAuditWorker(ctx, true);
    const here = new AuditContext(generated, { exactLimit: 2 });
    // Whether this thread gets to run blocks depends on timing; the table may not.
    const mine = work.join();
    const theirs = await work.blast;
    if (mine) mergeSummaries(theirs, mine);
    ctx.adoptBlast(theirs);
    const entries = here.workloadEntries();
    work.estimate(here.singleFailures(entries));
    ctx.adoptEstimates(await work.estimates);
    expect(ctx.blast().counts).toEqual(here.blast().counts);
    for (let w = 0; w < here.blast().columns; w++) {
      expect(ctx.blast().unitsHitting(w)).toEqual(here.blast().unitsHitting(w));
    }
    expect(entries.length).toBeGreaterThan(1);
    for (const entry of entries) {
      // Adopted, not computed: the context would compute it on first use otherwise.
      expect(ctx.entryEstimate(entry)).toEqual(here.entryEstimate(entry));
    }
    expect(entries.some((x) => here.entryEstimate(x).method === "monte-carlo")).toBe(true);
  });

  it("shares the pass's blocks with this thread: the merged halves are the whole", () => {
    const here = new AuditContext(generated);
    const { graph, watched, masks, out } = here.blastInputs();
    // Small blocks, so that the graph has several; odd blocks in one pass, even in the other.
    const odd = new SummaryPass(graph, watched, masks, { blockWords: 1 }, out);
    const even = new SummaryPass(graph, watched, masks, { blockWords: 1 }, out);
    expect(odd.blocks).toBeGreaterThan(3);
    for (let b = 0; b < odd.blocks; b++) (b % 2 === 1 ? odd : even).run(b);
    expect(odd.summary.counts[0]?.some((c) => c > 0)).toBe(true);
    expect(even.summary.counts[0]).not.toEqual(odd.summary.counts[0]);
    mergeSummaries(odd.summary, even.summary);
    const whole = blastRadiusSummary(graph, watched, masks, {}, out);
    expect(odd.summary.counts).toEqual(whole.counts);
    expect(odd.summary.watchedHits).toEqual(whole.watchedHits);
  });

  it("sends no estimates unless asked, and leaves no blocks to join once done", async () => {
    const work = startAuditWorker(new AuditContext(generated), false);
    await expect(work.blast).resolves.toBeDefined();
    await expect(work.estimates).rejects.toThrow(/no estimates/);
    expect(work.join()).toBeUndefined();
  });

  it("rejects both when the worker cannot start or its pass throws", async () => {
    const missing = startAuditWorker(new AuditContext(generated), true, "no-such-worker");
    await expect(missing.blast).rejects.toThrow();
    await expect(missing.estimates).rejects.toThrow();
    const ctx = new AuditContext(generated);
    const inputs = ctx.blastInputs();
    inputs.watched.push(inputs.graph.nodeCount + 5);
    const broken = startAuditWorker(ctx, true);
    await expect(broken.blast).rejects.toThrow(/out of range/);
    await expect(broken.estimates).rejects.toThrow(/out of range/);
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

  it("goes with readsEntryEstimates, set on the rules that read the estimates", () => {
    for (const id of RULE_IDS) {
      const ctx = new AuditContext(generated);
      const estimate = vi.spyOn(ctx, "entryEstimate");
      RULES[id].run(ctx);
      expect(estimate.mock.calls.length > 0, id).toBe(RULES[id].readsEntryEstimates === true);
      if (RULES[id].readsEntryEstimates) expect(RULES[id].readsBlastTable, id).toBe(true);
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
