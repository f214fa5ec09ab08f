/**
 * @module synthetic/dependency-options
 * How each synthetic dependency is called: calls per request, timeouts, retries, breakers and
 * caches; for a hard one, sometimes a DNS record to resolve its target through (records are
 * made on demand, one per target), an identity service to authenticate with, and a fallback.
 * Drawn from the generator's sequence where `synthetic/generate` calls it, in dependency order.
 */
import type { Dependency, DnsRecord, Retry } from "../model/types.js";
import { type Draw, type Mutable, NO_LOC, type Slot, type World } from "./world.js";

const P_VIA = 0.1;
const P_AUTH = 0.1;
const P_FALLBACK = 0.03;

/** Slot indices of the control planes a dependency's options name, per region and in all. */
export interface Pools {
  readonly authPool: readonly (readonly number[])[];
  readonly dnsPool: readonly (readonly number[])[];
  readonly automationPool: readonly (readonly number[])[];
  readonly allAuth: readonly number[];
  readonly allDns: readonly number[];
}

/** `addDependency` draws one dependency's options into `dependencies`, records as needed. */
export function dependencyDrawer(
  d: Draw,
  w: World,
  pools: Pools,
): {
  records: Map<number, Mutable<DnsRecord>>;
  dependencies: Mutable<Dependency>[];
  addDependency(from: number, to: number, soft: boolean): void;
} {
  const { int, pick, chance } = d;
  const { slots, buckets, regionIds } = w;
  const regionCount = regionIds.length;
  const { authPool, dnsPool, automationPool, allAuth, allDns } = pools;
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
  return { records, dependencies, addDependency };
}
