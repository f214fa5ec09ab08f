/**
 * @module sim/actions
 * Operator actions, from the model (alarm- or time-triggered) or the scenario, applied at their
 * time. An action also ends the faults whose `until` names it. The switch over action kinds is
 * exhaustive: a new kind does not compile until it is handled here.
 */
import { actionParameters } from "../model/actions.js";
import type { Action } from "../model/types.js";
import type { ScenarioAction } from "../scenario/types.js";
import type { ActionTrigger } from "./causes.js";
import { invalidateContent, rollbackContent } from "./content.js";
import { setAnswer, switchRecord } from "./dns.js";
import { endFault, refreshFaults } from "./faults.js";
import { ramp } from "./ramp.js";
import { beginRestart, started } from "./recovery.js";
import { failBack, failOver, restoreBackup } from "./replicas.js";
import type { ActionSpec, RecordState, Sim, Why } from "./state.js";
import { type CompState, FINE_STEPS, indexOf, log } from "./state.js";

/** A model or scenario action as the engine runs it. */
export function actionSpec(a: Action | ScenarioAction): ActionSpec {
  return {
    id: a.id,
    do: a.do,
    target: a.target,
    delay: a.delay,
    ...actionParameters(a),
    ...(a.condition !== undefined ? { condition: a.condition } : {}),
    ...(a.trigger.on === "time" ? { at: a.trigger.at } : {}),
    ...(a.trigger.on === "alarm" ? { alarm: a.trigger.alarm } : {}),
  };
}

/**
 * What action a's condition found when it does not hold (a state, a backlog, an age), or
 * undefined when it holds or there is none.
 */
function unmet(sim: Sim, a: ActionSpec): string | number | undefined {
  const c = a.condition;
  if (c === undefined) return undefined;
  if ("component" in c) {
    const state = sim.comps[indexOf(sim.topo.index, c.component)]?.state ?? "up";
    return state === c.is ? undefined : state;
  }
  if ("alarm" in c) {
    const state = sim.alarms.find((x) => x.a.id === c.alarm)?.state ?? "ok";
    return state === c.is ? undefined : state;
  }
  const qi = sim.topo.queueIndex.get(c.queue);
  const q = qi === undefined ? undefined : sim.queues[qi];
  if (!q) return 0;
  if ("backlogAbove" in c) return q.backlog > c.backlogAbove ? undefined : q.backlog;
  const age = q.oldestAge(sim.t);
  return age > c.ageAbove ? undefined : age;
}

/** A ramp of action a (a throttle or a scale), over its `over`: see `ramp.ts`. */
function actionRamp(
  sim: Sim,
  i: number,
  a: ActionSpec,
  from: number,
  to: number,
  set: (value: number) => void,
  owned: () => boolean,
): void {
  ramp(sim, i, a.over as number, `2-ramp:${a.id}`, from, to, set, owned);
}

/**
 * `scale`: an absolute capacity replaces what the model (or an earlier scale) set, factors
 * included; a factor multiplies what it has now. With `over`, it gets there linearly (a
 * staircase, as a ramping throttle), from the capacity it has now; another scale ends the ramp.
 */
function scale(sim: Sim, i: number, a: ActionSpec): void {
  const s = sim.comps[i] as CompState;
  s.scaledBy = a.id;
  const owned = () => s.scaledBy === a.id;
  const ramps = a.over !== undefined && a.over > 0;
  // While it ramps, each stair's length (admission by queue age follows it: admission.ts).
  s.scaleStair = 0;
  if (a.capacity !== undefined) {
    const now = (s.scaledCapacity ?? s.c.capacity ?? Number.POSITIVE_INFINITY) * s.scale;
    s.scale = 1;
    const to = a.capacity;
    const set = (v: number) => {
      s.scaledCapacity = v;
      if (v === to) s.scaleStair = 0;
    };
    if (ramps && Number.isFinite(now)) {
      s.scaleStair = (a.over as number) / FINE_STEPS;
      s.scaleFrom = sim.t;
      actionRamp(sim, i, a, now, to, set, owned);
    } else set(to);
  } else if (a.factor !== undefined) {
    const to = s.scale * a.factor;
    const set = (v: number) => {
      s.scale = v;
      if (v === to) s.scaleStair = 0;
    };
    if (ramps) {
      s.scaleStair = (a.over as number) / FINE_STEPS;
      s.scaleFrom = sim.t;
      actionRamp(sim, i, a, s.scale, to, set, owned);
    } else set(to);
  }
}

