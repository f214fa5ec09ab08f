/**
 * @module synthetic/generate
 * Synthetic architecture models of any size, for benchmarks and scale tests. The shape follows
 * what real models look like (see examples/): one or two providers with regions of three zones;
 * a few percent of control planes scoped to a region or global (identity, token service, DNS
 * with records, service discovery, lease managers, automation); most components replicated over
 * two or three zones of one region, some behind a 2-of-3 quorum, a few in one zone and a few
 * spread over regions; dependencies layered from edge services down to data stores and control
 * planes, within a region except for a few calls to other regions' control planes and stores,
 * with a small share of back edges that close short cycles; DNS-resolved, authenticated,
 * fallback-protected and soft dependencies in realistic proportions; queues, monitors with
 * alarms and actions, and workloads entering at the top layer with an SLO.
 *
 * The result is a normalized `Model` exactly as `parseModel` would build it (arrays sorted by
 * id, defaults filled in), valid by every rule of `model/semantics`, and fully determined by
 * the options: the same seed gives a deep-equal model.
 *
 * This module lays out the failure domains, the component slots and which slot depends on
 * which; `synthetic/dependency-options` draws how each dependency is called, and
 * `synthetic/operations` the queues, monitors, components' properties and workloads, each from
 * the same seeded sequence (`synthetic/world`), in a fixed order.
 */
import type {
  ComponentKind,
  Domain,
  Location,
  Model,
  Placement,
  Redundancy,
} from "../model/types.js";
import { dependencyDrawer } from "./dependency-options.js";
import { drawComponents, drawMonitoring, drawQueues, drawWorkloads } from "./operations.js";
import {
  cmp,
  type Mutable,
  NO_LOC,
  pad,
  type Slot,
  SYNTHETIC_FILE,
  seededDraw,
  TOP_LAYER,
  type World,
} from "./world.js";

export interface GenerateOptions {
  /** Number of components (at least 1). */
  readonly components: number;
  /** Number of dependencies, hard and soft together (at most components × (components − 1)). */
  readonly dependencies: number;
  /** Seed of the generator (default 1). */
  readonly seed?: number;
  /** Number of regions, three zones each (default max(2, components / 5000), at most 20). */
  readonly regions?: number;
  /** Number of workloads (default 20). */
  readonly workloads?: number;
}

export { SYNTHETIC_FILE } from "./world.js";

const MONITOR_LAYER = 2;
/** Share of regular components per layer 1..5. */
const LAYER_WEIGHTS = [0, 20, 15, 25, 25, 15];
const LAYER_KINDS: readonly (readonly ComponentKind[])[] = [
  [],
  [
    "database",
    "kv-store",
    "object-store",
    "cache",
    "queue-service",
    "database",
    "kv-store",
    "external",
  ],
  ["container-platform", "compute", "event-bus", "worker", "serverless"],
  ["api", "worker", "serverless", "compute", "api"],
  ["api", "api", "serverless", "worker", "web"],
  ["web", "api", "load-balancer", "cdn", "web", "api"],
];
/** Regional control planes, assigned round-robin so that every region gets one of each early. */
const CONTROL_KINDS: readonly ComponentKind[] = [
  "identity",
  "dns",
  "token-service",
  "service-discovery",
  "lease-manager",
  "automation",
  "identity",
  "token-service",
  "network-manager",
];

/** Out-degree weight per layer (control planes and stores call little, services a lot). */
const OUT_WEIGHT = [1, 1, 2, 3, 3, 3];
const MONITOR_OUT_WEIGHT = 2;

const P_SOFT = 0.2;
const P_BACK_EDGE = 0.002;
const P_CONTROL_TARGET = 0.12;
const P_CROSS_REGION = 0.03;

