/**
 * A sharded component (`shards:` in the model): each placement domain holds a share of its
 * state, so losing one loses that share of its requests — retried or not — and the rest are
 * served; it is down only when every shard is.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const MODEL = (shards: string) =>
  modelOf(`
components:
  api:
    kind: api
    placement: { regions: [r1, r2] }
    needs:
      store: { timeout: 1s, retry: { attempts: 3 } }
  store:
    kind: database
    placement: { regions: [r1, r2] }
${shards}
workloads:
  users: { entry: api, rate: 100 rps }
`);

describe("a sharded component", () => {
  it("loses the requests of a lost shard, retries or not, and serves the others", () => {
    const j = simulate(
      MODEL("    shards: { by: region }"),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "r2-down", kind: "down", target: "r2", at: 600, end: { at: 1200 } }],
      }),
      { samples: 61 },
    );
    // Half the keys live in r2: half of the requests fail for 600 s, retries do not help.
    expect(j.workloads[0]?.served).toBeCloseTo(100 * (3600 - 0.5 * 600), 6);
    // 50% served is degraded, not down (down is below 50%).
    expect(changes(j, "store").map((c) => [c.t, c.to])).toEqual([
      [600, "degraded"],
      [1200, "up"],
    ]);
    const cause = j.timeline.find((e) => e.subject === "store")?.cause.detail;
    expect(cause).toMatchObject({ what: "shards-lost", domain: "r2", up: 1, of: 2 });
  });

  it("its surviving shards keep their own load and capacity: losing one does not overload the rest", () => {
    const j = simulate(
      modelOf(`
components:
  api: { kind: api, placement: { regions: [r1, r2] }, needs: { store: { timeout: 1s } } }
  store:
    kind: database
    placement: { regions: [r1, r2] }
    shards: { by: region }
    capacity: 1k rps
workloads:
  users: { entry: api, rate: 600 rps }
`),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "r2-down", kind: "down", target: "r2", at: 600, end: { at: 1200 } }],
      }),
      { samples: 61 },
    );
    // 300 rps go to the lost shard and fail; the other 300 fit its 500 rps.
    expect(j.workloads[0]?.served).toBeCloseTo(600 * (3600 - 0.5 * 600), 6);
  });

  it("unsharded, the same placement survives the region (its state is everywhere)", () => {
    const j = simulate(
      MODEL(""),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "r2-down", kind: "down", target: "r2", at: 600, end: { at: 1200 } }],
      }),
      { samples: 61 },
    );
    expect(j.workloads[0]?.served).toBeCloseTo(100 * 3600, 6);
  });
});
