/**
 * @module analysis/parallel
 * `analyzeInParallel`: the audit of `analyze` on two threads. A worker thread runs the
 * blast-radius pass, the audit's largest kernel, while this thread runs the rules that do not
 * read its table (cycles, recovery, capacity fit, retry amplification…); if many of the pass's
 * blocks are still left then, this thread runs some of them too. The rules that read the table
 * run when it is whole. The worker meanwhile estimates the workloads' availability, which needs
 * only the graph, the declared availabilities and the entries' cut sets from the table. The
 * report is the same, byte for byte: every rule computes what it computed before, each block
 * of the pass writes only its own units' results, and findings are gathered in rule order
 * whatever order the rules ran in.
 *
 * Node only (worker threads); `analyze` stays the pure, synchronous audit. The measurements
 * behind the threshold are in decision 006.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { type BlastRadiusSummary, mergeSummaries, SummaryPass } from "../graph/blast-radius.js";
import type { Estimate, EstimateOptions } from "../graph/entry-availability.js";
import type { FailureGraph, Outputs } from "../graph/failure-graph.js";
import type { Model } from "../model/types.js";
import { startWorker } from "../threads/start-worker.js";
import {
  type AuditOptions,
  type AuditReport,
  auditReport,
  runRules,
  selectedRules,
} from "./analyze.js";
import { AuditContext } from "./context.js";
import { RULES } from "./rules/index.js";

/**
 * Below this many graph nodes the audit runs on this thread alone: starting a worker and
 * copying the graph to it costs about 0.1 s, more than the pass of a model of a few thousand
 * components.
 */
export const PARALLEL_FROM = 20_000;

/** What the worker receives: the pass's arguments (the graph without its ids), and more. */
export interface WorkerJob {
  readonly graph: FailureGraph;
  readonly out: Outputs;
  readonly watched: readonly number[];
  readonly masks: readonly Uint8Array[];
  readonly tuning: { readonly blockWords?: number };
  /**
   * Shared with the main thread: [0] the next block of the pass to run, claimed by whichever
   * thread adds 1 first; [1] the number of blocks, once the worker knows it (0 until then).
   */
  readonly claim: Int32Array;
  /** The entries whose availability to estimate, with their keys, when the cuts arrive. */
  readonly estimates?: {
    readonly entries: readonly number[];
    readonly keys: readonly string[];
    readonly avail: Float64Array;
    readonly options: EstimateOptions;
  };
}

/** What the main thread sends: the entries' cut sets, from the whole table. */
export interface MainMessage {
  readonly cuts: readonly Int32Array[];
}

/** What the worker sends back, in this order. */
export type WorkerMessage =
  | { readonly kind: "blast"; readonly summary: BlastRadiusSummary }
  | { readonly kind: "estimates"; readonly estimates: readonly Estimate[] };

export interface ParallelAuditOptions extends AuditOptions {
  /** Graphs with fewer nodes are audited on this thread alone (default `PARALLEL_FROM`). */
  readonly parallelFrom?: number;
  /** Cores to count on (default: the machine's); with one, the audit stays on this thread. */
  readonly cores?: number;
  /**
   * Told when the worker could not start or failed: its work was then done on this thread,
   * with the same result, only slower.
   */
  readonly onWorkerError?: (err: unknown) => void;
  /** How the worker is run (the defaults are the measured ones). */
  readonly worker?: WorkerTuning;
}

export async function analyzeInParallel(
  model: Model,
  options: ParallelAuditOptions = {},
): Promise<AuditReport> {
  const ctx = new AuditContext(model, options);
  const selected = selectedRules(options);
  const later = selected.filter((id) => RULES[id].readsBlastTable === true);
  const worth =
    later.length > 0 &&
    ctx.compiled.graph.nodeCount >= (options.parallelFrom ?? PARALLEL_FROM) &&
    (options.cores ?? availableParallelism()) > 1;
  if (!worth) return auditReport(ctx, selected, runRules(ctx, selected), options);
  const estimating = later.some((id) => RULES[id].readsEntryEstimates === true);
  const work = startAuditWorker(ctx, estimating, options.worker);
  // The worker waits for the cut sets once its pass is sent: it is ended however this ends.
  try {
    const results = runRules(
      ctx,
      selected.filter((id) => RULES[id].readsBlastTable !== true),
    );
    const mine = work.join();
    // A worker that could not start or died: what it did not send is computed here, on first
    // use (a bug in the kernels then throws here too).
    const failed = (err: unknown) => {
      options.onWorkerError?.(err);
      return undefined;
    };
    const theirs = await work.blast.catch(failed);
    if (theirs) {
      if (mine) mergeSummaries(theirs, mine);
      ctx.adoptBlast(theirs);
      if (estimating) work.estimate(ctx.singleFailures(ctx.workloadEntries()));
    }
    for (const id of later) {
      if (RULES[id].readsEntryEstimates && theirs) {
        const estimates = await work.estimates.catch(failed);
        if (estimates) ctx.adoptEstimates(estimates);
      }
      results.set(id, RULES[id].run(ctx));
    }
    return auditReport(ctx, selected, results, options);
  } finally {
    work.stop();
  }
}

