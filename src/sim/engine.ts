/**
 * @module sim/engine
 * `simulate(model, scenario)`: the cascade engine. Pure and deterministic — no clock, no file
 * system, no randomness (the fluid model follows expectations).
 *
 * Time advances from boundary to boundary (`step`). Boundaries are the scheduled events (faults
 * starting and ending, operator actions, restarts finishing, rollout waves, alarm evaluations,
 * the sampling grid) and the predicted crossings of the continuous state (a queue reaching its
 * drain point, an overload queue's wait reaching the callers' timeout, the last lease
 * re-established, a breaker's window filling, the next stair of an ageing population). Between
 * boundaries every rate is constant, so backlogs are integrated exactly; at each boundary the
 * state is evaluated again (`evaluate.ts`). Each mechanism lives in its own module over the
 * explicit state (`state.ts`); docs/simulation.md says what each computes.
 */
import type { Model } from "../model/types.js";
import { type ChangeSwitch, planChanges } from "../scenario/apply.js";
import type { Scenario } from "../scenario/types.js";
import { account, entrySuccess, integrate } from "./accounting.js";
import { applyAction } from "./actions.js";
import { schedule } from "./agenda.js";
import { scheduleAlarm } from "./alarms.js";
import { breakerCrossing } from "./breakers.js";
import { createSim } from "./build.js";
import { switchCall } from "./changes.js";
import { causeCrossing } from "./classify.js";
import { evaluate } from "./evaluate.js";
import type { ScheduledEvent } from "./event-queue.js";
import { endFault, startFault } from "./faults.js";
import { leaseCrossing } from "./leases.js";
import { buildJournal, sample } from "./output.js";
import { overloadCrossing } from "./overload.js";
import { classifyQueues } from "./queues.js";
import { noteMoving, returnsCrossing, settleReturns } from "./returns.js";
import { EPS, type Sim } from "./state.js";
import type { Journal } from "./types.js";

export { DEFAULT_TIMEOUT, DOWN_BELOW, FINE_STEPS, UP_AT } from "./state.js";

export interface SimulateOptions {
  /** Samples in the journal's series (a regular grid over the run). */
  readonly samples?: number;
  /**
   * Evaluate every component at every step, instead of only those whose inputs changed or that
   * are changing with time. Slower, same results; tests compare the two.
   */
  readonly exhaustive?: boolean;
  /**
   * Called with the engine's state after the start and after every step, to check or trace
   * the run from outside (the tests of load conservation do). It must not change the state.
   */
  readonly observe?: (sim: Readonly<Sim>) => void;
}

export function simulate(model: Model, scenario: Scenario, options: SimulateOptions = {}): Journal {
  const plan = planChanges(model, scenario.changes);
  const sim = createSim(
    plan.model,
    scenario,
    {
      samples: Math.max(2, options.samples ?? 721),
      exhaustive: options.exhaustive === true,
    },
    plan.windows,
  );
  run(sim, plan.switches, options.observe);
  return buildJournal(sim);
}

function run(
  sim: Sim,
  switches: readonly ChangeSwitch[],
  observe: SimulateOptions["observe"],
): void {
  const duration = sim.scenario.duration;
  const samples = sim.options.samples;
  for (let i = 0; i < samples; i++) sim.sampleTimes.push((duration * i) / (samples - 1));
  scheduleScenario(sim);
  for (const sw of switches)
    schedule(sim, sw.at, `1-change:${String(sw.index).padStart(6, "0")}`, () =>
      switchCall(sim, sw),
    );
  // What happens at time 0 holds from time 0.
  runEventsUpTo(sim, 0);
  evaluate(sim);
  sample(sim, 0);
  observe?.(sim);
  let nextSample = 1;
  while (sim.t < duration - EPS) {
    let next = duration;
    const pending = sim.events.peekTime();
    if (pending < next) next = pending;
    const sampleAt = sim.sampleTimes[nextSample];
    if (sampleAt !== undefined && sampleAt < next) next = sampleAt;
    const crossing = nextCrossing(sim);
    if (crossing < next) next = crossing;
    if (next <= sim.t + EPS) next = Math.min(duration, sim.t + 1e-6);
    step(sim, next, crossing);
    observe?.(sim);
    while (
      nextSample < sim.sampleTimes.length &&
      (sim.sampleTimes[nextSample] as number) <= sim.t + EPS
    ) {
      sample(sim, nextSample);
      nextSample++;
    }
  }
}

