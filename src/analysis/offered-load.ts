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
  /** The same chain as indices into `model.dependencies`. */
  chainIndicesOf(component: number): number[];
  /** The component index of each dependency's caller, −1 for one that is no component. */
  readonly callerOf: Int32Array;
  /**
   * `attemptsUnderFailure` of each dependency between two components, in `model.dependencies`
   * order (0 for the others, which carry no load).
   */
  readonly attemptsOf: Float64Array;
  /** Messages per second into each queue and what its consumers can take, in `model.queues` order. */
  readonly queues: readonly { readonly inflow: number; readonly drain: number }[];
}

export function offeredLoad(
  model: Model,
  /** Index of a component in `model.components` by id (a map is built when not given). */
  indexOf?: (id: string) => number | undefined,
  /**
   * The component index of each dependency's caller and callee, in `model.dependencies` order
   * (−1 for one that is no component), when the caller has them: then no dependency's ids are
   * looked up.
   */
  ends?: { readonly from: Int32Array; readonly to: Int32Array },
): OfferedLoad {
  const comps = model.components;
  const n = comps.length;
  if (!indexOf) {
    const index = new Map<string, number>();
    comps.forEach((c, i) => {
      index.set(c.id, i);
    });
    indexOf = (id) => index.get(id);
  }
  // NOTE: typed arrays in CSR form rather than an array per component: at 100k components and
  // a million calls, the per-component arrays were most of this module's time.
  const deps = model.dependencies;
  const m = deps.length;
  const { from: depFrom, to: depTo } = ends ?? dependencyEnds(deps, indexOf);
  const publishers = new Map<string, number[]>();
  comps.forEach((c, i) => {
    for (const q of c.publishes) {
      const list = publishers.get(q);
      if (list) list.push(i);
      else publishers.set(q, [i]);
    }
  });
  // A consumer's intake depends on its queue's publishers: an edge consumer → publisher.
  const intakeOf = new Map<number, { queue: number; share: number }[]>();
  const queueEdges: [number, number][] = [];
  model.queues.forEach((q, qi) => {
    const total = q.consumers.reduce((sum, c) => sum + c.rate, 0);
    for (const consumer of q.consumers) {
      const i = indexOf(consumer.component);
      if (i === undefined) continue;
      const list = intakeOf.get(i) ?? [];
      list.push({ queue: qi, share: total > 0 ? consumer.rate / total : 0 });
      intakeOf.set(i, list);
      for (const p of publishers.get(q.id) ?? []) queueEdges.push([i, p]);
    }
  });
  // Calls into each component (CSR over dependency indices), and "x depends on y" for the order.
  const inStart = new Int32Array(n + 1);
  const start = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    const from = depFrom[k] as number;
    const to = depTo[k] as number;
    if (from < 0 || to < 0) continue;
    inStart[to + 1] = (inStart[to + 1] as number) + 1;
    start[from + 1] = (start[from + 1] as number) + 1;
  }
  for (const [from] of queueEdges) start[from + 1] = (start[from + 1] as number) + 1;
  for (let i = 0; i < n; i++) {
    inStart[i + 1] = (inStart[i + 1] as number) + (inStart[i] as number);
    start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  }
  // NOTE: what the sweep needs of each call is read here, in dependency order, and stored in
  // the order the sweep visits calls (by callee): reading a million dependency objects in that
  // order missed the cache on nearly every one.
  const calls = inStart[n] as number;
  const incoming = new Int32Array(calls);
  const perCall = new Float64Array(calls);
  const callAttempts = new Float64Array(calls);
  const hardCall = new Uint8Array(calls);
  // The same by dependency, for the chains of calls.
  const attemptsOf = new Float64Array(m);
  const hardDependency = new Uint8Array(m);
  const adjacency = new Int32Array(start[n] as number);
  const inFill = inStart.slice(0, n);
  const fill = start.slice(0, n);
  for (let k = 0; k < m; k++) {
    const from = depFrom[k] as number;
    const to = depTo[k] as number;
    if (from < 0 || to < 0) continue;
    const at = inFill[to] as number;
    incoming[at] = k;
    const dep = deps[k] as Dependency;
    perCall[at] = dep.calls * (1 - (dep.cache?.hitRatio ?? 0));
    attemptsOf[k] = attemptsUnderFailure(dep);
    callAttempts[at] = attemptsOf[k] as number;
    hardDependency[k] = dep.kind === "hard" && dep.fallback === undefined ? 1 : 0;
    hardCall[at] = hardDependency[k] as number;
    inFill[to] = at + 1;
    const out = fill[from] as number;
    adjacency[out] = to;
    fill[from] = out + 1;
  }
  for (const [from, to] of queueEdges) {
    const out = fill[from] as number;
    adjacency[out] = to;
    fill[from] = out + 1;
  }
  const { order } = condense(n, start, adjacency);

  const load = new Float64Array(n);
  const underFailure = new Float64Array(n);
  const attemptsProduct = new Float64Array(n).fill(1);
  const worstCall = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  const callRate = new Float64Array(model.dependencies.length);
  const inflow = new Float64Array(model.queues.length);
  const queueDone = new Uint8Array(model.queues.length);
  for (const w of model.workloads) {
    const i = indexOf(w.entry);
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
    for (const { queue, share } of intakeOf.get(x) ?? []) {
      const q = model.queues[queue] as Model["queues"][number];
      const total = q.consumers.reduce((s, c) => s + c.rate, 0);
      const arriving = queueInflow(queue);
      const intake = arriving > total ? share * total : arriving * share;
      normal += intake;
      failing += intake;
    }
    for (let j = inStart[x] as number; j < (inStart[x + 1] as number); j++) {
      const d = incoming[j] as number;
      const y = depFrom[d] as number;
      if (!done[y]) continue; // a call from later in a cycle
      const per = perCall[j] as number;
      const attempts = callAttempts[j] as number;
      callRate[d] = (load[y] as number) * per;
      normal += callRate[d] as number;
      const hard = hardCall[j] === 1;
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

  // NOTE: a call already on the chain is told by a stamp per call rather than a set per chain,
  // and a hard call by a byte per call rather than its dependency object: retry-amplification
  // asks for the chains of most components (82k at 100k components).
  const onChain = new Int32Array(m);
  let stamp = 0;
  const chainIndicesOf = (component: number): number[] => {
    const chain: number[] = [];
    stamp++;
    let d = worstCall[component] as number;
    while (d >= 0 && onChain[d] !== stamp) {
      onChain[d] = stamp;
      chain.push(d);
      if (hardDependency[d] !== 1) break;
      d = worstCall[depFrom[d] as number] as number;
    }
    return chain.reverse();
  };
  const chainOf = (component: number): Dependency[] =>
    chainIndicesOf(component).map((d) => model.dependencies[d] as Dependency);

  return {
    load,
    underFailure,
    callRate,
    attemptsProduct,
    chainOf,
    chainIndicesOf,
    callerOf: depFrom,
    attemptsOf,
    queues,
  };
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

/** The component index of each dependency's caller and callee, −1 for one that is no component. */
function dependencyEnds(
  deps: readonly Dependency[],
  indexOf: (id: string) => number | undefined,
): { from: Int32Array; to: Int32Array } {
  const from = new Int32Array(deps.length);
  const to = new Int32Array(deps.length);
  // Dependencies are sorted by caller: look each caller up once per run of its calls.
  let lastFrom = "";
  let lastFromIndex = -1;
  for (let k = 0; k < deps.length; k++) {
    const d = deps[k] as Dependency;
    if (d.from !== lastFrom) {
      lastFrom = d.from;
      lastFromIndex = indexOf(d.from) ?? -1;
    }
    from[k] = lastFromIndex;
    to[k] = indexOf(d.to) ?? -1;
  }
  return { from, to };
}
