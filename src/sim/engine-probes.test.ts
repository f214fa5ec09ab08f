/**
 * Health checks that go through something (`probe: true` on a checker's hard dependency). A
 * service is announced only while its checker finds it healthy, and the checker's checks go
 * through a network link: when the link fails, every check fails while the checker runs, so
 * once detected (interval × threshold = 3 × 10 s) its failover withdraws all of the service,
 * though the service itself runs. The same dependency without `probe` makes the checker itself
 * down when the link fails: it stops checking and the service keeps its state (fail static).
 * Hand computation: link down at 600 s → withdrawn at 630 s; link back at 1800 s → announced
 * again at 1800 s (the checks pass at once), up from then.
 */
import { describe, expect, it } from "vitest";
import { DOMAINS, parseTexts } from "../../test/helpers/memory.js";
import { causeText } from "../reports/causes.js";
import { simulate } from "./engine.js";
import { at, changes } from "./engine-fixtures.js";
import { modelOf, scenarioOf } from "./fixtures.js";

const model = (dep: string) =>
  modelOf(`
components:
  link: { kind: other, placement: { zones: [r1-a] } }
  svc:
    kind: dns
    placement: { zones: [r1-a, r1-b] }
    healthCheck: { interval: 10s, threshold: 3 }
  hc:
    kind: health-check
    placement: { zones: [r1-a, r1-b] }
    observes: [svc]
    needs: { link: ${dep} }
workloads:
  lookups: { entry: svc, rate: 100 rps }
`);

const run = (dep: string) =>
  simulate(
    model(dep),
    scenarioOf({
      duration: 3600,
      faults: [{ id: "cut", kind: "down", target: "link", at: 600, end: { at: 1800 } }],
    }),
    { samples: 361 },
  );

describe("health checks through a probe", () => {
  it("withdraw the running service once every check fails, and announce it again when they pass", () => {
    const j = run("{ probe: true }");
    expect(changes(j, "svc")).toEqual([
      { t: 630, to: "down", mechanism: "health-check" },
      { t: 1800, to: "up", mechanism: "recovered" },
    ]);
    expect(at(j, j.series.success, "svc", 1200)).toBe(0);
    const entry = j.timeline.find((e) => e.subject === "svc" && e.to === "down");
    expect(entry && causeText(entry.cause)).toBe(
      "hc's checks go through link, which fails: 100% of its checks fail although svc runs, and its automatic failover takes svc's healthy capacity out of service",
    );
  });

  it("without probe the checker is down when the link fails and the service fails static", () => {
    const j = run("{}");
    expect(changes(j, "hc")[0]).toMatchObject({ t: 600, to: "down" });
    expect(changes(j, "svc")).toEqual([]);
  });

  it("a velocity limit keeps part of it announced", () => {
    const j = simulate(
      modelOf(`
components:
  link: { kind: other, placement: { zones: [r1-a] } }
  svc:
    kind: dns
    placement: { zones: [r1-a, r1-b] }
    healthCheck: { interval: 10s, threshold: 3, maxRemoved: 75% }
  hc:
    kind: health-check
    placement: { zones: [r1-a, r1-b] }
    observes: [svc]
    needs: { link: { probe: true } }
workloads:
  lookups: { entry: svc, rate: 100 rps }
`),
      scenarioOf({
        duration: 3600,
        faults: [{ id: "cut", kind: "down", target: "link", at: 600, end: { at: 1800 } }],
      }),
      { samples: 361 },
    );
    expect(at(j, j.series.success, "svc", 1200)).toBeCloseTo(0.25, 12);
  });

  it("is refused outside a health checker's needs", () => {
    const r = parseTexts({
      "m.yaml": `name: m
${DOMAINS}
components:
  link: { kind: other, placement: { zones: [r1-a] } }
  api: { kind: api, placement: { zones: [r1-a] }, needs: { link: { probe: true } } }
`,
    });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).toContain("probe belongs to a hard dependency");
  });
});
