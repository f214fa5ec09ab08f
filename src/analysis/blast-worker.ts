/**
 * @module analysis/blast-worker
 * The worker thread of a parallel audit (see `analysis/parallel`): runs the blast-radius pass
 * over the arrays it is given and sends the summary back, its arrays moved rather than copied;
 * then, when asked, the availability estimates of the workloads' entries, whose order-1 cut
 * sets the summary holds.
 */
import { parentPort, workerData } from "node:worker_threads";
import { blastRadiusSummary, watchedUnits } from "../graph/blast-radius.js";
import { estimateEntry } from "../graph/entry-availability.js";
import { FailurePropagator } from "../graph/propagate.js";
import type { WorkerJob, WorkerMessage } from "./parallel.js";

const job = workerData as WorkerJob;
const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => {
  parentPort?.postMessage(message, transfer);
};

const r = blastRadiusSummary(job.graph, job.watched, job.masks, {}, job.out);
const estimates = job.estimates;
// The entries' cut sets are read from the summary before its arrays are moved to the main thread.
const cuts = estimates?.columns.map((column) => watchedUnits(r, column)) ?? [];
const buffers = new Set([r.units, r.watchedHits, ...r.counts].map((a) => a.buffer as ArrayBuffer));
send({ kind: "blast", summary: r }, [...buffers]);

if (estimates) {
  const propagator = new FailurePropagator(job.graph, job.out);
  const scratch = {};
  const list = estimates.entries.map((entry, i) =>
    estimateEntry(
      job.graph,
      job.out,
      propagator,
      entry,
      estimates.keys[i] as string,
      cuts[i] as Int32Array,
      estimates.avail,
      estimates.options,
      scratch,
    ),
  );
  send({ kind: "estimates", estimates: list });
}
