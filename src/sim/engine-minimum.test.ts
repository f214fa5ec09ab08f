/**
 * A component's least share of capacity (`recovery.minimum`): a capacity loss that leaves less
 * stops its process; it restarts in full (`recovery.restart`, then its cold start) once the
 * losses leave at least that share again. Times by hand below.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const model = `
components:
  index: { kind: kv-store, placement: { region: r1 }, capacity: 1000 rps, recovery: { restart: 20m, minimum: 60% } }
  api: { kind: api, placement: { region: r1 }, needs: [index] }
workloads:
  reads: { entry: api, rate: 100 rps }
`;

const run = (losses: readonly number[], end = 1800) =>
  simulate(
    modelOf(model),
    scenarioOf({
      duration: 7200,
      faults: losses.map((fraction, k) => ({
        id: `removed-${k}`,
        kind: "capacity-loss" as const,
        target: "index",
        fraction,
        at: 600,
        end: { at: end },
      })),
    }),
  );

describe("a minimum share of capacity", () => {
  it("a loss that leaves less than the minimum stops the process until the loss ends, then a full restart", () => {
    const j = run([0.5]);
    // 50% left < 60%: down at 10:00; the loss ends at 30:00, restart 20 min: up at 50:00.
    expect(changes(j, "index")).toEqual([
      { t: 600, to: "down", mechanism: "fault" },
      { t: 1800, to: "recovering", mechanism: "restart" },
      { t: 3000, to: "up", mechanism: "recovered" },
    ]);
    const index = j.components.find((c) => c.id === "index");
    expect(index?.recoveredAt).toBe(3000);
    // The caller fails with it for the 40 min it is not running: 100 rps × 2400 s of 7200 s.
    const reads = j.workloads.find((w) => w.id === "reads");
    expect(reads?.failed).toBeCloseTo(240_000, 3);
    const stop = j.timeline.find((e) => e.subject === "index" && e.to === "down");
    expect(stop?.cause.detail).toMatchObject({ what: "below-minimum", minimum: 0.6 });
    expect(stop?.cause.from).toBe("removed-0");
  });

  it("a loss that leaves exactly the minimum does not stop it (the lesson's guard)", () => {
    const j = run([0.4]);
    // 600 rps left, 100 rps offered: no impact at all.
    expect(changes(j, "index")).toEqual([]);
    expect(j.components.find((c) => c.id === "index")?.recoveredAt).toBeNull();
  });

  it("losses combine as independent shares before the minimum is compared", () => {
    // Two 25% losses leave 56.25% < 60%: stopped, like one loss of 43.75%.
    const j = run([0.25, 0.25]);
    expect(changes(j, "index")[0]).toEqual({ t: 600, to: "down", mechanism: "fault" });
    expect(j.components.find((c) => c.id === "index")?.recoveredAt).toBe(3000);
  });
});
