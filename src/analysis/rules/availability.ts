/**
 * @module analysis/rules/availability
 * Rule `availability`: the composite availability of each workload from the declared
 * availabilities of its failure units, assumed to fail independently, against its SLO.
 *
 * The workload is up only if every unit of its order-1 cut set is up, so
 *   A = Π a(u) over the order-1 cut set × P(up | all of them up).
 * The second factor involves only the remaining uncertain units in the workload's closure
 * (those behind redundancy). With at most `exactLimit` of them it is computed exactly by
 * enumerating their 2^k states; beyond that it is estimated by Monte Carlo with a seeded
 * generator and reported with a 95% Wilson interval, within a deterministic work budget (see
 * `estimateEntry`). Units without a declared availability count as always up, and the finding
 * says how many there were. Workloads with the same entry share one computation.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { Outputs } from "../../graph/failure-graph.js";
import { outputsWithin } from "../../graph/propagate.js";
import { formatAvailability, formatPercent } from "../../model/units.js";
import type { AuditContext } from "../context.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";

export interface AvailabilityRow {
  readonly workload: string;
  readonly availability: number;
  readonly method: "exact" | "monte-carlo";
  /** 95% interval for Monte Carlo estimates. */
  readonly interval?: readonly [number, number];
  readonly samples?: number;
  readonly slo: number | null;
  /** Units in the workload's closure with no declared availability (counted as always up). */
  readonly undeclared: number;
  /** Units in the workload's closure with a declared availability. */
  readonly declared: number;
  /** Expected downtime per 30 days, in minutes. */
  readonly downtimeMinutesPer30d: number;
}

export const availabilityRule: Rule<AvailabilityRow[]> = {
  readsBlastTable: true,
  meta: {
    id: "availability",
    title: "Composite availability against SLO",
    description:
      "The availability of each workload computed from its failure units' availabilities over its cut-set structure, compared with its SLO.",
    helpUri: helpUri("availability"),
  },
  run(ctx) {
    const rows: AvailabilityRow[] = [];
    const findings: Finding[] = [];
    const unitAvailability = availabilities(ctx);
    const memo = new Map<number, Estimate>();
    const scratch: Scratch = {};
    for (const w of ctx.model.workloads) {
      const entry = ctx.nodeOf(w.entry);
      const row = estimate(ctx, w.id, entry, unitAvailability, w.slo ?? null, memo, scratch);
      rows.push(row);
      if (w.slo === undefined) continue;
      if (row.declared === 0) {
        findings.push({
          rule: "availability",
          key: `availability:${w.id}`,
          severity: "low",
          message: `workload ${w.id}: its SLO of ${formatPercent(w.slo, 4)} cannot be checked, because none of the ${row.undeclared} failure units it depends on declares an availability`,
          components: [w.id, w.entry],
          remediation:
            "Declare availability on the failure domains, DNS records and unreplicated components the workload depends on (the spof findings list them).",
          location: w.loc,
          data: { ...row },
        });
        continue;
      }
      const shown = formatAvailability(row.availability);
      const detail =
        row.method === "exact"
          ? "exact"
          : `Monte Carlo, ${samplesText(row.samples ?? 0, ctx.options.samples)}, 95% interval ${formatAvailability(row.interval?.[0] ?? 0)}–${formatAvailability(row.interval?.[1] ?? 1)}`;
      const caveat =
        row.undeclared > 0
          ? `; ${row.undeclared} unit(s) without a declared availability were counted as always up`
          : "";
      const below =
        row.method === "exact" ? row.availability < w.slo : (row.interval?.[1] ?? 1) < w.slo;
      const unsure = row.method === "monte-carlo" && !below && (row.interval?.[0] ?? 0) < w.slo;
      findings.push({
        rule: "availability",
        key: `availability:${w.id}`,
        severity: below ? "high" : unsure ? "medium" : "info",
        message: `workload ${w.id}: composite availability ${shown} (${detail}) ${below ? "is below" : unsure ? "may be below" : "meets"} its SLO of ${formatPercent(w.slo, 4)} — about ${formatMinutes(row.downtimeMinutesPer30d)} down per 30 days${caveat}`,
        components: [w.id, w.entry],
        remediation:
          below || unsure
            ? "Remove units from the workload's order-1 cut set (see the spof findings) or raise their availability; each one multiplies into the total."
            : "Nothing to do; keep the declared availabilities current.",
        location: w.loc,
        data: { ...row },
      });
    }
    return { findings, table: rows };
  },
};

function availabilities(ctx: AuditContext): Float64Array {
  const g = ctx.compiled.graph;
  const a = new Float64Array(g.nodeCount).fill(Number.NaN);
  const { componentBase, recordBase } = ctx.compiled;
  ctx.model.components.forEach((c, i) => {
    if (c.availability !== undefined) a[componentBase + i] = c.availability;
  });
  ctx.model.records.forEach((r, i) => {
    if (r.availability !== undefined) a[recordBase + i] = r.availability;
  });
  // Domains are the first nodes, in model order.
  ctx.model.domains.forEach((d, i) => {
    if (d.availability !== undefined) a[i] = d.availability;
  });
  return a;
}

/** What a workload's availability depends on only through its entry, computed once per entry. */
interface Estimate {
  readonly availability: number;
  readonly method: "exact" | "monte-carlo";
  readonly interval?: readonly [number, number];
  readonly samples?: number;
  readonly undeclared: number;
  readonly declared: number;
}

