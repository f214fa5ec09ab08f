/**
 * @module synthetic/operations
 * The parts of a synthetic model drawn after its slots and dependencies: queues with their
 * producers and consumers, monitors with what they observe and their alarms and actions, the
 * components' own properties (recovery, capacity, availability…), and the workloads entering
 * at the top layer. Each takes the generator's draw where the last
 * part left it (see `synthetic/generate`, which calls them in a fixed order).
 */
import type {
  Action,
  Alarm,
  Component,
  ComponentKind,
  Consumer,
  DnsRecord,
  Queue,
  Workload,
} from "../model/types.js";
import {
  cmp,
  type Draw,
  type Mutable,
  NO_LOC,
  pad,
  type Slot,
  shuffle,
  TOP_LAYER,
  type World,
} from "./world.js";

/** Queues (with dead-letter queues), and the queues each producing slot publishes to. */
export function drawQueues(
  d: Draw,
  w: World,
): { queues: Mutable<Queue>[]; publishes: Map<number, string[]> } {
  const { int, pick, chance } = d;
  const { slots, buckets, regionIds } = w;
  const n = slots.length;
  const regionCount = regionIds.length;
  const queueServices = regionIds.map((_, r) =>
    (buckets[r]?.[1] ?? []).filter((i) => (slots[i] as Slot).kind === "queue-service"),
  );
  const consumerKinds: readonly ComponentKind[] = ["worker", "serverless"];
  const publishes = new Map<number, string[]>();
  const queues: Mutable<Queue>[] = [];
  const queueCount = n >= 50 ? Math.round(0.005 * n) : 0;
  for (let q = 0; q < queueCount; q++) {
    const r = int(0, regionCount - 1);
    const id = `queue-${pad(q + 1, 5)}`;
    const services = queueServices[r] as number[];
    const candidates = [2, 3, 4].flatMap((l) =>
      (buckets[r]?.[l] ?? []).filter((i) => consumerKinds.includes((slots[i] as Slot).kind)),
    );
    const consumers: Consumer[] = [];
    const taken = new Set<number>();
    for (let k = int(1, 2); k > 0 && candidates.length > 0; k--) {
      const c = pick(candidates);
      if (taken.has(c)) continue;
      taken.add(c);
      consumers.push(
        chance(0.5)
          ? { component: (slots[c] as Slot).id, rate: pick([50, 200, 1000, 5000]) }
          : {
              component: (slots[c] as Slot).id,
              rate: pick([50, 200, 1000, 5000]),
              concurrency: pick([10, 100, 1000]),
            },
      );
    }
    const queue: Mutable<Queue> = {
      id,
      consumers: consumers.sort((a, b) => cmp(a.component, b.component)),
      retention: pick([86400, 4 * 86400, 14 * 86400]),
      visibilityTimeout: pick([30, 60, 300]),
      loc: NO_LOC,
    };
    const service = services.length > 0 ? pick(services) : -1;
    if (service >= 0) queue.service = (slots[service] as Slot).id;
    if (chance(0.5)) {
      queue.maxReceives = 5;
      queue.deadLetter = `${id}-dlq`;
      const dlq: Mutable<Queue> = {
        id: `${id}-dlq`,
        consumers: [],
        retention: 14 * 86400,
        visibilityTimeout: 30,
        loc: NO_LOC,
      };
      if (service >= 0) dlq.service = (slots[service] as Slot).id;
      queues.push(dlq);
    }
    queues.push(queue);
    const producers = [3, 4, 5].flatMap((l) => buckets[r]?.[l] ?? []);
    for (let k = int(1, 3); k > 0 && producers.length > 0; k--) {
      const p = pick(producers);
      const list = publishes.get(p) ?? [];
      if (!list.includes(id)) list.push(id);
      publishes.set(p, list);
    }
  }
  return { queues, publishes };
}

/**
 * What each monitor observes, an alarm and a restart per monitoring component, and a manual
 * DNS repair on the first record.
 */
