/**
 * @module sim/faults
 * Faults starting and ending, and what the active ones impose. Every fault-driven factor is
 * recomputed from the active faults whenever one starts, ends or moves (a rollout wave), so
 * overlapping faults compose by one rule: error rates, capacity losses and bad fleet shares
 * combine as independent shares (1 − Π(1 − x)), latencies add, surges multiply. The switches
 * over fault kinds are exhaustive: a new kind does not compile until it is handled here.
 */
import type { Fault } from "../scenario/types.js";
import type { FaultSummary } from "./causes.js";
import { contentFaultEnded, contentFaultStarted, contentShares } from "./content.js";
import { setAnswer } from "./dns.js";
import { beginRestart } from "./recovery.js";
import { noteDataLoss } from "./replicas.js";
import { scheduleWaves } from "./rollouts.js";
import {
  type CompState,
  EPS,
  indexOf,
  log,
  type RecordState,
  type Sim,
  type Why,
} from "./state.js";
import { endWarmup } from "./warmup.js";

/** The fault as its start is recorded. */
export function faultSummary(f: Fault): FaultSummary {
  switch (f.kind) {
    case "credential-expiry":
      return { kind: f.kind, target: f.target, credential: f.credential };
    case "down":
    case "data-loss":
    case "bad-change":
    case "dns-empty":
    case "dns-wrong":
    case "dns-nxdomain":
      return { kind: f.kind, target: f.target };
    case "latency":
      return { kind: f.kind, target: f.target, latency: f.latency };
    case "error-rate":
      return { kind: f.kind, target: f.target, rate: f.rate };
    case "capacity-loss":
      return { kind: f.kind, target: f.target, fraction: f.fraction };
    case "partition":
      return { kind: f.kind, between: f.between };
    case "bad-config":
    case "config-oversize":
    case "key-removed":
      return { kind: f.kind, target: f.target };
    case "surge":
      return { kind: f.kind, target: f.target, factor: f.factor };
    default: {
      const never: never = f;
      throw new Error(`simulate: unknown fault ${JSON.stringify(never)}`);
    }
  }
}

function faultWhy(f: Fault): Why {
  return {
    mechanism: "fault",
    from: f.id,
    fromKind: "fault",
    detail: { what: "fault", fault: faultSummary(f) },
  };
}

export function startFault(sim: Sim, f: Fault): void {
  if (sim.faults.ended.has(f.id)) return;
  sim.faults.active.set(f.id, f);
  log(sim, "fault", f.id, "inactive", "active", faultWhy(f));
  switch (f.kind) {
    case "dns-empty":
    case "dns-wrong":
    case "dns-nxdomain": {
      const r = sim.records[sim.topo.recordIndex.get(f.target) as number] as RecordState;
      const answer =
        f.kind === "dns-empty" ? "empty" : f.kind === "dns-wrong" ? "wrong" : "nxdomain";
      setAnswer(sim, r, answer, faultWhy(f));
      break;
    }
    case "bad-change":
      scheduleWaves(sim, f, () => refreshFaults(sim));
      break;
    case "bad-config":
    case "config-oversize":
    case "key-removed":
      // Published below, with every other fault's start (a fault may be a trigger).
      break;
    case "data-loss":
      noteDataLoss(sim, f.target);
      break;
    case "down":
    case "latency":
    case "error-rate":
    case "capacity-loss":
    case "partition":
    case "surge":
    case "credential-expiry":
      // What they impose is recomputed below from the active faults.
      break;
    default: {
      const never: never = f;
      throw new Error(`simulate: unknown fault ${JSON.stringify(never)}`);
    }
  }
  contentFaultStarted(sim, f, () => refreshFaults(sim));
  refreshFaults(sim);
}

export function endFault(sim: Sim, f: Fault, cause: Why): void {
  const faults = sim.faults;
  if (faults.ended.has(f.id)) return;
  faults.ended.add(f.id);
  if (!faults.active.delete(f.id)) return;
  log(sim, "fault", f.id, "active", "ended", cause);
  if (f.kind === "dns-empty" || f.kind === "dns-wrong" || f.kind === "dns-nxdomain") {
    const r = sim.records[sim.topo.recordIndex.get(f.target) as number] as RecordState;
    setAnswer(sim, r, "ok", cause);
  }
  faults.rollout.delete(f.id);
  faults.fleetReached.delete(f.id);
  contentFaultEnded(sim, f, () => refreshFaults(sim));
  refreshFaults(sim, {
    mechanism: "fault",
    from: f.id,
    fromKind: "fault",
    detail: { what: "fault-ended", fault: f.id, scheduled: false },
  });
}

/** The component a fault targets, its fault cause set to the first fault (by id) on it. */
function target(sim: Sim, id: string, cause: Why): CompState {
  const s = sim.comps[indexOf(sim.topo.index, id)] as CompState;
  s.faultCause ??= cause;
  return s;
}

