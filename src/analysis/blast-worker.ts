/**
 * @module analysis/blast-worker
 * The worker thread of a parallel audit (see `analysis/parallel`): runs the blast-radius pass
 * over the arrays it is given and sends the summary back, its arrays moved rather than copied.
 */
import { parentPort, workerData } from "node:worker_threads";
import { blastRadiusSummary } from "../graph/blast-radius.js";
import type { BlastJob } from "./parallel.js";

const job = workerData as BlastJob;
const r = blastRadiusSummary(job.graph, job.watched, job.masks, {}, job.out);
const buffers = new Set([r.units, r.watchedHits, ...r.counts].map((a) => a.buffer as ArrayBuffer));
parentPort?.postMessage(r, [...buffers]);
