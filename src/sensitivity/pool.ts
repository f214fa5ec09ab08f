/**
 * @module sensitivity/pool
 * Makes the runs of a plan, on worker threads when more than one job is asked for: each worker
 * gets the files once and then one run at a time, the next as soon as it answers, so a slow run
 * never holds the others. Results are kept by the run's index, whatever the order they come back
 * in, so the analysis is the same for any number of jobs. With one job the runs are made here,
 * one after the other, without a thread to start.
 *
 * A worker that dies (out of memory, a crash) fails the run it was making, with the reason, and
 * is replaced for the runs still to make.
 */
import type { Worker } from "node:worker_threads";
import { startWorker } from "../threads/start-worker.js";
import { performRun, type RunChange, type RunInput, type RunResult } from "./run.js";

export interface PoolTask {
  readonly index: number;
  readonly change: RunChange | null;
}

export interface PoolAnswer {
  readonly index: number;
  readonly result: RunResult;
}

export interface PoolOptions {
  /** Runs made at once: worker threads, or here when 1. */
  readonly jobs: number;
  /** Called after each run with how many are done, out of how many. */
  readonly onProgress?: (done: number, total: number) => void;
}

export async function runAll(
  input: RunInput,
  runs: readonly (RunChange | null)[],
  options: PoolOptions,
): Promise<RunResult[]> {
  const total = runs.length;
  const results: (RunResult | undefined)[] = new Array(total).fill(undefined);
  let done = 0;
  const finish = (index: number, result: RunResult) => {
    results[index] = result;
    done++;
    options.onProgress?.(done, total);
  };
  if (options.jobs <= 1 || total <= 1) {
    runs.forEach((change, index) => {
      finish(index, performRun(input, change));
    });
    return results as RunResult[];
  }
  await new Promise<void>((resolve) => {
    let next = 0;
    let live = 0;
    const feed = (worker: Worker, busy: { index: number | null }) => {
      if (next >= total) {
        busy.index = null;
        live--;
        void worker.terminate();
        if (live === 0) resolve();
        return;
      }
      busy.index = next++;
      worker.postMessage({
        index: busy.index,
        change: runs[busy.index] ?? null,
      } satisfies PoolTask);
    };
    const spawn = () => {
      const worker = startWorker(import.meta.url, "worker", { workerData: input });
      const busy: { index: number | null } = { index: null };
      live++;
      worker.on("message", (answer: PoolAnswer) => {
        finish(answer.index, answer.result);
        feed(worker, busy);
      });
      const died = (why: string) => {
        if (busy.index === null) return;
        const index = busy.index;
        busy.index = null;
        live--;
        finish(index, { status: "failed", message: `the run's worker stopped: ${why}` });
        if (next < total) spawn();
        else if (live === 0) resolve();
      };
      worker.on("error", (err) => died(err.message));
      worker.on("exit", (code) => died(`exit code ${code}`));
      feed(worker, busy);
    };
    for (let i = 0; i < Math.min(options.jobs, total); i++) spawn();
  });
  return results as RunResult[];
}
