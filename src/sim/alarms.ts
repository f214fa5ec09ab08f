/**
 * @module sim/alarms
 * Alarms average their signal over each `period` (error rate = 1 − success, availability =
 * success, latency, saturation = load / capacity, a queue's backlog). A period in which the
 * monitor was down for more than half the time gives no datapoint. The alarm fires when
 * `datapoints` of the last `evaluationPeriods` breach; the actions it triggers take effect
 * `after` later, and the rollouts that roll back on it stop.
 */
import type { Alarm } from "../model/types.js";
import { applyAction } from "./actions.js";
import { schedule } from "./agenda.js";
import { endFault } from "./faults.js";
import type { MessageQueue } from "./message-queue.js";
import { stopRollouts } from "./rollouts.js";
import { type AlarmState, type CompState, DOWN_BELOW, log, type Sim } from "./state.js";

/** Alarm evaluations are quiet events, each scheduling the next period's. */
export function scheduleAlarm(sim: Sim, al: AlarmState, t: number): void {
  schedule(
    sim,
    t,
    `3-alarm:${al.a.id}`,
    () => {
      evaluateAlarm(sim, al);
      scheduleAlarm(sim, al, t + al.a.period);
    },
    true,
  );
}

function evaluateAlarm(sim: Sim, al: AlarmState): void {
  // Close the period's integral (integrateAlarms accumulated it up to now).
  const period = al.a.period;
  const value = al.integral / period;
  const monitored = al.impaired / period < 0.5;
  al.integral = 0;
  al.impaired = 0;
  // A period in which the monitor was blind gives no datapoint (null).
  al.history.push(monitored ? breaches(al.a, value) : null);
  if (al.history.length > al.a.evaluationPeriods) al.history.shift();
  const count = al.history.filter((x) => x === true).length;
  // Enough breaching datapoints fire it; without a datapoint for the last period it cannot
  // say the signal is back within its threshold: it has insufficient data.
  const state: AlarmState["state"] =
    count >= al.a.datapoints ? "alarm" : monitored ? "ok" : "insufficient-data";
  if (state === al.state) return;
  const from = al.state;
  al.state = state;
  const monitor = (sim.comps[al.monitor] as CompState).c.id;
  log(sim, "alarm", al.a.id, from, state, {
    mechanism: "alarm",
    ...(state === "insufficient-data"
      ? { from: monitor, fromKind: "component" as const }
      : { from: al.a.target, fromKind: "component" as const }),
    detail: {
      what: "alarm",
      state,
      signal: al.a.signal,
      target: al.a.target,
      monitor,
      threshold: al.a.threshold,
      breaching: count,
      datapoints: al.a.datapoints,
      periods: al.history.length,
      period,
    },
  });
  if (state !== "alarm") return;
  for (const a of sim.actions) {
    if (a.alarm === al.a.id && !sim.actionDone.has(a.id)) {
      schedule(sim, sim.t + a.delay, `2-action:${a.id}`, () =>
        applyAction(sim, a, { on: "alarm", alarm: al.a.id, firedAt: sim.t - a.delay }),
      );
    }
  }
  // Rollouts stop and roll back when their alarm fires.
  stopRollouts(sim, al.a.id, (f) =>
    endFault(sim, f, {
      mechanism: "rollout",
      from: al.a.id,
      fromKind: "alarm",
      detail: { what: "rolled-back", alarm: al.a.id },
    }),
  );
}

function breaches(a: Alarm, value: number): boolean {
  return a.signal === "availability" ? value < a.threshold : value > a.threshold;
}

/** Accumulates each alarm's signal, and its monitor's downtime, over dt. */
export function integrateAlarms(sim: Sim, dt: number): void {
  for (const al of sim.alarms) {
    const monitor = sim.comps[al.monitor] as CompState;
    if (monitor.s < DOWN_BELOW) al.impaired += dt;
    al.integral += alarmSignal(sim, al) * dt;
  }
}

function alarmSignal(sim: Sim, al: AlarmState): number {
  if (al.queue >= 0) {
    const q = sim.queues[al.queue] as MessageQueue;
    return al.a.signal === "backlog" ? q.backlog : 0;
  }
  const s = sim.comps[al.target] as CompState;
  switch (al.a.signal) {
    case "error-rate":
      return 1 - s.s;
    case "availability":
      return s.s;
    case "latency":
      return s.latency;
    case "saturation":
      return Number.isFinite(s.capacity) && s.capacity > 0 ? s.load / s.capacity : 0;
    case "backlog":
      return 0;
    default: {
      const never: never = al.a.signal;
      throw new Error(`simulate: unknown signal ${JSON.stringify(never)}`);
    }
  }
}
