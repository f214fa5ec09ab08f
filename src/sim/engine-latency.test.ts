/**
 * The latency peak a component reports (and a scenario can bound): its own time, plus its
 * slowest hard dependency, plus its queue's wait — the highest over the requests it served.
 */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../scenario/load.js";
import { simulate } from "./engine.js";
import { modelOf } from "./fixtures.js";

const MODEL = modelOf(`
components:
  api:
    kind: api
    placement: { zones: [r1-a] }
    latency: 50ms
    needs:
      db: { timeout: 1s }
      cache: { timeout: 1s }
  db: { kind: database, placement: { zones: [r1-a] }, latency: 20ms }
  cache: { kind: cache, placement: { zones: [r1-a] }, latency: 5ms }
workloads:
  users: { entry: api, rate: 10 rps }
`);

describe("the latency peak", () => {
  it("is the component's own time plus its slowest dependency, at its worst", () => {
    const r = parseScenario(
      "s.yaml",
      `name: s
duration: 1h
faults:
  slow-db: { kind: latency, target: db, latency: 200ms, at: 10m, until: 20m }
expect:
  - peakLatency: { component: api, atLeast: 260ms, atMost: 280ms }
  - peakLatency: { component: cache, atMost: 5ms }
`,
      MODEL,
    );
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
    const j = simulate(MODEL, r.scenario);
    // 50 ms + max(20 ms + 200 ms, 5 ms) while the fault lasts.
    expect(j.components.find((c) => c.id === "api")?.peakLatency).toBeCloseTo(0.27, 9);
    expect(j.expectations.map((v) => [v.ok, v.actual])).toEqual([
      [true, "270ms"],
      [true, "5ms"],
    ]);
  });
});
