/**
 * @module analysis/offered-load
 * The load every component is offered in normal operation, in closed form, for the rules that
 * compare it with capacity (`capacity-fit`) or multiply it by retries (`retry-amplification`).
 *
 * Load enters at workload entries (each workload at its `rate`) and flows along every call,
 * hard and soft: a caller offered L sends L × `calls` × (1 − cache `hitRatio`) to its callee.
 * A component that publishes to a queue sends one message per request it is offered; the
 * queue's consumers share the arrivals in proportion to their declared rates while they keep up,
 * and each takes its own rate when they do not (as the simulator's queues do). Resolution and
 * credential traffic (`via`, `auth`) is cached by the callers and not counted; fallbacks and
 * failover targets are idle while the primary serves.
 *
 * Under failure (`underFailure`), a callee that fails is called `retry.attempts` times per call,
 * and a hard caller fails with it, so its own callers retry it too: the worst-case load at X
 * while X fails is LF(X) = Σ over calls Y → X of LF-or-L(Y) × calls × attempts × (1 − hit),
 * with LF(Y) where the call is hard (Y fails with X) and L(Y) where it is soft. The product of
 * attempts along the worst chain of calls is kept with it, for the message.
 *
 * Order: callers before callees, from the strongly connected components of the call graph
 * (`graph/scc.ts`). Inside a cycle of calls a member calls with the load it had when the sweep
 * reached it, as the simulator's sweep does: a cycle of calls would otherwise offer infinite load.
 */
import { condense } from "../graph/scc.js";
import type { Dependency, Model } from "../model/types.js";

export interface OfferedLoad {
  /** Normal offered load per component, in `model.components` order (requests per second). */
  readonly load: Float64Array;
  /** Worst-case load per component while it fails and its callers retry. */
  readonly underFailure: Float64Array;
  /** Normal rate each dependency carries, in `model.dependencies` order (0 for a call back into a cycle). */
  readonly callRate: Float64Array;
  /**
   * Largest product of attempts along a chain of calls into the component while it fails: each
   * call retries its failing callee, and a hard caller fails too, so its callers retry it.
   */
  readonly attemptsProduct: Float64Array;
  /** The calls of that chain, entry side first (empty when no call reaches the component). */
  chainOf(component: number): readonly Dependency[];
  /** Messages per second into each queue and what its consumers can take, in `model.queues` order. */
  readonly queues: readonly { readonly inflow: number; readonly drain: number }[];
}

