/**
 * @module threads/start-worker
 * Starts a worker thread from a module that lies beside the caller's: the compiled module
 * (`name.js`) when the caller runs compiled, and the TypeScript source (`name.ts`) through tsx
 * when the caller itself runs from the sources (the tests, `tsx`). The web UI's server and
 * `faultline sensitivity` start their workers this way.
 */
import { Worker, type WorkerOptions } from "node:worker_threads";

/** The worker module `name` beside the module whose URL is `self` (its `import.meta.url`). */
export function startWorker(self: string, name: string, options: WorkerOptions = {}): Worker {
  if (!self.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, self), options);
  // NOTE: a worker does not inherit its parent's module hooks; it registers tsx's itself.
  const tsx = import.meta.resolve("tsx/esm/api");
  const entry = new URL(`./${name}.ts`, self).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
