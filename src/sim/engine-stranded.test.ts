/**
 * A bad version that strands the hosts it fails (`repair` on a `bad-config`), against hand
 * computations: host h of a reader refreshing every 5 min takes a version published at
 * T = 600 s at c_h = T + (h + ½) × 3 s and fails; it cannot fetch again, so it stays down
 * until it is repaired by hand, d_h = −repair × ln(1 − (i + ½)/100) after it failed, with
 * i = 63 h mod 100 (the (i + ½)/100 quantiles of an exponential with mean `repair`, each taken
 * once, in an order that spreads consecutive hosts), and its repair is a fetch.
 */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../scenario/load.js";
import { simulate } from "./engine.js";
import { modelOf } from "./fixtures.js";
import type { Journal } from "./types.js";

const MODEL = `
components:
  config:
    kind: automation
    placement: { region: r1 }
    serves:
      flags: { kind: configuration }
  web:
    kind: web
    placement: { zones: [r1-a, r1-b] }
    reads:
      flags: { refresh: 5m }
workloads:
  users: { entry: web, rate: 100 rps }
`;

function run(body: string): Journal {
  const model = modelOf(MODEL);
  const r = parseScenario("scenario.yaml", `name: s\n${body}`, model);
  if (!r.ok)
    throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n"));
  return simulate(model, r.scenario, { samples: 61 });
}

function problems(body: string): string {
  const model = modelOf(MODEL);
  const r = parseScenario("scenario.yaml", `name: s\n${body}`, model);
  return r.ok ? "" : r.diagnostics.map((d) => d.message).join("\n");
}

const served = (j: Journal) => j.workloads.find((w) => w.id === "users")?.served ?? Number.NaN;
const web = (j: Journal) => j.components.find((c) => c.id === "web");

const failsAt = (h: number) => 600 + (h + 0.5) * 3;
const repairIn = (h: number, tau = 3600) => -tau * Math.log(1 - (((63 * h) % 100) + 0.5) / 100);
/**
 * When host h is back for good: repaired d_h after it failed, and again d_h later as long as a
 * repair comes before the version is withdrawn at `gone` (it takes it again and fails).
 */
const backAt = (h: number, gone: number, tau = 3600) => {
  let back = failsAt(h) + repairIn(h, tau);
  while (back < gone) back += repairIn(h, tau);
  return back;
};
/** The k-th time (from 0) at which a host comes back, of hosts back at `back(h)`. */
const kth = (back: (h: number) => number, k: number) =>
  Array.from({ length: 100 }, (_, h) => back(h)).sort((a, b) => a - b)[k] as number;

describe("a version that strands the hosts it fails", () => {
  it("withdrawing it brings none back: each is repaired by hand, exponentially spread", () => {
    const j = run(`
duration: 6d
faults:
  bad: { kind: bad-config, target: flags, at: 10m, repair: 1d }
actions:
  back: { do: rollback-config, target: flags, at: 15m }
`);
    // Every host fails between 601.5 s and 898.5 s; the rollback at 900 s reaches none of
    // them, and none is repaired before it (d_0 = 432 s). Host h is down for d_h, all
    // repaired by 6 d (d_99 = 5.3 d): the requests lost are 100 rps × Σ d_h / 100.
    let lost = 0;
    for (let h = 0; h < 100; h++) lost += repairIn(h, 86400);
    expect(served(j)).toBeCloseTo(100 * 6 * 86400 - lost, 2);
    // Up (99% served) once 99 hosts are repaired: the second-longest repair, quantile 98 of
    // host 46 (63 × 46 mod 100), 1 d × ln(1/0.015) after it failed at 738 s.
    const up = kth((h) => backAt(h, 900, 86400), 98);
    expect(web(j)?.recoveredAt).toBeCloseTo(up, 3);
    expect(up).toBeCloseTo(failsAt(46) + 86400 * Math.log(1 / 0.015), 6);
  });

  it("the share still down a time s after the failure is e^(−s/repair), in stairs of 1%", () => {
    const j = run(
      "duration: 12h\nfaults:\n  bad: { kind: bad-config, target: flags, at: 10m, repair: 1h, until: 20m }\n",
    );
    // Out of down (half served) once 50 hosts are back: the hosts with the median repairs
    // (quantiles 48 and 49, ln(1/0.505) ≈ ln 2 mean repair times) are back within the 5 min
    // the failures were spread over, after the version was withdrawn at 1200 s, so they do
    // not take it again.
    const degraded = j.timeline.find(
      (e) => e.subject === "web" && e.to === "degraded" && e.t > 1200,
    );
    const half = kth((h) => backAt(h, 1200), 49);
    expect(degraded?.t).toBeCloseTo(half, 3);
    expect(Math.abs(half - (750 + 3600 * Math.log(2)))).toBeLessThan(150);
  });

  it("a host repaired while the version is still in force takes it again and fails again", () => {
    const j = run(`
duration: 12h
faults:
  bad: { kind: bad-config, target: flags, at: 10m, repair: 1h, until: 1h }
`);
    // Host h is repaired at c_h + m × d_h, the first such time at or after the version is
    // withdrawn (3600 s): every earlier repair fetches it and fails again at once.
    let lost = 0;
    for (let h = 0; h < 100; h++) lost += backAt(h, 3600) - failsAt(h);
    expect(served(j)).toBeCloseTo(100 * 43200 - lost, 3);
    expect(web(j)?.finalState).toBe("up");
  });

  it("without a repair time the hosts come back at their next fetch, as before", () => {
    const j = run(
      "duration: 1h\nfaults:\n  bad: { kind: bad-config, target: flags, at: 10m, until: 20m }\n",
    );
    // Bad over 600–900 s (half the interval's worth lost), all down to 1200 s, good again
    // over 1200–1500 s (half again): 600 s' worth lost.
    expect(served(j)).toBeCloseTo(100 * (3600 - 600), 6);
  });

  it("a loader error for a repair time on a version that does not fail its hosts", () => {
    expect(
      problems(
        "duration: 1h\nfaults:\n  bad: { kind: bad-config, target: flags, effect: error-rate, rate: 5%, repair: 1h }\n",
      ),
    ).toMatch(/'repair' goes with effect: down/);
    expect(
      problems("duration: 1h\nfaults:\n  bad: { kind: bad-config, target: flags, repair: 0s }\n"),
    ).toMatch(/repair a host by hand must be above 0/);
  });
});
