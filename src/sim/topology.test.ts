/** The evaluation order the engine builds from a model (topology.ts). */
import { describe, expect, it } from "vitest";
import { createSim } from "./build.js";
import { modelOf, scenarioOf } from "./fixtures.js";

describe("evaluation order", () => {
  it("puts the checkers that fail a component's capacity out before it, since it reads their success", () => {
    const model = modelOf(`
components:
  lb:
    kind: load-balancer
    placement: { zones: [r1-a, r1-b] }
    healthCheck: { interval: 10s, threshold: 3, autoFailover: true }
  db: { kind: database, placement: { zones: [r1-a, r1-b] } }
  lb-checker: { kind: health-check, placement: { zones: [r1-a, r1-b] }, needs: [db], observes: [lb] }
`);
    const sim = createSim(model, scenarioOf({ duration: 60 }), { samples: 2, exhaustive: false });
    const position = (id: string) =>
      sim.topo.position[sim.comps.findIndex((c) => c.c.id === id)] as number;
    expect(position("lb-checker")).toBeGreaterThan(position("db"));
    expect(position("lb")).toBeGreaterThan(position("lb-checker"));
  });
});