export function drawMonitoring(
  d: Draw,
  w: World,
  records: ReadonlyMap<number, DnsRecord>,
): { observes: Map<number, string[]>; alarms: Mutable<Alarm>[]; actions: Mutable<Action>[] } {
  const { int, pick } = d;
  const { slots, buckets } = w;
  const observes = new Map<number, string[]>();
  const monitors = slots.map((_, i) => i).filter((i) => (slots[i] as Slot).monitor);
  const alarms: Mutable<Alarm>[] = [];
  const actions: Mutable<Action>[] = [];
  for (const mon of monitors) {
    const s = slots[mon] as Slot;
    const watched = new Set<string>();
    if (s.kind === "status-page") {
      for (const other of monitors)
        if (other !== mon && (slots[other] as Slot).kind === "monitoring")
          watched.add((slots[other] as Slot).id);
    } else {
      const pool = (buckets[s.region] as number[][]).flat();
      for (let k = int(3, 12); k > 0 && pool.length > 0; k--)
        watched.add((slots[pick(pool)] as Slot).id);
    }
    if (watched.size === 0) continue;
    const list = [...watched].sort(cmp);
    observes.set(mon, list);
    if (s.kind !== "monitoring") continue;
    const alarmId = `${s.id}-alarm`;
    const target = pick(list);
    alarms.push({
      id: alarmId,
      monitor: s.id,
      target,
      signal: pick(["error-rate", "latency", "availability"] as const),
      threshold: 0.05,
      period: 60,
      evaluationPeriods: 3,
      datapoints: 2,
      loc: NO_LOC,
    });
    actions.push({
      id: `${s.id}-restart`,
      do: "restart",
      target,
      trigger: { on: "alarm", alarm: alarmId },
      delay: 600,
      loc: NO_LOC,
    });
  }
  const firstRecord = [...records.values()].sort((a, b) => cmp(a.name, b.name))[0];
  if (firstRecord) {
    actions.push({
      id: "repair-dns",
      do: "fix-dns",
      target: firstRecord.name,
      trigger: { on: "manual" },
      delay: 1800,
      loc: NO_LOC,
    });
  }
  return { observes, alarms, actions };
}

/** Each slot's component, with what it observes and publishes and its own properties. */
export function drawComponents(
  d: Draw,
  w: World,
  observes: ReadonlyMap<number, string[]>,
  publishes: ReadonlyMap<number, string[]>,
): Mutable<Component>[] {
  const { chance, pick } = d;
  const { slots, regionIds, providers } = w;
  return slots.map((s, i) => {
    const c: Mutable<Component> = {
      id: s.id,
      kind: s.kind,
      plane: s.layer === 0 ? "control" : "data",
      placement: s.placement,
      redundancy: s.redundancy,
      recovery: { coldStart: s.layer === 1 && chance(0.3) ? "standalone" : "needs-dependencies" },
      observes: observes.get(i) ?? [],
      publishes: [...(publishes.get(i) ?? [])].sort(cmp),
      loc: NO_LOC,
    };
    if (chance(0.9)) c.recovery = { ...c.recovery, restart: pick([60, 120, 300, 600, 900, 1800]) };
    if (s.layer === 0 && s.region >= 0)
      c.description = `${s.kind} control plane of ${regionIds[s.region]}`;
    else if (s.region < 0) c.description = `global ${s.kind} of ${providers[s.provider]}`;
    if (s.layer > 0 && chance(0.5))
      c.capacity = pick([500, 1000, 2000, 5000, 10_000, 50_000, 100_000]);
    if (chance(0.3)) c.latency = pick([0.002, 0.005, 0.01, 0.025, 0.05]);
    if (chance(0.1)) c.concurrency = pick([64, 256, 1000]);
    if (chance(0.2)) c.rto = pick([900, 1800, 3600]);
    // Availability is declared on failure units only: a replicated component fails through its
    // zones and dependencies, and the loader warns about an availability it would not use.
    if (s.placement.domains.length <= 1) {
      if (s.layer === 0) c.availability = pick([0.9999, 0.99995]);
      else if (chance(0.5)) c.availability = pick([0.999, 0.9995]);
    }
    if (s.kind === "identity" || s.kind === "token-service")
      c.tokens = { ttl: pick([900, 3600]), refreshBefore: 300 };
    if (s.kind === "lease-manager") c.leases = { duration: 1800, renewEvery: 300, count: 500_000 };
    if (s.kind === "load-balancer")
      c.healthCheck = { interval: 10, threshold: 3, autoFailover: true };
    return c;
  });
}

/** The workloads, entering at top-layer slots. */
export function drawWorkloads(d: Draw, w: World, workloadCount: number): Mutable<Workload>[] {
  const { int, pick, chance } = d;
  const { slots, buckets, regionIds } = w;
  const top = regionIds.flatMap((_, r) => buckets[r]?.[TOP_LAYER] ?? []);
  const entryPool = top.length > 0 ? top : slots.map((_, i) => i);
  const shuffled = shuffle(entryPool, int);
  const workloads: Mutable<Workload>[] = [];
  for (let w = 0; w < workloadCount; w++) {
    const entry = shuffled[w % shuffled.length] as number;
    const rate = pick([100, 500, 1000, 5000, 20_000, 50_000]);
    const workload: Mutable<Workload> = {
      id: `workload-${pad(w + 1, 3)}`,
      entry: (slots[entry] as Slot).id,
      rate,
      profile: chance(0.25)
        ? [
            { at: 0, rate },
            { at: 3600, rate: rate * 2 },
            { at: 7200, rate },
          ]
        : [],
      slo: pick([0.999, 0.9995, 0.9999]),
      loc: NO_LOC,
    };
    if (chance(0.5)) workload.rto = pick([1800, 3600]);
    if (chance(0.5)) workload.tier = int(1, 3);
    workloads.push(workload);
  }
  return workloads;
}
