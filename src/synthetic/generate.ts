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
 */
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type {
  Action,
  Alarm,
  Component,
  ComponentKind,
  Consumer,
  Dependency,
  DnsRecord,
  Domain,
  Location,
  Model,
  Placement,
  Queue,
  Redundancy,
  Retry,
  Workload,
} from "../model/types.js";

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

/** The file name every generated entity is located in. */
export const SYNTHETIC_FILE = "synthetic.yaml";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Layer 0 holds the control planes; edges mostly go from higher layers to lower ones. */
const TOP_LAYER = 5;
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
const P_VIA = 0.1;
const P_AUTH = 0.1;
const P_FALLBACK = 0.03;
const P_BACK_EDGE = 0.002;
const P_CONTROL_TARGET = 0.12;
const P_CROSS_REGION = 0.03;

interface Slot {
  id: string;
  kind: ComponentKind;
  layer: number;
  /** Home region index, or −1 for a global component. */
  region: number;
  /** Provider index of the home region (or of the global component). */
  provider: number;
  /** Position among the components of its layer and region (or globals), for DAG order. */
  rank: number;
  monitor: boolean;
  placement: Placement;
  redundancy: Redundancy;
}

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
  const rng = xoroshiro128plus(seed);

  const int = (lo: number, hi: number): number => uniformInt(rng, lo, hi);
  const unit = (): number => uniformInt(rng, 0, 0xffffff) / 0x1000000;
  const chance = (p: number): boolean => unit() < p;
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T;
  /** Lower indices are picked more often: a few shared services get most of the callers. */
  const skewed = <T>(list: readonly T[]): T => {
    const u = unit();
    return list[Math.floor(list.length * u * u)] as T;
  };

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

  // DNS records are created on demand, one per target that some caller resolves.
  const records = new Map<number, Mutable<DnsRecord>>();
  const recordFor = (target: number): DnsRecord | undefined => {
    const existing = records.get(target);
    if (existing) return existing;
    const t = slots[target] as Slot;
    const local = t.region >= 0 ? (dnsPool[t.region] as number[]) : [];
    const pool = local.length > 0 ? local : allDns;
    if (pool.length === 0) return undefined;
    const server = pick(pool);
    const serverSlot = slots[server] as Slot;
    const record: Mutable<DnsRecord> = {
      name: `${t.id}.${t.region >= 0 ? regionIds[t.region] : "global"}.internal.example`,
      server: (slots[server] as Slot).id,
      targets: [t.id],
      ttl: pick([30, 60, 60, 300]),
      negativeTtl: pick([60, 900, 900]),
      loc: NO_LOC,
    };
    if (chance(0.1)) {
      const peers = alternativeTo(target);
      if (peers >= 0) {
        record.failover = {
          targets: [(slots[peers] as Slot).id],
          healthCheck: { interval: pick([10, 30]), threshold: 3, autoFailover: chance(0.8) },
        };
      }
    }
    const automation =
      serverSlot.region >= 0 ? (automationPool[serverSlot.region] as number[]) : [];
    if (automation.length > 0 && chance(0.2))
      record.managedBy = (slots[pick(automation)] as Slot).id;
    if (chance(0.3)) record.availability = 0.9999;
    records.set(target, record);
    return record;
  };
  /**
   * Where a call can go when its target fails, or −1: a sibling of the same layer in the same
   * region, or for a store or control plane, its counterpart in another region (as with a
   * ledger replicated across regions). Upper-layer services do not fail over to other regions
   * one call at a time.
   */
  const alternativeTo = (target: number): number => {
    const t = slots[target] as Slot;
    for (let attempt = 0; attempt < 6; attempt++) {
      const r = t.region < 0 || (t.layer <= 1 && chance(0.5)) ? int(0, regionCount - 1) : t.region;
      const list = buckets[r]?.[t.layer] ?? [];
      if (list.length === 0) continue;
      const c = pick(list);
      if (c !== target) return c;
    }
    return -1;
  };
  const authFor = (from: number): number => {
    const s = slots[from] as Slot;
    const local = s.region >= 0 ? (authPool[s.region] as number[]) : [];
    const pool = local.length > 0 && chance(0.9) ? local : allAuth;
    if (pool.length === 0) return -1;
    const a = pick(pool);
    return a === from ? -1 : a;
  };

  const dependencies: Mutable<Dependency>[] = [];
  const addDependency = (from: number, to: number, soft: boolean): void => {
    const s = slots[from] as Slot;
    const t = slots[to] as Slot;
    const dep: Mutable<Dependency> = {
      from: s.id,
      to: t.id,
      kind: soft ? "soft" : "hard",
      calls: 1,
      loc: NO_LOC,
    };
    if (chance(0.1)) dep.calls = int(2, 3);
    if (chance(0.5)) dep.timeout = pick([0.1, 0.2, 0.25, 0.5, 1, 2, 5]);
    if (chance(0.2)) {
      const backoff = pick([0.05, 0.1, 0.2]);
      const retry: Mutable<Retry> = {
        attempts: int(2, 5),
        backoff,
        jitter: pick(["none", "full", "full", "equal", "decorrelated"] as const),
      };
      if (chance(0.5)) retry.maxBackoff = pick([1, 2, 10]);
      if (chance(0.2)) retry.budget = 0.1;
      dep.retry = retry;
    }
    if (chance(0.05))
      dep.breaker = { errorRate: 0.5, window: 10, openFor: 30, minRequests: 20, halfOpenProbes: 1 };
    if (chance(0.05))
      dep.cache = { ttl: 300, staleIfError: pick([0, 3600]), hitRatio: 1, latency: 0 };
    if (soft) {
      if (chance(0.5)) dep.degradedMode = `without-${t.kind}`;
    } else {
      if (chance(P_VIA) && s.kind !== "dns" && t.kind !== "dns") {
        const record = recordFor(to);
        if (record && record.server !== s.id) dep.via = record.name;
      }
      if (chance(P_AUTH)) {
        const a = authFor(from);
        if (a >= 0) dep.auth = (slots[a] as Slot).id;
      }
      if (chance(P_FALLBACK)) {
        const f = alternativeTo(to);
        if (f >= 0 && f !== from) {
          dep.fallback = { to: (slots[f] as Slot).id };
          if (chance(0.3)) {
            const a = authFor(from);
            if (a >= 0) dep.fallback = { to: (slots[f] as Slot).id, auth: (slots[a] as Slot).id };
          }
        }
      }
    }
    dependencies.push(dep);
  };
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

  // --- queues -----------------------------------------------------------------------------------
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

  // --- monitors, alarms and actions --------------------------------------------------------------
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

  // --- components -------------------------------------------------------------------------------
  const components: Mutable<Component>[] = slots.map((s, i) => {
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

  // --- workloads --------------------------------------------------------------------------------
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

const NO_LOC: Location = { file: SYNTHETIC_FILE, line: 1, column: 1 };

function pad(i: number, width: number): string {
  return String(i).padStart(width, "0");
}

function shuffle<T>(list: readonly T[], int: (lo: number, hi: number) => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(0, i);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