export function offeredLoad(model: Model): OfferedLoad {
  const comps = model.components;
  const n = comps.length;
  const index = new Map<string, number>();
  comps.forEach((c, i) => {
    index.set(c.id, i);
  });
  // Calls into each component, and edges "x depends on y" for the order.
  const incoming: number[][] = comps.map(() => []);
  const adjacency: number[][] = comps.map(() => []);
  model.dependencies.forEach((d, k) => {
    const from = index.get(d.from);
    const to = index.get(d.to);
    if (from === undefined || to === undefined) return;
    (incoming[to] as number[]).push(k);
    (adjacency[from] as number[]).push(to);
  });
  const publishers = new Map<string, number[]>();
  comps.forEach((c, i) => {
    for (const q of c.publishes) {
      const list = publishers.get(q);
      if (list) list.push(i);
      else publishers.set(q, [i]);
    }
  });
  // A consumer's intake depends on its queue's publishers.
  const intakeOf: { queue: number; share: number }[][] = comps.map(() => []);
  model.queues.forEach((q, qi) => {
    const total = q.consumers.reduce((s, c) => s + c.rate, 0);
    for (const consumer of q.consumers) {
      const i = index.get(consumer.component);
      if (i === undefined) continue;
      (intakeOf[i] as { queue: number; share: number }[]).push({
        queue: qi,
        share: total > 0 ? consumer.rate / total : 0,
      });
      for (const p of publishers.get(q.id) ?? []) (adjacency[i] as number[]).push(p);
    }
  });
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++)
    start[i + 1] = (start[i] as number) + (adjacency[i] as number[]).length;
  const { order } = condense(n, start, Int32Array.from(adjacency.flat()));

  const load = new Float64Array(n);
  const underFailure = new Float64Array(n);
  const attemptsProduct = new Float64Array(n).fill(1);
  const worstCall = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  const callRate = new Float64Array(model.dependencies.length);
  const inflow = new Float64Array(model.queues.length);
  const queueDone = new Uint8Array(model.queues.length);
  for (const w of model.workloads) {
    const i = index.get(w.entry);
    if (i !== undefined) load[i] = (load[i] as number) + w.rate;
  }
  const entryLoad = Float64Array.from(load);

  const queueInflow = (qi: number): number => {
    if (!queueDone[qi]) {
      let total = 0;
      for (const p of publishers.get((model.queues[qi] as { id: string }).id) ?? [])
        total += load[p] as number;
      inflow[qi] = total;
      queueDone[qi] = 1;
    }
    return inflow[qi] as number;
  };

  // Callers before callees: `order` lists dependencies first.
  for (let k = order.length - 1; k >= 0; k--) {
    const x = order[k] as number;
    let normal = entryLoad[x] as number;
    let failing = normal;
    for (const { queue, share } of intakeOf[x] as { queue: number; share: number }[]) {
      const q = model.queues[queue] as Model["queues"][number];
      const total = q.consumers.reduce((s, c) => s + c.rate, 0);
      const arriving = queueInflow(queue);
      const intake = arriving > total ? share * total : arriving * share;
      normal += intake;
      failing += intake;
    }
    for (const d of incoming[x] as number[]) {
      const dep = model.dependencies[d] as Dependency;
      const y = index.get(dep.from) as number;
      if (!done[y]) continue; // a call from later in a cycle
      const per = dep.calls * (1 - (dep.cache?.hitRatio ?? 0));
      const attempts = attemptsUnderFailure(dep);
      callRate[d] = (load[y] as number) * per;
      normal += callRate[d] as number;
      const hard = dep.kind === "hard" && dep.fallback === undefined;
      failing += (hard ? (underFailure[y] as number) : (load[y] as number)) * per * attempts;
      // Y fails with X only through a hard call; then Y's own callers retry it too.
      const product = attempts * (hard ? (attemptsProduct[y] as number) : 1);
      if (worstCall[x] === -1 || product > (attemptsProduct[x] as number)) {
        attemptsProduct[x] = product;
        worstCall[x] = d;
      }
    }
    load[x] = normal;
    underFailure[x] = failing;
    done[x] = 1;
  }

  const queues = model.queues.map((q, qi) => ({
    inflow: queueInflow(qi),
    drain: q.consumers.reduce((s, c) => s + c.rate, 0),
  }));

  const chainOf = (component: number): Dependency[] => {
    const chain: Dependency[] = [];
    const seen = new Set<number>();
    let d = worstCall[component] as number;
    while (d >= 0 && !seen.has(d)) {
      seen.add(d);
      const dep = model.dependencies[d] as Dependency;
      chain.push(dep);
      const hard = dep.kind === "hard" && dep.fallback === undefined;
      if (!hard) break;
      d = worstCall[index.get(dep.from) as number] as number;
    }
    return chain.reverse();
  };

  return { load, underFailure, callRate, attemptsProduct, chainOf, queues };
}

/**
 * Attempts per call while the callee fails: `retry.attempts`, or with a retry budget (retries as
 * a share of first attempts) one first attempt plus at most the budget.
 */
export function attemptsUnderFailure(dep: Dependency): number {
  const attempts = dep.retry?.attempts ?? 1;
  const budget = dep.retry?.budget;
  return budget === undefined ? attempts : 1 + Math.min(attempts - 1, budget);
}
