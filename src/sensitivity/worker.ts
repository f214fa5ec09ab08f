/**
 * @module sensitivity/worker
 * The worker thread's side of `sensitivity/pool`: it holds the analysis's files (sent once, as
 * `workerData`) and makes each run it is sent, answering with the run's result as plain data.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { PoolAnswer, PoolTask } from "./pool.js";
import { performRun, type RunInput } from "./run.js";

const input = workerData as RunInput;
const port = parentPort;
if (port === null) throw new Error("sensitivity/worker runs only as a worker thread");

port.on("message", ({ index, change }: PoolTask) => {
  const answer: PoolAnswer = { index, result: performRun(input, change) };
  port.postMessage(answer);
});