/**
 * One step: integrates the continuous state up to `next`, runs the events due there, and
 * evaluates the state again unless nothing can have changed.
 */
function step(sim: Sim, next: number, crossing: number): void {
  const t0 = sim.t;
  const before = entrySuccess(sim);
  const continuous = sim.dynamic;
  const ramping = sim.ramping;
  const settled = !continuous && crossing > next + EPS;
  integrate(sim, t0, next);
  sim.t = next;
  const jumped = runEventsUpTo(sim, sim.t);
  // Nothing changing continuously, no crossing, no event that changes the state: the state
  // at this boundary (a sample, an alarm evaluation) is the one already evaluated.
  if (jumped || !settled) evaluate(sim);
  else classifyQueues(sim);
  // Requests are integrated over the step with the trapezoid rule when success evolved
  // continuously during it (leases coming back), and with the value at its start when it held
  // until an event or a crossing (an ageing population's next stair, an overload queue's wait
  // reaching the timeout) at its end — exact for a staircase.
  account(sim, t0, next, before, jumped || !ramping ? before : entrySuccess(sim));
  if (sim.hasReturns) {
    // The users who come back from now on are offered from now on.
    if (settleReturns(sim)) evaluate(sim);
    noteMoving(sim);
  }
  sim.steps++;
}

/** Runs every event due by t, in agenda order; true when one of them changed the state. */
function runEventsUpTo(sim: Sim, t: number): boolean {
  let changed = false;
  while (sim.events.peekTime() <= t + EPS) {
    const e = sim.events.pop() as ScheduledEvent;
    sim.eventCount++;
    e.run();
    if (!e.quiet) {
      changed = true;
      const next = sim.events.peek();
      if (e.batch && next?.batch && next.t <= t + EPS) continue;
      evaluate(sim);
    }
  }
  return changed;
}

function scheduleScenario(sim: Sim): void {
  const faults = [...sim.scenario.faults].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  for (const f of faults) {
    schedule(sim, f.at, `1-fault-start:${f.id}`, () => startFault(sim, f));
    if ("at" in f.end) {
      schedule(sim, f.end.at, `0-fault-end:${f.id}`, () =>
        endFault(sim, f, {
          mechanism: "fault",
          from: f.id,
          fromKind: "fault",
          detail: { what: "fault-ended", fault: f.id, scheduled: true },
        }),
      );
    }
  }
  for (const a of sim.actions) {
    if (a.at !== undefined) {
      const at = a.at;
      schedule(sim, at + a.delay, `2-action:${a.id}`, () =>
        applyAction(sim, a, { on: "time", at }),
      );
    }
  }
  for (const al of sim.alarms) scheduleAlarm(sim, al, al.a.period);
  // A workload's profile changes its rate, and so the loads, at each point.
  for (const x of sim.workloads) {
    for (const p of x.w.profile) if (p.at > 0) schedule(sim, p.at, `1-profile:${x.w.id}`, () => {});
  }
  for (const x of sim.scenario.expectations) {
    if (x.kind !== "availability") continue;
    const workload = sim.workloads.findIndex((y) => y.w.id === x.workload);
    if (workload < 0) continue;
    sim.windows.push({ x, workload, offered: 0, served: 0 });
    // The window's ends are boundaries, so that it is integrated exactly.
    for (const t of [x.from, x.to]) schedule(sim, t, `4-window:${x.workload}`, () => {}, true);
  }
}

/**
 * The earliest predicted crossing of the continuous state after now. Only components with a
 * capacity can queue, only lease managers re-establish leases, and only breakers counting
 * errors fill their window.
 */
function nextCrossing(sim: Sim): number {
  let best = sim.pendingCrossing;
  best = overloadCrossing(sim, best);
  best = leaseCrossing(sim, best);
  for (const q of sim.queues) best = Math.min(best, q.nextCrossing(sim.t));
  best = returnsCrossing(sim, best);
  best = Math.min(best, causeCrossing(sim));
  return breakerCrossing(sim, best);
}