export function applyAction(sim: Sim, a: ActionSpec, trigger: ActionTrigger): void {
  if (sim.actionDone.has(a.id)) return;
  sim.actionDone.add(a.id);
  const found = unmet(sim, a);
  if (found !== undefined && a.condition !== undefined) {
    // Checked when it takes effect: skipped, once, and the timeline says why.
    log(sim, "action", a.id, "pending", "skipped", {
      mechanism: "action",
      ...(trigger.on === "alarm" ? { from: trigger.alarm, fromKind: "alarm" as const } : {}),
      detail: {
        what: "action-skipped",
        action: a.id,
        do: a.do,
        condition: a.condition,
        found: typeof found === "number" ? Math.round(found * 1000) / 1000 : found,
        trigger,
      },
    });
    return;
  }
  sim.everything = true;
  log(sim, "action", a.id, "pending", "done", {
    mechanism: "action",
    ...(trigger.on === "alarm" ? { from: trigger.alarm, fromKind: "alarm" as const } : {}),
    detail: {
      what: "action-taken",
      action: a.id,
      do: a.do,
      target: a.target,
      ...(a.rate !== undefined ? { rate: a.rate } : {}),
      ...(a.fraction !== undefined ? { fraction: a.fraction } : {}),
      ...(a.capacity !== undefined ? { capacity: a.capacity } : {}),
      ...(a.factor !== undefined ? { factor: a.factor } : {}),
      ...(a.to !== undefined ? { to: a.to } : {}),
      ...(a.over !== undefined ? { over: a.over } : {}),
      ...(a.maxWait !== undefined ? { maxWait: a.maxWait } : {}),
      trigger,
    },
  });
  // What the action changes is explained by the action.
  const cause: Why = {
    mechanism: "action",
    from: a.id,
    fromKind: "action",
    detail: { what: "action-effect", action: a.id, do: a.do },
  };
  const faults = sim.faults;
  // Faults ended by this action, in id order (not the order they were written in).
  for (const f of [...sim.scenario.faults].sort((x, y) => (x.id < y.id ? -1 : 1))) {
    if ("action" in f.end && f.end.action === a.id) {
      const active = faults.active.get(f.id);
      if (active) endFault(sim, active, cause);
      else faults.ended.add(f.id);
    }
  }
  const ci = sim.topo.index.get(a.target);
  const s = ci === undefined ? undefined : sim.comps[ci];
  switch (a.do) {
    case "fix-dns": {
      const ri = sim.topo.recordIndex.get(a.target);
      if (ri !== undefined) {
        for (const f of [...faults.active.values()]) {
          if (f.kind.startsWith("dns-") && "target" in f && f.target === a.target)
            endFault(sim, f, cause);
        }
        setAnswer(sim, sim.records[ri] as RecordState, "ok", cause);
      }
      break;
    }
    case "invalidate-cache": {
      // The resolvers' cached answers for the record are flushed: every client asks again now.
      const ri = sim.topo.recordIndex.get(a.target);
      if (ri !== undefined) (sim.records[ri] as RecordState).clients.flush(sim.t);
      // Or the readers' copies of the content: every host fetches it again now.
      else invalidateContent(sim, a.target, () => refreshFaults(sim));
      break;
    }
    case "restore-backup":
      restoreBackup(sim, a.target, (f) => endFault(sim, f, cause));
      break;
    case "rollback-config":
      rollbackContent(sim, a.target, (f) => endFault(sim, f, cause));
      break;
    case "rollback":
      // A change to the component, or to a fleet it belongs to.
      for (const f of [...faults.active.values()]) {
        if (
          f.kind === "bad-change" &&
          (f.target === a.target || sim.topo.fleetMembers.get(f.target)?.includes(a.target))
        )
          endFault(sim, f, cause);
      }
      break;
    case "restart":
      if (s && ci !== undefined) {
        if (a.rate !== undefined) {
          s.throttle = a.rate;
          s.throttledBy = a.id;
        }
        if (a.maxWait !== undefined) {
          // No admission lets more wait than its buffer holds.
          const buffer = s.c.buffer ?? Number.POSITIVE_INFINITY;
          s.maxWait = Math.min(a.maxWait, buffer);
          s.maxWaitBy = a.maxWait < buffer ? a.id : undefined;
        }
        if (s.process !== "stopped") beginRestart(sim, ci, cause);
        s.queue = 0;
      }
      break;
    case "throttle":
      // Each limit given replaces the one in force; one not given stays.
      if (s && a.maxWait !== undefined) {
        const buffer = s.c.buffer ?? Number.POSITIVE_INFINITY;
        s.maxWait = Math.min(a.maxWait, buffer);
        s.maxWaitBy = a.maxWait < buffer ? a.id : undefined;
      }
      if (s && ci !== undefined && a.rate !== undefined) {
        s.throttledBy = a.id;
        if (a.to !== undefined && a.over !== undefined && a.over > 0)
          actionRamp(
            sim,
            ci,
            a,
            a.rate,
            a.to,
            (v) => {
              s.throttle = v;
            },
            () => s.throttledBy === a.id,
          );
        else s.throttle = a.rate;
      }
      break;
    case "unthrottle":
      if (s) {
        s.throttle = Number.POSITIVE_INFINITY;
        s.maxWait = s.c.buffer ?? Number.POSITIVE_INFINITY;
        s.throttledBy = undefined;
        s.maxWaitBy = undefined;
      }
      break;
    case "shed-load":
      // `fraction` is the share of the load shed.
      if (s && a.fraction !== undefined) {
        s.shed = a.fraction;
        s.shedBy = a.id;
      }
      break;
    case "unshed":
      if (s) {
        s.shed = 0;
        s.shedBy = undefined;
      }
      break;
    case "scale":
      if (ci !== undefined) scale(sim, ci, a);
      break;
    case "disable-automation":
      if (s) s.automationDisabled = true;
      break;
    case "enable-automation":
      if (s) s.automationDisabled = false;
      break;
    case "break-glass":
      if (s && (s.process === "waiting" || s.process === "restarting")) {
        s.process = "running";
        s.processCause = {
          mechanism: "action",
          from: a.id,
          fromKind: "action",
          detail: { what: "break-glass", action: a.id },
        };
        if (ci !== undefined) started(sim, ci);
      }
      break;
    case "failover":
    case "failback":
      // Moves the records that answer with the component to their failover targets, and holds
      // them there until a failback; a failback moves them back and lets their automation act.
      if (ci !== undefined) {
        for (const r of sim.records) {
          if (r.failoverTargets.length === 0 || !r.targets.includes(ci)) continue;
          r.pinned = a.do === "failover";
          switchRecord(sim, r, a.do === "failover" ? "failover" : "primary", cause);
        }
      }
      // And a primary's callers, to its replica and back.
      if (s) {
        if (a.do === "failover") failOver(sim, s);
        else failBack(sim, s);
      }
      break;
    case "purge-queue":
    case "pause-queue":
    case "resume-queue": {
      const qi = sim.topo.queueIndex.get(a.target);
      const q = qi === undefined ? undefined : sim.queues[qi];
      if (!q) break;
      if (a.do === "purge-queue") q.purge();
      else q.paused = a.do === "pause-queue";
      break;
    }
    default: {
      const never: never = a.do;
      throw new Error(`simulate: unknown action ${JSON.stringify(never)}`);
    }
  }
  refreshFaults(sim);
}