function estimate(
  ctx: AuditContext,
  workload: string,
  entry: number,
  avail: Float64Array,
  slo: number | null,
  memo: Map<number, Estimate>,
  scratch: Scratch,
): AvailabilityRow {
  let e = memo.get(entry);
  if (!e) {
    e = estimateEntry(ctx, entry, avail, scratch);
    memo.set(entry, e);
  }
  return {
    workload,
    availability: e.availability,
    method: e.method,
    ...(e.interval ? { interval: e.interval } : {}),
    ...(e.samples !== undefined ? { samples: e.samples } : {}),
    slo,
    undeclared: e.undeclared,
    declared: e.declared,
    downtimeMinutesPer30d: (1 - e.availability) * 30 * 24 * 60,
  };
}

/** Buffers the entries' estimates share. */
interface Scratch {
  inside?: Outputs;
}

function estimateEntry(
  ctx: AuditContext,
  entry: number,
  avail: Float64Array,
  scratch: Scratch,
): Estimate {
  const g = ctx.compiled.graph;
  const [cut] = ctx.singleFailures([entry]);
  const inCut = new Uint8Array(g.nodeCount);
  for (const u of cut ?? []) inCut[u] = 1;
  const closure = ctx.hardClosure(entry, true);
  let series = 1;
  let undeclared = 0;
  let declared = 0;
  const uncertain: number[] = [];
  for (let x = 0; x < g.nodeCount; x++) {
    if (!closure[x] || !g.isUnit[x]) continue;
    const a = avail[x] as number;
    if (Number.isNaN(a)) {
      undeclared++;
      continue;
    }
    declared++;
    if (inCut[x]) series *= a;
    else if (a < 1) uncertain.push(x);
  }
  // No uncertain unit is in the entry's order-1 cut set, so with every cut unit up the entry
  // fails only when at least two uncertain units fail: states with fewer are up without a
  // propagation. The others are propagated inside the entry's closure only, stopping as soon as
  // the entry fails.
  const propagator = ctx.propagator();
  // One set of buffers for every entry's (see outputsWithin).
  const inside =
    uncertain.length >= 2 ? outputsWithin(ctx.compiled.out, closure, scratch.inside) : undefined;
  if (inside) scratch.inside = inside;
  const failed: number[] = [];
  if (uncertain.length <= ctx.options.exactLimit) {
    let conditional = 0;
    const k = uncertain.length;
    for (let state = 0; state < 1 << k; state++) {
      let p = 1;
      failed.length = 0;
      for (let i = 0; i < k; i++) {
        const a = avail[uncertain[i] as number] as number;
        if (state & (1 << i)) {
          p *= 1 - a;
          failed.push(uncertain[i] as number);
        } else p *= a;
      }
      if (p === 0) continue;
      if (failed.length < 2 || !propagator.failsWithin(failed, entry, closure, inside))
        conditional += p;
    }
    return { availability: series * conditional, method: "exact", undeclared, declared };
  }

  // Monte Carlo. Each sample fails each uncertain unit independently with probability 1 − a.
  // Units with the same availability form a group; a group's Bernoulli trials over all samples
  // are one stream (trial s·n + i is unit i in sample s), and the gap to its next failure is
  // drawn directly from the geometric distribution, so the generator is called once per
  // failure instead of once per unit and sample. The samples stop early, deterministically,
  // when the propagations have examined `workBudget` dependents.
  const rng = xoroshiro128plus(hashSeed(ctx.options.seed, ctx.idOf(entry)));
  const groups = groupByAvailability(uncertain, avail);
  const skip = (logMiss: number): number => Math.floor(Math.log(1 - uniformFloat64(rng)) / logMiss);
  const next = groups.map((grp) => skip(grp.logMiss));
  const budget = ctx.options.workBudget;
  let work = 0;
  let up = 0;
  let samples = 0;
  while (samples < ctx.options.samples && work < budget) {
    failed.length = 0;
    for (let gi = 0; gi < groups.length; gi++) {
      const grp = groups[gi] as Group;
      const n = grp.units.length;
      const first = samples * n;
      let t = next[gi] as number;
      while (t < first + n) {
        failed.push(grp.units[t - first] as number);
        t += 1 + skip(grp.logMiss);
      }
      next[gi] = t;
    }
    samples++;
    if (failed.length < 2) up++;
    else {
      if (!propagator.failsWithin(failed, entry, closure, inside)) up++;
      work += propagator.work;
    }
  }
  const [lo, hi] = wilson(up, samples);
  return {
    availability: series * (up / samples),
    method: "monte-carlo",
    interval: [series * lo, series * hi],
    samples,
    undeclared,
    declared,
  };
}

interface Group {
  /** Units with this availability, ascending. */
  readonly units: number[];
  /** log(a): the log of the probability that one trial does not fail. */
  readonly logMiss: number;
}

function groupByAvailability(units: readonly number[], avail: Float64Array): Group[] {
  const byValue = new Map<number, Group>();
  for (const u of units) {
    const a = avail[u] as number;
    let grp = byValue.get(a);
    if (!grp) {
      grp = { units: [], logMiss: Math.log(a) };
      byValue.set(a, grp);
    }
    grp.units.push(u);
  }
  return [...byValue.values()];
}

function samplesText(used: number, requested: number): string {
  return used < requested
    ? `${used} of ${requested} samples (work budget reached)`
    : `${used} samples`;
}

function formatMinutes(m: number): string {
  if (m >= 1) return `${m.toFixed(1)} minutes`;
  return `${(m * 60).toFixed(1)} seconds`;
}

/** 95% Wilson score interval for a binomial proportion. */
export function wilson(successes: number, n: number, z = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** A 32-bit seed from the run's seed and the workload id, so each workload has its own stream. */
function hashSeed(seed: number, key: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h | 0;
}