/** Recomputes every fault-driven factor from the active faults. */
export function refreshFaults(sim: Sim, ended?: Why): void {
  const faults = sim.faults;
  sim.everything = true;
  faults.domainDown.clear();
  faults.domainFault.clear();
  faults.surge.clear();
  faults.partitions.length = 0;
  sim.inc.partitionCache.fill(Number.NaN);
  for (const s of sim.comps) {
    s.errorRate = 0;
    s.extraLatency = 0;
    s.capacityLoss = 0;
    s.badFraction = 0;
    s.wrongRate = 0;
    s.credentialsExpired = false;
    s.certificateExpired = false;
    s.faultCause = undefined;
    s.capacityCause = undefined;
  }
  const downComponents = new Map<number, Why>();
  for (const id of [...faults.active.keys()].sort()) {
    const f = faults.active.get(id) as Fault;
    const cause = faultWhy(f);
    switch (f.kind) {
      case "data-loss":
        downComponents.set(indexOf(sim.topo.index, f.target), cause);
        break;
      case "down": {
        const ci = sim.topo.index.get(f.target);
        if (ci !== undefined) downComponents.set(ci, cause);
        else {
          faults.domainDown.set(f.target, (faults.domainDown.get(f.target) ?? 0) + 1);
          if (!faults.domainFault.has(f.target)) faults.domainFault.set(f.target, f.id);
        }
        break;
      }
      case "latency":
        target(sim, f.target, cause).extraLatency += f.latency;
        break;
      case "error-rate": {
        const s = target(sim, f.target, cause);
        s.errorRate = 1 - (1 - s.errorRate) * (1 - f.rate);
        break;
      }
      case "capacity-loss": {
        const s = target(sim, f.target, cause);
        s.capacityLoss = 1 - (1 - s.capacityLoss) * (1 - f.fraction);
        s.capacityCause ??= cause;
        break;
      }
      case "credential-expiry":
        if (f.credential === "certificate") target(sim, f.target, cause).certificateExpired = true;
        else target(sim, f.target, cause).credentialsExpired = true;
        break;
      case "surge":
        faults.surge.set(f.target, (faults.surge.get(f.target) ?? 1) * f.factor);
        break;
      case "partition":
        faults.partitions.push({ id: f.id, between: f.between });
        break;
      case "bad-change": {
        const frac = faults.rollout.get(f.id) ?? 0;
        if (frac <= 0) break;
        // A fleet's members all receive the change (see model/content.ts).
        const members = faults.fleetReached.get(f.id) ??
          sim.topo.fleetMembers.get(f.target) ?? [f.target];
        for (const member of members) {
          const s = target(sim, member, cause);
          if (f.effect === "down") s.badFraction = 1 - (1 - s.badFraction) * (1 - frac);
          else s.errorRate = 1 - (1 - s.errorRate) * (1 - frac * f.rate);
        }
        break;
      }
      case "bad-config":
      case "config-oversize":
      case "key-removed":
        // Each reader's failing shares are added below.
        break;
      case "dns-empty":
      case "dns-wrong":
      case "dns-nxdomain":
        // The record's answer was set when the fault started (see startFault).
        break;
      default: {
        const never: never = f;
        throw new Error(`simulate: unknown fault ${JSON.stringify(never)}`);
      }
    }
  }
  for (const { comp, down, error, wrong, cause } of contentShares(sim)) {
    const s = sim.comps[comp] as CompState;
    s.faultCause ??= cause;
    s.badFraction = 1 - (1 - s.badFraction) * (1 - down);
    s.errorRate = 1 - (1 - s.errorRate) * (1 - error);
    s.wrongRate = 1 - (1 - s.wrongRate) * (1 - wrong);
    if (wrong > 0) s.wrongSince ??= sim.t;
  }
  faults.partitionKey = `partition:${faults.partitions.map((p) => p.id).join(",")}`;
  // Processes: stopped by a fault on the component or by losing too many placements.
  sim.comps.forEach((s, i) => {
    const placements = s.c.placement.domains;
    let up = 0;
    let lost: string | undefined;
    for (const d of placements) {
      const down = downAncestor(sim, d);
      if (down === undefined) up++;
      else lost ??= down;
    }
    s.placementUp = placements.length === 0 ? 1 : up / placements.length;
    // A sharded component loses the requests of the shards it lost, and serves the rest.
    s.shardCause =
      s.c.shards && up < placements.length && up > 0
        ? {
            mechanism: "placement",
            from: faults.domainFault.get(lost ?? ""),
            fromKind: "fault",
            detail: {
              what: "shards-lost",
              domain: lost ?? "",
              component: s.c.id,
              up,
              of: placements.length,
            },
          }
        : undefined;
    const needed =
      s.c.redundancy.mode === "any"
        ? 1
        : s.c.redundancy.mode === "all"
          ? placements.length
          : s.c.redundancy.quorum;
    const direct = downComponents.get(i);
    const placementLost = placements.length > 0 && up < needed;
    // Too little capacity left to run at all: the process stops, and restarts in full later.
    const minimum = s.c.recovery.minimum;
    const belowMinimum = minimum !== undefined && 1 - s.capacityLoss < minimum - EPS;
    if (direct || placementLost || belowMinimum) {
      if (s.process !== "stopped") {
        s.process = "stopped";
        endWarmup(s);
        const domain = lost ?? "";
        s.processCause =
          direct ??
          (placementLost
            ? {
                mechanism: "placement",
                from: faults.domainFault.get(domain),
                fromKind: "fault",
                detail: {
                  what: "placement-lost",
                  domain,
                  component: s.c.id,
                  up,
                  of: placements.length,
                },
              }
            : {
                mechanism: "fault",
                from: s.capacityCause?.from,
                fromKind: "fault",
                detail: {
                  what: "below-minimum",
                  component: s.c.id,
                  left: 1 - s.capacityLoss,
                  minimum: minimum ?? 0,
                },
              });
      }
    } else if (s.process === "stopped") {
      beginRestart(sim, i, ended ?? { mechanism: "restart", detail: { what: "stop-ended" } });
    }
  });
}

/** The nearest down failure domain containing `domain` (itself included), if any. */
function downAncestor(sim: Sim, domain: string): string | undefined {
  let cur: string | null | undefined = domain;
  const seen = new Set<string>();
  while (cur !== null && cur !== undefined && !seen.has(cur)) {
    seen.add(cur);
    if ((sim.faults.domainDown.get(cur) ?? 0) > 0) return cur;
    cur = sim.topo.domainParent.get(cur);
  }
  return undefined;
}