export function generateModel(options: GenerateOptions): Model {
  const n = options.components;
  const m = options.dependencies;
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError("generateModel: components must be an integer ≥ 1");
  if (!Number.isInteger(m) || m < 0 || m > n * (n - 1)) {
    throw new RangeError(
      "generateModel: dependencies must be an integer in 0 .. components × (components − 1)",
    );
  }
  const regionCount = options.regions ?? Math.min(20, Math.max(2, Math.floor(n / 5000)));
  if (!Number.isInteger(regionCount) || regionCount < 1 || regionCount > 999) {
    throw new RangeError("generateModel: regions must be an integer in 1 .. 999");
  }
  const workloadCount = options.workloads ?? 20;
  if (!Number.isInteger(workloadCount) || workloadCount < 0) {
    throw new RangeError("generateModel: workloads must be a non-negative integer");
  }
  const seed = options.seed ?? 1;
  const draw = seededDraw(seed);
  const { int, unit, chance, pick, skewed } = draw;

  // --- failure domains -------------------------------------------------------------------------
  const providerCount = regionCount >= 2 && chance(0.5) ? 2 : 1;
  const providers = Array.from({ length: providerCount }, (_, p) => `provider-${p + 1}`);
  const perProvider = Math.ceil(regionCount / providerCount);
  const regionProvider = Array.from({ length: regionCount }, (_, r) =>
    Math.min(providerCount - 1, Math.floor(r / perProvider)),
  );
  const regionIds = Array.from({ length: regionCount }, (_, r) => `region-${pad(r + 1, 2)}`);
  const zoneIds = regionIds.map((r) => ["a", "b", "c"].map((z) => `${r}${z}`));
  const domains: Mutable<Domain>[] = [];
  for (const p of providers) domains.push({ id: p, kind: "provider", parent: null, loc: NO_LOC });
  regionIds.forEach((r, i) => {
    domains.push({
      id: r,
      kind: "region",
      parent: providers[regionProvider[i] as number] as string,
      availability: 0.9999,
      loc: NO_LOC,
    });
    for (const z of zoneIds[i] as string[]) {
      const d: Mutable<Domain> = { id: z, kind: "zone", parent: r, loc: NO_LOC };
      if (chance(0.7)) d.availability = 0.9995;
      domains.push(d);
    }
  });

  // --- component slots ------------------------------------------------------------------------
  const controlCount = Math.min(
    Math.floor(n / 3),
    Math.max(5 * regionCount + 2 * providerCount, Math.round(0.03 * n)),
  );
  const globalCount = controlCount >= 2 * providerCount + regionCount ? 2 * providerCount : 0;
  const monitorCount = n >= 50 ? Math.max(1, Math.round(0.004 * n)) : 0;
  const multiRegionCount = regionCount >= 2 ? Math.round(0.02 * n) : 0;
  const regularCount = n - controlCount - monitorCount - multiRegionCount;

  const slots: Slot[] = [];
  let seq = 0;
  const nextId = (kind: string) => `${kind}-${pad(++seq, 6)}`;
  const zonesOf = (r: number) => zoneIds[r] as string[];
  const zonal = (r: number, zones: readonly string[]): Placement => ({
    scope: "zones",
    domains: [...zones].sort(cmp),
    region: regionIds[r] as string,
  });

  for (let i = 0; i < globalCount; i++) {
    const provider = i >> 1;
    const kind: ComponentKind = i % 2 === 0 ? "dns" : "identity";
    slots.push({
      id: `global-${kind}-${provider + 1}`,
      kind,
      layer: 0,
      region: -1,
      provider,
      rank: 0,
      monitor: false,
      placement: { scope: "global", domains: [providers[provider] as string] },
      redundancy: { mode: "any" },
    });
  }
  for (let i = 0; i < controlCount - globalCount; i++) {
    const r = i % regionCount;
    const kind = CONTROL_KINDS[Math.floor(i / regionCount) % CONTROL_KINDS.length] as ComponentKind;
    slots.push({
      id: nextId(kind),
      kind,
      layer: 0,
      region: r,
      provider: regionProvider[r] as number,
      rank: 0,
      monitor: false,
      placement: { scope: "region", domains: [regionIds[r] as string] },
      redundancy: { mode: "any" },
    });
  }
  const statusPage = monitorCount >= 3;
  for (let i = 0; i < monitorCount; i++) {
    const r = int(0, regionCount - 1);
    const kind: ComponentKind =
      statusPage && i === 0 ? "status-page" : i % 4 === 3 ? "health-check" : "monitoring";
    slots.push({
      id: nextId(kind),
      kind,
      layer: MONITOR_LAYER,
      region: r,
      provider: regionProvider[r] as number,
      rank: 0,
      monitor: true,
      placement: zonal(r, zonesOf(r)),
      redundancy: { mode: "any" },
    });
  }
  const drawLayer = (): number => {
    let u = int(0, 99);
    for (let l = 1; l <= TOP_LAYER; l++) {
      u -= LAYER_WEIGHTS[l] as number;
      if (u < 0) return l;
    }
    return TOP_LAYER;
  };
  for (let i = 0; i < multiRegionCount; i++) {
    const layer = Math.max(3, drawLayer());
    const kind = pick(LAYER_KINDS[layer] as ComponentKind[]);
    const home = int(0, regionCount - 1);
    const provider = regionProvider[home] as number;
    const peers = regionIds
      .map((_, r) => r)
      .filter((r) => r !== home && regionProvider[r] === provider);
    const others = peers.length > 0 ? peers : regionIds.map((_, r) => r).filter((r) => r !== home);
    const second = pick(others);
    const regions = [home, second];
    if (chance(0.2)) {
      const third = others.filter((r) => r !== second);
      if (third.length > 0) regions.push(pick(third));
    }
    slots.push({
      id: nextId(kind),
      kind,
      layer,
      region: home,
      provider,
      rank: 0,
      monitor: false,
      placement: {
        scope: "regions",
        domains: regions.map((r) => regionIds[r] as string).sort(cmp),
      },
      redundancy: { mode: "any" },
    });
  }
  for (let i = 0; i < regularCount; i++) {
    const layer = drawLayer();
    const kind = pick(LAYER_KINDS[layer] as ComponentKind[]);
    const r = int(0, regionCount - 1);
    const zones = zonesOf(r);
    const style = unit();
    let placement: Placement;
    let redundancy: Redundancy = { mode: "any" };
    if (style < 0.05) placement = zonal(r, [pick(zones)]);
    else if (style < 0.15) {
      placement = zonal(r, zones);
      redundancy = { mode: "quorum", quorum: 2 };
    } else if (style < 0.45) {
      const skip = int(0, 2);
      placement = zonal(
        r,
        zones.filter((_, z) => z !== skip),
      );
    } else placement = zonal(r, zones);
    slots.push({
      id: nextId(kind),
      kind,
      layer,
      region: r,
      provider: regionProvider[r] as number,
      rank: 0,
      monitor: false,
      placement,
      redundancy,
    });
  }

  // Buckets of dependency targets per region and layer; globals are reachable from every region.
  const buckets: number[][][] = regionIds.map(() =>
    Array.from({ length: TOP_LAYER + 1 }, () => []),
  );
  const globals: number[] = [];
  slots.forEach((s, i) => {
    if (s.monitor) return;
    if (s.region < 0) {
      globals.push(i);
      return;
    }
    const bucket = buckets[s.region]?.[s.layer] as number[];
    s.rank = bucket.length + 1;
    bucket.push(i);
  });
  for (const regionBuckets of buckets) {
    const control = regionBuckets[0] as number[];
    control.unshift(...globals);
  }
  const byKindInRegion = (kinds: readonly ComponentKind[]) =>
    regionIds.map((_, r) => {
      const local = (buckets[r]?.[0] ?? []).filter((i) => kinds.includes((slots[i] as Slot).kind));
      return local;
    });
  const world: World = { slots, buckets, regionIds, providers };
  const authPool = byKindInRegion(["identity", "token-service"]);
  const dnsPool = byKindInRegion(["dns"]);
  const automationPool = byKindInRegion(["automation"]);
  const allAuth = slots
    .map((_, i) => i)
    .filter((i) => ["identity", "token-service"].includes((slots[i] as Slot).kind));
  const allDns = slots.map((_, i) => i).filter((i) => (slots[i] as Slot).kind === "dns");

  // --- dependencies ---------------------------------------------------------------------------
  const fromPool: number[] = [];
  slots.forEach((s, i) => {
    const w = s.monitor ? MONITOR_OUT_WEIGHT : (OUT_WEIGHT[s.layer] as number);
    for (let k = 0; k < w; k++) fromPool.push(i);
  });
  // Targets and kinds of each component's dependencies, in the order they were drawn.
  const targetsOf: number[][] = slots.map(() => []);
  const softOf: boolean[][] = slots.map(() => []);
  let pairCount = 0;
  const used = (from: number, to: number) => (targetsOf[from] as number[]).includes(to);
  const regionOf = (s: Slot) => (s.region >= 0 ? s.region : int(0, regionCount - 1));

  /** A target below `from` in the layer order, or −1 (the draw missed; draw again). */
  const drawTarget = (from: number): number => {
    const s = slots[from] as Slot;
    if (s.layer > 0 && chance(P_CROSS_REGION)) {
      // A call to another region reaches its control planes or its stores (a central identity,
      // a global table), never the services above them: regions stay mostly self-contained.
      const far = buckets[int(0, regionCount - 1)] as number[][];
      const list = far[s.layer === 1 ? 0 : int(0, 1)] as number[];
      return list.length === 0 ? -1 : skewed(list);
    }
    const regionBuckets = buckets[regionOf(s)] as number[][];
    // Stores and other bottom-layer components call control planes only (identity, discovery,
    // DNS), as control planes call earlier control planes.
    if (s.layer <= 1 || chance(P_CONTROL_TARGET)) {
      const list = regionBuckets[0] as number[];
      if (list.length === 0) return -1;
      const t = skewed(list);
      const ts = slots[t] as Slot;
      // Among control planes, globals come first and a control plane calls only earlier ones.
      if (s.layer === 0 && !(ts.region < 0 && s.region >= 0) && ts.rank >= s.rank) return -1;
      return t;
    }
    // Mostly the layer just below; sometimes deeper, sometimes a peer of the same layer.
    const u = unit();
    const layer = u < 0.15 ? s.layer : u < 0.65 ? s.layer - 1 : int(0, s.layer);
    const list = regionBuckets[layer] as number[];
    if (list.length === 0) return -1;
    const t = skewed(list);
    if (
      layer === s.layer &&
      ((slots[t] as Slot).rank >= s.rank || (slots[t] as Slot).region !== s.region)
    )
      return -1;
    return t;
  };

  const addPair = (from: number, to: number, soft: boolean) => {
    (targetsOf[from] as number[]).push(to);
    (softOf[from] as boolean[]).push(soft);
    pairCount++;
  };
  const backCount = n >= 50 ? Math.round(P_BACK_EDGE * m) : 0;
  /** Fills up to `total` pairs with downward edges; false when the layered draw ran dry. */
  const drawForward = (total: number): boolean => {
    let misses = 0;
    while (pairCount < total) {
      if (misses >= 200) return false;
      const from = fromPool[int(0, fromPool.length - 1)] as number;
      let found = -1;
      for (let attempt = 0; attempt < 8 && found < 0; attempt++) {
        const t = drawTarget(from);
        if (t >= 0 && t !== from && !used(from, t) && !(slots[t] as Slot).monitor) found = t;
      }
      if (found < 0) {
        misses++;
        continue;
      }
      misses = 0;
      addPair(from, found, chance(P_SOFT));
    }
    return true;
  };
  drawForward(m - backCount);

  // Back edges close short cycles. In each region, an identity service keeps its state in a
  // store that itself depends on identity (the classic control-plane cycle). Elsewhere a
  // component with few dependents gets a hard dependency on one of them (or on one of theirs),
  // so that each cycle stays local and the graph stays mostly a DAG: a back edge into the
  // ancestry of a widely shared component would fold most of the model into one cycle.
  if (backCount > 0) {
    const dependents: number[][] = slots.map(() => []);
    targetsOf.forEach((targets, from) => {
      targets.forEach((to, k) => {
        if (!softOf[from]?.[k]) (dependents[to] as number[]).push(from);
      });
    });
    const target = pairCount + backCount;
    for (let r = 0; r < regionCount && pairCount < target; r++) {
      const identities = (authPool[r] as number[]).filter((i) => (slots[i] as Slot).region === r);
      if (identities.length === 0) continue;
      const x = identities[0] as number;
      const stores = (dependents[x] as number[]).filter((d) => (slots[d] as Slot).layer === 1);
      if (stores.length === 0) continue;
      const y = pick(stores);
      if (!used(x, y)) addPair(x, y, false);
    }
    const FEW = 3;
    const quiet = (i: number) => {
      const d = (dependents[i] as number[]).length;
      return d >= 1 && d <= FEW;
    };
    const candidates = slots
      .map((_, i) => i)
      .filter((i) => !(slots[i] as Slot).monitor && quiet(i));
    let misses = 0;
    while (pairCount < target && candidates.length > 0 && misses < 200) {
      const x = pick(candidates);
      const y = pick(dependents[x] as number[]);
      if (y === x || used(x, y)) {
        misses++;
        continue;
      }
      misses = 0;
      addPair(x, y, false);
    }
  }
  if (!drawForward(m)) {
    // The layered draw ran dry (a dense request on a small model): take the remaining pairs in
    // a fixed scan order from a random start, still without duplicates or self-dependencies.
    const offset = int(0, n - 1);
    for (let a = 0; a < n && pairCount < m; a++) {
      const from = (a + offset) % n;
      for (let b = 0; b < n && pairCount < m; b++) {
        const to = (b + from + 1) % n;
        if (to === from || used(from, to)) continue;
        addPair(from, to, chance(P_SOFT));
      }
    }
  }

  const { records, dependencies, addDependency } = dependencyDrawer(draw, world, {
    authPool,
    dnsPool,
    automationPool,
    allAuth,
    allDns,
  });
  // Components and each one's targets in id order: dependencies come out sorted as `parseModel`
  // sorts them, without sorting a million objects by string.
  const idOrder = slots
    .map((_, i) => i)
    .sort((a, b) => cmp((slots[a] as Slot).id, (slots[b] as Slot).id));
  const idRank = new Int32Array(n);
  idOrder.forEach((slot, r) => {
    idRank[slot] = r;
  });
  const byTargetId = (targets: readonly number[]) => (a: number, b: number) =>
    (idRank[targets[a] as number] as number) - (idRank[targets[b] as number] as number);
  for (const from of idOrder) {
    const targets = targetsOf[from] as number[];
    const order = targets.map((_, k) => k).sort(byTargetId(targets));
    for (const k of order) addDependency(from, targets[k] as number, softOf[from]?.[k] === true);
  }

  const { queues, publishes } = drawQueues(draw, world);
  const { observes, alarms, actions } = drawMonitoring(draw, world, records);

  const components = drawComponents(draw, world, observes, publishes);

  const workloads = drawWorkloads(draw, world, workloadCount);

  // --- normalized order and locations ---------------------------------------------------------------
  let line = 0;
  const locate = <T extends { loc: Location }>(list: T[]): T[] => {
    for (const item of list) item.loc = { file: SYNTHETIC_FILE, line: ++line, column: 1 };
    return list;
  };
  const byId = <T extends { id: string }>(a: T, b: T) => cmp(a.id, b.id);
  return {
    name: `synthetic-${n}-${m}-seed-${seed}`,
    description: `Synthetic model: ${n} components, ${m} dependencies, ${regionCount} regions, ${providerCount} provider(s).`,
    files: [SYNTHETIC_FILE],
    domains: locate(domains.sort(byId)),
    components: locate(components.sort(byId)),
    dependencies: locate(dependencies),
    records: locate([...records.values()].sort((a, b) => cmp(a.name, b.name))),
    queues: locate(queues.sort(byId)),
    workloads: locate(workloads.sort(byId)),
    alarms: locate(alarms.sort(byId)),
    actions: locate(actions.sort(byId)),
  };
}
