/**
 * @module sensitivity/sensitivity
 * `faultline sensitivity` as a library call: a plan (`planSensitivity`, pure) made by the pool
 * (`runAll`, on worker threads) into a report (`sensitivityReport`, pure). The plan is made
 * apart so that a caller can look at it first: the CLI refuses a plan with nothing to vary
 * before it starts a thread.
 */

import type { SensitivityPlan } from "./plan.js";
import { runAll } from "./pool.js";
import { type SensitivityReport, sensitivityReport } from "./report.js";

export interface RunSensitivityOptions {
  /** Runs made at once, on worker threads (1: one after the other, on this thread). */
  readonly jobs?: number;
  /** Called after each run with how many are done, out of how many. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Makes the runs of `plan` and compares them with its baseline. */
export async function runSensitivity(
  plan: SensitivityPlan,
  options: RunSensitivityOptions = {},
): Promise<SensitivityReport> {
  const results = await runAll(plan.input, plan.runs, {
    jobs: options.jobs ?? 1,
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
  return sensitivityReport(plan, results);
}
