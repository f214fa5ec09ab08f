/**
 * @module serve/worker
 * The worker thread's side of `serve/workers`: it opens the project once, then performs each
 * task it is sent and answers with the result or the refusal as plain data.
 */
import { parentPort, workerData } from "node:worker_threads";
import { ModelError } from "../model/diagnostics.js";
import { HttpError } from "./http-error.js";
import { openProject } from "./project.js";
import { perform, type Task } from "./tasks.js";
import type { WorkerAnswer } from "./workers.js";

const project = openProject((workerData as { root: string }).root);
const port = parentPort;
if (port === null) throw new Error("serve/worker runs only as a worker thread");

port.on("message", ({ id, task }: { id: number; task: Task }) => {
  let answer: WorkerAnswer;
  try {
    answer = { id, ok: true, value: perform(project, task) };
  } catch (err) {
    answer = { id, ok: false, ...refusalOf(err) };
  }
  port.postMessage(answer);
});

function refusalOf(err: unknown) {
  if (err instanceof HttpError)
    return {
      status: err.status,
      message: err.message,
      ...(err.diagnostics !== undefined && { diagnostics: err.diagnostics }),
      ...(err.extra !== undefined && { extra: err.extra }),
    };
  if (err instanceof ModelError)
    return { status: 422, message: err.message, diagnostics: err.diagnostics };
  // Anything else is a fault of the server, reported without taking it down.
  return { status: 500, message: `internal error: ${(err as Error).message}` };
}
