/**
 * @module serve/workers
 * Runs `serve/tasks` off the server's thread, so the server keeps answering while a model is
 * validated or a scenario simulated. A lane is one worker thread and a bounded queue: the server
 * has one lane for checks (as the user types) and one for runs (audit and simulations), so a
 * long simulation never delays the editor's checks. A full queue refuses more work with 503; a
 * request whose client went away is dropped from the queue; a worker that dies (out of memory,
 * a crash) fails its task with 500 and is replaced for the next one.
 */
import type { Worker } from "node:worker_threads";
import type { Diagnostic } from "../model/diagnostics.js";
import { startWorker } from "../threads/start-worker.js";
import { HttpError } from "./http-error.js";
import type { Task, TaskResult } from "./tasks.js";

/** What a worker sends back for task `id`. */
export type WorkerAnswer =
  | { readonly id: number; readonly ok: true; readonly value: TaskResult }
  | {
      readonly id: number;
      readonly ok: false;
      readonly status: number;
      readonly message: string;
      readonly diagnostics?: readonly Diagnostic[];
      readonly extra?: Readonly<Record<string, unknown>>;
    };

export interface LaneOptions {
  /** The project directory the worker opens. */
  readonly root: string;
  /** What the lane runs, for messages ("runs"). */
  readonly what: string;
  /** Tasks that may wait behind the running one. */
  readonly maxQueued: number;
}

interface Job {
  readonly id: number;
  readonly task: Task;
  readonly resolve: (value: TaskResult) => void;
  readonly reject: (err: HttpError) => void;
  readonly detach: () => void;
}

export class Lane {
  #worker: Worker | null = null;
  #running: Job | null = null;
  #queue: Job[] = [];
  #next = 0;
  #closed = false;

  constructor(private readonly options: LaneOptions) {}

  /** Performs `task` on the lane's worker; `signal` drops it while it still waits. */
  submit(task: Task, signal?: AbortSignal): Promise<TaskResult> {
    if (this.#closed) return Promise.reject(new HttpError(503, "the server is stopping"));
    if (this.#queue.length >= this.options.maxQueued)
      return Promise.reject(
        new HttpError(
          503,
          `busy: ${this.#queue.length} ${this.options.what} are already waiting; try again in a moment`,
        ),
      );
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const at = this.#queue.indexOf(job);
        if (at >= 0) this.#queue.splice(at, 1);
        reject(new HttpError(499, "the client went away"));
      };
      const job: Job = {
        id: this.#next++,
        task,
        resolve,
        reject,
        detach: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(job);
      this.#pump();
    });
  }

  /** Tasks waiting and running: for tests and the busy message. */
  get pending(): number {
    return this.#queue.length + (this.#running === null ? 0 : 1);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new HttpError(503, "the server stopped"));
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
  }

  #pump(): void {
    if (this.#running !== null || this.#closed) return;
    const job = this.#queue.shift();
    if (job === undefined) return;
    job.detach();
    this.#running = job;
    this.#worker ??= this.#spawn();
    this.#worker.postMessage({ id: job.id, task: job.task });
  }

  #spawn(): Worker {
    const worker = startServeWorker(this.options.root);
    // An idle worker never keeps the process alive: the server does, while it listens.
    worker.unref();
    worker.on("message", (answer: WorkerAnswer) => {
      const job = this.#running;
      if (job === null || job.id !== answer.id) return;
      this.#running = null;
      if (answer.ok) job.resolve(answer.value);
      else
        job.reject(new HttpError(answer.status, answer.message, answer.diagnostics, answer.extra));
      this.#pump();
    });
    const died = (why: string) => {
      if (this.#worker === worker) this.#worker = null;
      const job = this.#running;
      this.#running = null;
      job?.reject(new HttpError(500, `the ${this.options.what} worker stopped: ${why}`));
      this.#pump();
    };
    worker.on("error", (err) => died(err.message));
    worker.on("exit", (code) => {
      // After an error, or when the lane closes, the worker was already let go.
      if (this.#worker === worker) died(`exit code ${code}`);
    });
    return worker;
  }
}

function startServeWorker(root: string) {
  return startWorker(import.meta.url, "worker", { workerData: { root } });
}
