import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { describe, expect, it, vi } from "vitest";
import { blastRadiusSummary, mergeSummaries, SummaryPass } from "../graph/blast-radius.js";
import { parseModel } from "../model/load.js";
import type { Model } from "../model/types.js";
import { generateModel } from "../synthetic/generate.js";
import { analyze } from "./analyze.js";
import { AuditContext } from "./context.js";
import { analyzeInParallel, startAuditWorker } from "./parallel.js";
import { RULES } from "./rules/index.js";
import { RULE_IDS } from "./types.js";

function example(name: string): Model {
  const path = `examples/${name}.yaml`;
  const text = readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
  const result = parseModel(path, (p) => (p === path ? text : undefined));
  if (!result.ok) throw new Error(`${path} does not load`);
  return result.model;
}

// Monitors, workloads and replicated components: every column of the blast table is used.
const generated = generateModel({ components: 600, dependencies: 3000, seed: 7, workloads: 4 });
const MODELS = [example("aws-us-east-1"), example("multi-region-active-active"), generated];
// Whatever this machine has: two cores, so that the worker is used.
const PARALLEL = { parallelFrom: 0, cores: 2 } as const;

/** Resolves once the worker has told how many blocks its pass has. */
async function blocksKnown(work: ReturnType<typeof startAuditWorker>): Promise<number> {
  for (;;) {
    const { blocks } = work.progress();
    if (blocks > 0) return blocks;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe("analyzeInParallel", () => {
  it("gives the report of analyze, with the table and the estimates from the worker", async () => {
    const adoptBlast = vi.spyOn(AuditContext.prototype, "adoptBlast");
    const adoptEstimates = vi.spyOn(AuditContext.prototype, "adoptEstimates");
    const failures: unknown[] = [];
    try {
      for (const model of MODELS) {
        // Few states enumerated, so that Monte Carlo estimates come from the worker too.
        const options = { depth: 2, exactLimit: 3 } as const;
        adoptBlast.mockClear();
        adoptEstimates.mockClear();
        const inParallel = await analyzeInParallel(model, {
          ...options,
          ...PARALLEL,
          onWorkerError: (err) => failures.push(err),
        });
        expect(adoptBlast).toHaveBeenCalledTimes(1);
        expect(adoptEstimates).toHaveBeenCalledTimes(1);
        expect(JSON.stringify(inParallel)).toBe(JSON.stringify(analyze(model, options)));
      }
      expect(failures).toEqual([]);
    } finally {
      adoptBlast.mockRestore();
      adoptEstimates.mockRestore();
    }
  });

  it("keeps the selected rules and their order, and runs small graphs on one thread", async () => {
    const model = example("aws-us-east-1");
    const rules = ["retry-amplification", "spof", "cycle"] as const;
    const inParallel = await analyzeInParallel(model, { ...PARALLEL, rules: [...rules] });
    expect(inParallel.rules.map((r) => r.id)).toEqual(["cycle", "spof", "retry-amplification"]);
    expect(inParallel).toEqual(analyze(model, { rules: [...rules] }));
    // Under the threshold, or on one core: no worker (nothing adopted), the same report.
    const adopt = vi.spyOn(AuditContext.prototype, "adoptEstimates");
    try {
      const small = await analyzeInParallel(model, { parallelFrom: Number.MAX_SAFE_INTEGER });
      const oneCore = await analyzeInParallel(model, { parallelFrom: 0, cores: 1 });
      expect(adopt).not.toHaveBeenCalled();
      expect(small).toEqual(analyze(model));
      expect(oneCore).toEqual(analyze(model));
    } finally {
      adopt.mockRestore();
    }
  });

  it("says when its worker failed, and gives the same report from this thread", async () => {
    const failures: unknown[] = [];
    const model = example("aws-us-east-1");
    const report = await analyzeInParallel(model, {
      ...PARALLEL,
      // A worker that cannot start: its module is not there.
      worker: { name: "no-such-worker" },
      onWorkerError: (err) => failures.push(err),
    });
    expect(failures.length).toBeGreaterThan(0);
    expect(report).toEqual(analyze(model));
  });
});

describe("analyzeInParallel when a rule throws", () => {
  it("ends its worker and passes the error on", async () => {
    const thrown = vi.spyOn(RULES.cycle, "run").mockImplementation(() => {
      throw new Error("a rule's bug");
    });
    const terminate = vi.spyOn(Worker.prototype, "terminate");
    try {
      await expect(analyzeInParallel(generated, PARALLEL)).rejects.toThrow("a rule's bug");
      expect(terminate).toHaveBeenCalled();
    } finally {
      thrown.mockRestore();
      terminate.mockRestore();
    }
  });
});

describe("startAuditWorker", () => {
  it("computes in the worker what the context computes here, and the estimates are adopted", async () => {
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
    const estimates = await work.estimates;
    ctx.adoptEstimates(estimates);
    expect(ctx.blast().counts).toEqual(here.blast().counts);
    for (let w = 0; w < here.blast().columns; w++) {
      expect(ctx.blast().unitsHitting(w)).toEqual(here.blast().unitsHitting(w));
    }
    expect(entries.length).toBeGreaterThan(1);
    entries.forEach((entry, i) => {
      // The worker's very object, not one computed here on first use.
      expect(ctx.entryEstimate(entry)).toBe(estimates[i]);
      expect(estimates[i]).toEqual(here.entryEstimate(entry));
    });
    expect(entries.some((x) => here.entryEstimate(x).method === "monte-carlo")).toBe(true);
  });

  it("shares the blocks of its pass with this thread when told to join", async () => {
    const ctx = new AuditContext(generated);
    // Blocks of 32 units, so that the pass has several; join whatever is left.
    const work = startAuditWorker(ctx, false, { blockWords: 1, joinFrom: 0 });
    const blocks = await blocksKnown(work);
    expect(blocks).toBeGreaterThan(3);
    const mine = work.join();
    expect(mine).toBeDefined();
    const theirs = await work.blast;
    expect(work.progress()).toEqual({ blocks, claimed: blocks });
    mergeSummaries(theirs, mine as NonNullable<typeof mine>);
    const { graph, watched, masks, out } = ctx.blastInputs();
    const whole = blastRadiusSummary(graph, watched, masks, {}, out);
    expect(theirs.counts).toEqual(whole.counts);
    expect(theirs.watchedHits).toEqual(whole.watchedHits);
  });

  it("sends no estimates unless asked, and leaves no blocks to join once done", async () => {
    const work = startAuditWorker(new AuditContext(generated), false);
    await expect(work.blast).resolves.toBeDefined();
    await expect(work.estimates).rejects.toThrow(/no estimates/);
    expect(work.join()).toBeUndefined();
  });

  it("rejects both when the worker cannot start or its pass throws, and is not joined", async () => {
    const missing = startAuditWorker(new AuditContext(generated), true, { name: "no-such-worker" });
    await expect(missing.blast).rejects.toThrow();
    await expect(missing.estimates).rejects.toThrow();
    expect(missing.join()).toBeUndefined();
    const ctx = new AuditContext(generated);
    const inputs = ctx.blastInputs();
    inputs.watched.push(inputs.graph.nodeCount + 5);
    const broken = startAuditWorker(ctx, true);
    await expect(broken.blast).rejects.toThrow(/out of range/);
    await expect(broken.estimates).rejects.toThrow(/out of range/);
  });
});

describe("SummaryPass", () => {
  it("adds up to the whole pass when two passes claim its blocks from one counter", () => {
    const here = new AuditContext(generated);
    const { graph, watched, masks, out } = here.blastInputs();
    const a = new SummaryPass(graph, watched, masks, { blockWords: 1 }, out);
    const b = new SummaryPass(graph, watched, masks, { blockWords: 1 }, out);
    expect(a.blocks).toBeGreaterThan(3);
    let next = 0;
    // The first pass takes the first three claims, the second the rest.
    a.runClaimed(() => (next < 3 ? next++ : a.blocks));
    b.runClaimed(() => next++);
    expect(a.summary.counts[0]?.some((c) => c > 0)).toBe(true);
    expect(b.summary.counts[0]?.some((c) => c > 0)).toBe(true);
    mergeSummaries(a.summary, b.summary);
    const whole = blastRadiusSummary(graph, watched, masks, {}, out);
    expect(a.summary.counts).toEqual(whole.counts);
    expect(a.summary.watchedHits).toEqual(whole.watchedHits);
  });
});

describe("Rule.readsBlastTable and readsEntryEstimates", () => {
  // A rule that reads the table without saying so would still be right in a parallel audit
  // (the context computes the table on first use) but would run the pass twice.
  const contexts = () =>
    MODELS.flatMap((m) => [new AuditContext(m), new AuditContext(m, { depth: 2 })]);

  it("are set on every rule that reads the table or the estimates, on every model here", () => {
    for (const id of RULE_IDS) {
      for (const ctx of contexts()) {
        const blast = vi.spyOn(ctx, "blast");
        const single = vi.spyOn(ctx, "singleFailures");
        const estimate = vi.spyOn(ctx, "entryEstimate");
        RULES[id].run(ctx);
        if (!RULES[id].readsBlastTable) {
          expect(blast, id).not.toHaveBeenCalled();
          expect(single, id).not.toHaveBeenCalled();
        }
        if (!RULES[id].readsEntryEstimates) expect(estimate, id).not.toHaveBeenCalled();
      }
    }
  });

  it("are set only on rules that read them, and estimates go with the table", () => {
    for (const id of RULE_IDS) {
      const ctx = new AuditContext(generated);
      const blast = vi.spyOn(ctx, "blast");
      const estimate = vi.spyOn(ctx, "entryEstimate");
      RULES[id].run(ctx);
      expect(blast.mock.calls.length > 0, id).toBe(RULES[id].readsBlastTable === true);
      expect(estimate.mock.calls.length > 0, id).toBe(RULES[id].readsEntryEstimates === true);
      if (RULES[id].readsEntryEstimates) expect(RULES[id].readsBlastTable, id).toBe(true);
    }
  });
});
