/**
 * @module analysis/blast-worker
 * The worker thread of a parallel audit (see `analysis/parallel`): runs the blocks of the
 * blast-radius pass that it claims (the main thread may claim some too, once its own rules are
 * done) and sends what it found back, its arrays moved rather than copied; then, given the
 * entries' cut sets from the whole table, estimates their availability.
 */
import { parentPort, workerData } from "node:worker_threads";
import { SummaryPass } from "../graph/blast-radius.js";
import { estimateEntry } from "../graph/entry-availability.js";
import { FailurePropagator } from "../graph/propagate.js";
import type { MainMessage, WorkerJob, WorkerMessage } from "./parallel.js";

const job = workerData as WorkerJob;
const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => {
  parentPort?.postMessage(message, transfer);
};

const pass = new SummaryPass(job.graph, job.watched, job.masks, job.tuning, job.out);
Atomics.store(job.claim, 1, pass.blocks);
pass.runClaimed(() => Atomics.add(job.claim, 0, 1));
const r = pass.summary;
const buffers = new Set([r.units, r.watchedHits, ...r.counts].map((a) => a.buffer as ArrayBuffer));
send({ kind: "blast", summary: r }, [...buffers]);

parentPort?.on("message", (message: MainMessage) => {
  const estimates = job.estimates;
  if (!estimates) return;
  const propagator = new FailurePropagator(job.graph, job.out);
  const scratch = {};
  const list = estimates.entries.map((entry, i) =>
    estimateEntry(
      job.graph,
      job.out,
      propagator,
      entry,
      estimates.keys[i] as string,
      message.cuts[i] as Int32Array,
      estimates.avail,
      estimates.options,
      scratch,
    ),
  );
  send({ kind: "estimates", estimates: list });
});