/**
 * Joining the pass costs this thread its own copy of the engine (about a twentieth of the
 * pass): it joins only while at least this share of the blocks is left.
 */
const JOIN_FROM = 0.25;

/** How a parallel audit's worker is run; the defaults are the ones measured in decision 006. */
export interface WorkerTuning {
  /** The worker's module, beside this one. */
  readonly name?: string;
  /** Words per node and block of the pass (see `graph/blast-radius`). */
  readonly blockWords?: number;
  /** Share of the blocks that must be left for this thread to join (default `JOIN_FROM`). */
  readonly joinFrom?: number;
}

export interface AuditWork {
  /** What the worker's blocks of the pass found (see `SummaryPass`). */
  readonly blast: Promise<BlastRadiusSummary>;
  /** Estimates of `ctx.workloadEntries()`, in that order, once `estimate` has given the cuts. */
  readonly estimates: Promise<readonly Estimate[]>;
  /**
   * Runs blocks of the pass here, claimed from the same counter as the worker's, when enough
   * are left; what they found, or undefined when it did not join.
   */
  join(): BlastRadiusSummary | undefined;
  /** Asks the worker for the estimates, given the entries' cut sets from the whole table. */
  estimate(cuts: readonly Int32Array[]): void;
  /** The pass's blocks (0 until the worker knows) and how many have been claimed so far. */
  progress(): { readonly blocks: number; readonly claimed: number };
  /** Ends the worker. */
  stop(): void;
}

/**
 * Starts the worker of a parallel audit: the blast-radius pass over `ctx.blastInputs()` and,
 * with `estimating`, the estimates of the workloads' entries. `name` is the worker's module.
 */
export function startAuditWorker(
  ctx: AuditContext,
  estimating: boolean,
  tuning: WorkerTuning = {},
): AuditWork {
  const { name = "blast-worker", joinFrom = JOIN_FROM } = tuning;
  const passTuning = tuning.blockWords === undefined ? {} : { blockWords: tuning.blockWords };
  const input = ctx.blastInputs();
  const entries = estimating ? ctx.workloadEntries() : [];
  const claim = new Int32Array(new SharedArrayBuffer(8));
  const job: WorkerJob = {
    graph: { ...input.graph, ids: [] },
    out: input.out,
    watched: input.watched,
    masks: input.masks,
    tuning: passTuning,
    claim,
    ...(estimating
      ? {
          estimates: {
            entries,
            keys: entries.map((x) => ctx.idOf(x)),
            avail: ctx.availabilities(),
            options: ctx.options,
          },
        }
      : {}),
  };
  const blast = deferred<BlastRadiusSummary>();
  const estimates = deferred<readonly Estimate[]>();
  let dead = false;
  const fail = (err: unknown) => {
    dead = true;
    blast.reject(err);
    estimates.reject(err);
  };
  if (!estimating) estimates.reject(new Error("no estimates were asked for"));
  let worker: Worker | undefined;
  try {
    worker = startWorker(import.meta.url, name, { workerData: job });
  } catch (err) {
    fail(err);
  }
  worker?.on("message", (message: WorkerMessage) => {
    if (message.kind === "blast") {
      blast.resolve(message.summary);
      if (!estimating) void worker?.terminate();
    } else {
      estimates.resolve(message.estimates);
      void worker?.terminate();
    }
  });
  worker?.on("error", fail);
  worker?.on("messageerror", fail);
  worker?.once("exit", (code) => {
    fail(new Error(`the audit's worker thread stopped (exit code ${code})`));
  });
  return {
    blast: blast.promise,
    estimates: estimates.promise,
    join() {
      const blocks = Atomics.load(claim, 1);
      if (!worker || dead || blocks === 0 || blocks - Atomics.load(claim, 0) < blocks * joinFrom)
        return undefined;
      const pass = new SummaryPass(input.graph, input.watched, input.masks, passTuning, input.out);
      pass.runClaimed(() => Atomics.add(claim, 0, 1));
      return pass.summary;
    },
    progress() {
      const blocks = Atomics.load(claim, 1);
      // Each thread's last claim is one past the end: counted up to the end only.
      return { blocks, claimed: Math.min(Atomics.load(claim, 0), blocks) };
    },
    estimate(cuts) {
      const message: MainMessage = { cuts: [...cuts] };
      worker?.postMessage(message);
    },
    stop() {
      void worker?.terminate();
    },
  };
}

/** A promise with its settling functions; a rejection nobody awaits is not unhandled. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (err: unknown) => void = () => {};
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
