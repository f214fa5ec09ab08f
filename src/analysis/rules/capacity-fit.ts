/**
 * @module analysis/rules/capacity-fit
 * Rule `capacity-fit`: with every workload at its rate, does each component's offered load fit
 * its declared capacity with the stated headroom (`--headroom`, 20% by default)? A component
 * over its capacity collapses with no fault at all; one inside it but over the headroom has
 * nothing left for a surge, a lost zone or retries. Queues whose publishers send more than their
 * consumers can take grow without end.
 *
 * The offered load is `analysis/offered-load.ts`'s closed form (workload rates × calls × cache
 * misses, queue intake shared by consumer rates). Components without `capacity` are not judged.
 */
import { formatPercent, formatRate } from "../../model/units.js";
import { placementText } from "../context.js";
import { helpUri, type Rule } from "../rule.js";
import type { Finding } from "../types.js";

/** Callers a message names, largest contribution first. */
const CALLERS_NAMED = 3;

export const capacityFitRule: Rule = {
  meta: {
    id: "capacity-fit",
    title: "Normal load does not fit capacity",
    description:
      "With every workload at its rate, a component's offered load (calls, fan-out and cache misses included) exceeds its capacity less the stated headroom, or a queue receives more than its consumers can take.",
    helpUri: helpUri("capacity-fit"),
  },
  run(ctx) {
    const m = ctx.model;
    const headroom = ctx.options.headroom;
    const { load, queues, callRate } = ctx.offered();
    const findings: Finding[] = [];
    const over: number[] = [];
    m.components.forEach((c, i) => {
      if (c.capacity === undefined) return;
      if ((load[i] as number) > c.capacity * (1 - headroom) + 1e-9) over.push(i);
    });
    // What each over-loaded component receives, per source (callers and workloads).
    const sources = new Map<string, { from: string; rate: number }[]>();
    const overIds = new Set(over.map((i) => m.components[i]?.id as string));
    for (const w of m.workloads) {
      if (overIds.has(w.entry)) addSource(sources, w.entry, `workload ${w.id}`, w.rate);
    }
    // NOTE: calls into an over-loaded component found by the callee's node, which the compiler
    // looked up already, rather than by a million lookups of its id.
    const overNode = new Uint8Array(ctx.compiled.graph.nodeCount);
    for (const i of over) overNode[ctx.compiled.componentBase + i] = 1;
    const callee = ctx.compiled.dependencyTo;
    for (let k = 0; k < m.dependencies.length; k++) {
      const to = callee[k] as number;
      if (to < 0 || overNode[to] !== 1) continue;
      const d = m.dependencies[k] as (typeof m.dependencies)[number];
      const rate = callRate[k] as number;
      if (rate > 0) addSource(sources, d.to, d.from, rate);
    }
    m.queues.forEach((q, qi) => {
      for (const consumer of q.consumers) {
        if (!overIds.has(consumer.component)) continue;
        const { inflow, drain } = queues[qi] as { inflow: number; drain: number };
        const share = drain > 0 ? consumer.rate / drain : 0;
        const rate = inflow > drain ? consumer.rate : inflow * share;
        if (rate > 0) addSource(sources, consumer.component, `queue ${q.id}`, rate);
      }
    });

    for (const i of over) {
      const c = m.components[i] as (typeof m.components)[number];
      const capacity = c.capacity as number;
      const offered = load[i] as number;
      const limit = capacity * (1 - headroom);
      const overloaded = offered > capacity;
      const list = (sources.get(c.id) ?? []).sort((a, b) => b.rate - a.rate || cmp(a.from, b.from));
      const named = list.slice(0, CALLERS_NAMED).map((s) => `${s.from} ${formatRate(s.rate)}`);
      if (list.length > CALLERS_NAMED) named.push(`${list.length - CALLERS_NAMED} more`);
      findings.push({
        rule: "capacity-fit",
        key: `capacity-fit:${c.id}`,
        severity: overloaded ? "high" : "medium",
        message: `${c.id} (${c.kind}, ${placementText(c.placement)}) is offered ${formatRate(offered)} with every workload at its rate (${named.join(", ")}): ${formatPercent(offered / capacity, 1)} of its capacity of ${formatRate(capacity)}, ${overloaded ? "so it is overloaded with no fault at all" : `above the ${formatRate(limit)} that leaves ${formatPercent(headroom, 1)} headroom`}`,
        components: [
          c.id,
          ...list.map((s) => s.from).filter((f) => ctx.compiled.component(f) !== undefined),
        ],
        remediation: overloaded
          ? `Raise the capacity of ${c.id} above ${formatRate(offered / (1 - headroom))}, cut what reaches it (cache answers, fewer calls per request), or shed load before it collapses.`
          : `Raise the capacity of ${c.id} to at least ${formatRate(offered / (1 - headroom))} so that a surge, a lost zone or a round of retries still fits, or cut what reaches it.`,
        location: c.loc,
        data: {
          component: c.id,
          offered,
          capacity,
          headroom,
          limit,
          utilisation: offered / capacity,
          sources: list,
        },
      });
    }

    m.queues.forEach((q, qi) => {
      const { inflow, drain } = queues[qi] as { inflow: number; drain: number };
      if (inflow <= drain + 1e-9) return;
      findings.push({
        rule: "capacity-fit",
        key: `capacity-fit:${q.id}`,
        severity: "high",
        message: `queue ${q.id} receives ${formatRate(inflow)} with every workload at its rate but its consumers take at most ${formatRate(drain)}: its backlog grows by ${formatRate(inflow - drain)} until messages expire after its retention`,
        components: [q.id, ...q.consumers.map((c) => c.component)],
        remediation: `Give the consumers of ${q.id} more than ${formatRate(inflow / (1 - headroom))} between them, or publish less.`,
        location: q.loc,
        data: { queue: q.id, inflow, drain },
      });
    });
    return { findings };
  },
};

function addSource(
  sources: Map<string, { from: string; rate: number }[]>,
  to: string,
  from: string,
  rate: number,
): void {
  const list = sources.get(to);
  if (list) list.push({ from, rate });
  else sources.set(to, [{ from, rate }]);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
