/**
 * `recovery.coldStart: after-dependencies`: a restart that needs its hard dependencies (it reads
 * its state from them) waits for them first and then takes its whole `restart`, where the
 * default restarts at once and then waits. Times by hand below.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const run = (coldStart: string, restart: string) =>
  simulate(
    modelOf(`
components:
  db: { kind: database, placement: { region: r1 }, recovery: { restart: 10m } }
  api: { kind: api, placement: { region: r1 }, needs: [db], recovery: { restart: ${restart}, coldStart: ${coldStart} } }
workloads:
  orders: { entry: api, rate: 10 rps }
`),
    scenarioOf({
      duration: 3600,
      faults: [{ id: "r1-down", kind: "down", target: "r1", at: 0, end: { at: 600 } }],
    }),
  );

const recovered = (j: ReturnType<typeof simulate>, id: string) =>
  j.components.find((c) => c.id === id)?.recoveredAt;

describe("the order of a restart and its dependencies", () => {
  it("by default a restart runs at once and then waits for the dependencies", () => {
    // The region is back at 10:00; api's 2 min restart is done at 12:00, db is up at 20:00.
    const j = run("needs-dependencies", "2m");
    expect(recovered(j, "db")).toBe(1200);
    expect(recovered(j, "api")).toBe(1200);
  });

  it("after-dependencies waits for them, then restarts in full", () => {
    // db is up at 20:00; api's 2 min restart begins then: up at 22:00.
    const j = run("after-dependencies", "2m");
    expect(recovered(j, "db")).toBe(1200);
    expect(recovered(j, "api")).toBe(1320);
    const api = j.timeline.filter((e) => e.subject === "api");
    const restarting = api.find(
      (e) => e.cause.detail && "what" in e.cause.detail && e.cause.detail.what === "restarting",
    );
    expect(restarting?.t).toBe(1200);
    expect(changes(j, "api").map((c) => c.to)).toEqual(["down", "recovering", "up"]);
    // The orders fail from 0 to 22:00: 10 rps × 1320 s.
    expect(j.workloads.find((w) => w.id === "orders")?.failed).toBeCloseTo(13_200, 6);
  });

  it("after-dependencies with no restart time starts when they are up", () => {
    const j = run("after-dependencies", "0s");
    expect(recovered(j, "api")).toBe(1200);
  });
});
