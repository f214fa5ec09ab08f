/**
 * Load as flow conservation, checked at every step of runs on random models: what a component
 * is offered is exactly its workloads, its queue intake and, from each caller, the calls that
 * reach it — the load it serves (what it admits, within its capacity, and its whole capacity while
 * work is queued) × calls × the share of attempts that get past the response cache,
 * resolution, credentials, partitions and breakers to this target. Calls that fail before they
 * reach a target offer it nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { workloadRate } from "./loads.js";
import { generatedModelArb } from "./model-fixtures.js";
import { scenarioArb } from "./scenario-fixtures.js";
import type { CompState, EdgeState, Sim } from "./state.js";

const close = (a: number, b: number) =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** What is wrong with the flows of the state now, one line per violation. */
function flowProblems(sim: Readonly<Sim>): string[] {
  const out: string[] = [];
  const { topo } = sim;
  const at = `t=${sim.t}`;
  const inCycle = (i: number) => {
    const k = topo.sccOf[i] as number;
    return (topo.sccStart[k + 1] as number) - (topo.sccStart[k] as number) > 1;
  };
  const admitted = (s: CompState) => {
    if (s.process !== "running") return 0;
    const a = Math.min(s.load, s.throttle) * (1 - s.shed);
    return s.queue > 0 ? s.capacity : Math.min(a, s.capacity);
  };
  // What reaches each component, summed from the callers' flows.
  const reached = sim.comps.map((_, i) => {
    let load = 0;
    for (const w of topo.entryOf[i] as number[])
      load += workloadRate(sim as Sim, (sim.workloads[w] as Sim["workloads"][number]).w, sim.t);
    for (const c of topo.intakeOf[i] as number[]) load += sim.inc.intake[c] as number;
    return load;
  });
  const exact = sim.comps.map((_, i) => !inCycle(i));
  sim.comps.forEach((s, caller) => {
    const edges: EdgeState[] = [...s.hard, ...s.soft];
    for (const e of edges) {
      const name = `${s.c.id}→${(sim.comps[e.to] as CompState).c.id} ${at}`;
      const groups = e.groupShare.length;
      const miss = 1 - e.hits;
      const attempts = e.dep.retry?.attempts ?? 1;
      let reaching = 0;
      for (let g = 0; g < groups; g++) {
        const flow = e.flow[g] as number;
        const share = e.groupShare[g] as number;
        reaching += share;
        // Each call that reaches a target is one attempt there, up to `attempts` with retries.
        if (flow < miss * share - 1e-12 || flow > miss * share * attempts + 1e-12)
          out.push(`${name}: ${flow} attempts reach target ${g} of ${miss} × ${share} calls`);
        if (e.breaker === "open" && flow !== 0)
          out.push(`${name}: an open breaker lets ${flow} through`);
      }
      // Partitions only cut more of what resolved and authenticated.
      if (reaching > e.reachShare + 1e-12 || e.reachShare > 1 + 1e-12)
        out.push(`${name}: ${reaching} reaches targets of ${e.reachShare} resolved`);
      if (e.fallback >= 0 && !close(e.flow[groups] as number, miss * e.fallbackShare))
        out.push(`${name}: fallback gets ${e.flow[groups]}, not ${miss} × ${e.fallbackShare}`);
      const from = admitted(s) * e.dep.calls;
      e.slots.forEach((to, j) => {
        reached[to] = (reached[to] as number) + from * (e.flow[j] as number);
        if (inCycle(caller)) exact[to] = false;
      });
    }
  });
  sim.comps.forEach((s, i) => {
    if (exact[i] && !close(s.load, reached[i] as number))
      out.push(`${s.c.id} ${at}: offered ${s.load}, but ${reached[i]} reaches it`);
  });
  return out;
}

const models = generatedModelArb.chain(({ model }) =>
  scenarioArb(model).map((scenario) => ({ model, scenario })),
);

describe("load as flow conservation", () => {
  it("at every step, a component is offered exactly what reaches it, and calls stopped before a target offer it nothing", () => {
    fc.assert(
      fc.property(models, ({ model, scenario }) => {
        const problems: string[] = [];
        let steps = 0;
        simulate(model, scenario, {
          samples: 121,
          observe: (sim) => {
            steps++;
            if (problems.length < 5) problems.push(...flowProblems(sim));
          },
        });
        expect(steps).toBeGreaterThan(1);
        expect(problems.slice(0, 5)).toEqual([]);
      }),
      { numRuns: 15, seed: 20261206 },
    );
  }, 120_000);
});
