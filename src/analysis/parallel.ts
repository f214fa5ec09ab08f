/**
 * @module analysis/parallel
 * `analyzeInParallel`: the audit of `analyze` on two threads. A worker thread runs the
 * blast-radius pass, the audit's largest kernel, while this thread runs the rules that do not
 * read its table (cycles, recovery, capacity fit, retry amplification…); the rules that read it
 * run when it arrives. The report is the same, byte for byte: every rule computes what it
 * computed before, and findings are gathered in rule order whatever order the rules ran in.
 *
 * Node only (worker threads); `analyze` stays the pure, synchronous audit. The measurements
 * behind the threshold are in decision 006.
 */
import { availableParallelism } from "node:os";
import type { BlastRadiusSummary } from "../graph/blast-radius.js";
import type { FailureGraph, Outputs } from "../graph/failure-graph.js";
import { startWorker } from "../threads/start-worker.js";
import {
  type AuditOptions,
  type AuditReport,
  auditReport,
  runRules,
  selectedRules,
} from "./analyze.js";
import { AuditContext, type BlastInputs } from "./context.js";
import { RULES } from "./rules/index.js";

/**
 * Below this many graph nodes the pass runs here: starting a worker and copying the graph to
 * it costs about 0.1 s, more than the pass of a model of a few thousand components.
 */
export const PARALLEL_FROM = 20_000;

/** What the worker receives: the pass's arguments, the graph without its ids. */
export interface BlastJob {
  readonly graph: FailureGraph;
  readonly out: Outputs;
  readonly watched: readonly number[];
  readonly masks: readonly Uint8Array[];
}

export interface ParallelAuditOptions extends AuditOptions {
  /** Graphs with fewer nodes are audited on this thread alone (default `PARALLEL_FROM`). */
  readonly parallelFrom?: number;
}

export async function analyzeInParallel(
  model: AuditContext["model"],
  options: ParallelAuditOptions = {},
): Promise<AuditReport> {
  const ctx = new AuditContext(model, options);
  const selected = selectedRules(options);
  const later = selected.filter((id) => RULES[id].readsBlastTable === true);
  const worth =
    later.length > 0 &&
    ctx.compiled.graph.nodeCount >= (options.parallelFrom ?? PARALLEL_FROM) &&
    availableParallelism() > 1;
  if (!worth) return auditReport(ctx, selected, runRules(ctx, selected), options);
  const pending = blastInWorker(ctx.blastInputs());
  const results = runRules(
    ctx,
    selected.filter((id) => RULES[id].readsBlastTable !== true),
  );
  // A worker that could not start or died: the pass runs here (a bug in it throws here too).
  const summary = await pending.catch(() => undefined);
  if (summary) ctx.adoptBlast(summary);
  for (const [id, result] of runRules(ctx, later)) results.set(id, result);
  return auditReport(ctx, selected, results, options);
}

/** The blast-radius pass over `input` on a worker thread (`name` is the worker's module). */
export function blastInWorker(
  input: BlastInputs,
  name = "blast-worker",
): Promise<BlastRadiusSummary> {
  const g = input.graph;
  const job: BlastJob = {
    graph: { ...g, ids: [] },
    out: input.out,
    watched: input.watched,
    masks: input.masks,
  };
  return new Promise((resolve, reject) => {
    let worker: ReturnType<typeof startWorker>;
    try {
      worker = startWorker(import.meta.url, name, { workerData: job });
    } catch (err) {
      reject(err);
      return;
    }
    worker.once("message", (summary: BlastRadiusSummary) => {
      resolve(summary);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      reject(new Error(`the blast-radius worker stopped (exit code ${code})`));
    });
  });
}
