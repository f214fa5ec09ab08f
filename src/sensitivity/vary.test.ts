import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { modelFileSchema } from "../model/schema.js";
import { scenarioFileSchema } from "../scenario/schema.js";
import { numberRuleAt } from "./number-rule.js";
import { scaleWritten } from "./quantity.js";
import { varyText, writtenNumber } from "./vary.js";

const FREE = { integer: false, percent: false };
const scaled = (value: string | number, factor: number, rule = FREE) => {
  const r = scaleWritten(value, factor, rule);
  if ("problem" in r) throw new Error(r.problem);
  return r;
};

describe("a number scaled in the form it was written", () => {
  it("keeps a rate's multiplier and unit", () => {
    expect(scaled("115 rps", 0.5).written).toBe("57.5 rps");
    expect(scaled("40k rps", 1.5).written).toBe("60k rps");
    expect(scaled("12k rpm", 0.5).written).toBe("6k rpm");
    expect(scaled("300/min", 1.5).written).toBe("450/min");
    expect(scaled("1.5M rps", 0.5)).toEqual({
      form: "rate",
      written: "0.75M rps",
      adjustments: [],
    });
  });

  it("keeps a duration in the units it was written in", () => {
    expect(scaled("30m", 1.5).written).toBe("45m");
    expect(scaled("30m", 0.5).written).toBe("15m");
    expect(scaled("2h37m", 1.5).written).toBe("3h55.5m");
    expect(scaled("2h37m", 0.5).written).toBe("1h18.5m");
    expect(scaled("1h30m", 0.5).written).toBe("45m");
    expect(scaled("1h30m", 2).written).toBe("3h");
    expect(scaled("250ms", 1.5).written).toBe("375ms");
    expect(scaled("1m", 0.5).written).toBe("0.5m");
    expect(scaled("1.5h", 1.5).written).toBe("2.25h");
    expect(scaled("4d", 0.5)).toEqual({ form: "duration", written: "2d", adjustments: [] });
  });

  it("keeps a count's multiplier and a size's unit", () => {
    expect(scaled("500k", 0.5)).toEqual({ form: "count", written: "250k", adjustments: [] });
    expect(scaled("500k", 1.5).written).toBe("750k");
    expect(scaled("2M", 1.5).written).toBe("3M");
    expect(scaled("4MiB", 1.5)).toEqual({ form: "size", written: "6MiB", adjustments: [] });
  });

  it("keeps a percentage at most 100%, and says it clamped", () => {
    expect(scaled("5%", 1.5)).toEqual({ form: "percentage", written: "7.5%", adjustments: [] });
    expect(scaled("99.9%", 0.5).written).toBe("49.95%");
    expect(scaled("99.9%", 1.5)).toEqual({
      form: "percentage",
      written: "100%",
      adjustments: [{ kind: "clamped", exact: 149.85000000000002, to: 100 }],
    });
    // Written as a fraction, where the schema reads a percentage.
    const percent = { integer: false, percent: true, min: 0, max: 1 };
    expect(scaled(0.999, 1.5, percent)).toEqual({
      form: "number",
      written: "1",
      adjustments: [{ kind: "clamped", exact: 1.4985, to: 1 }],
    });
    expect(scaled(0.999, 0.5, percent).written).toBe("0.4995");
  });

  it("rounds where the schema takes whole numbers, within its bounds, and says so", () => {
    const attempts = { integer: true, percent: false, min: 1, max: 100 };
    expect(scaled(3, 1.5, attempts)).toEqual({
      form: "number",
      written: "5",
      adjustments: [{ kind: "rounded", exact: 4.5, to: 5 }],
    });
    expect(scaled(3, 0.5, attempts)).toEqual({
      form: "number",
      written: "2",
      adjustments: [{ kind: "rounded", exact: 1.5, to: 2 }],
    });
    expect(scaled(1, 0.5, attempts)).toEqual({
      form: "number",
      written: "1",
      adjustments: [{ kind: "rounded", exact: 0.5, to: 1 }],
    });
    expect(scaled(80, 1.5, attempts).adjustments).toEqual([
      { kind: "clamped", exact: 120, to: 100 },
    ]);
    // Fractions where fractions are accepted (calls per request).
    expect(scaled(0.0001, 1.5).written).toBe("0.00015");
  });

  it("refuses what it cannot read as a quantity", () => {
    expect(scaleWritten("fast", 1.5, FREE)).toEqual({
      problem:
        "'fast' is not a number, duration, rate, count, size or percentage this command can vary",
    });
  });
});

describe("what a file's schema demands at a path", () => {
  const MODEL = {
    name: "x",
    components: {
      api: {
        kind: "api",
        placement: "global",
        availability: 0.999,
        needs: { db: { retry: { attempts: 3 }, calls: 2 } },
      },
    },
    queues: { q: { consumers: { w: { rate: "5 rps", concurrency: 4 } }, maxReceives: 5 } },
    workloads: { w: { entry: "api", rate: "1 rps", tier: 1 } },
  };
  const rule = (path: (string | number)[]) => numberRuleAt(modelFileSchema, MODEL, path);

  it("knows whole numbers, bounds and percentages of a model", () => {
    expect(rule(["components", "api", "needs", "db", "retry", "attempts"])).toEqual({
      integer: true,
      percent: false,
      min: 1,
      max: 100,
    });
    expect(rule(["components", "api", "availability"])).toEqual({
      integer: false,
      percent: true,
      min: 0,
      max: 1,
    });
    expect(rule(["components", "api", "needs", "db", "calls"])).toEqual({
      integer: false,
      percent: false,
      min: 0,
      max: 1000,
    });
    expect(rule(["workloads", "w", "tier"])).toMatchObject({ integer: true, min: 1, max: 4 });
    expect(rule(["queues", "q", "maxReceives"])).toMatchObject({ integer: true });
    expect(rule(["queues", "q", "consumers", "w", "rate"])).toEqual({
      integer: false,
      percent: false,
    });
  });

  it("follows the kind a scenario's fault names", () => {
    const scenario = {
      faults: {
        e: { kind: "error-rate", target: "api", rate: 0.3 },
        s: { kind: "surge", target: "w", factor: 2 },
      },
    };
    expect(numberRuleAt(scenarioFileSchema, scenario, ["faults", "e", "rate"])).toMatchObject({
      percent: true,
    });
    expect(numberRuleAt(scenarioFileSchema, scenario, ["faults", "s", "factor"])).toMatchObject({
      integer: false,
      max: 1000,
    });
  });
});

describe("a file varied in its text", () => {
  const TEXT = `# a comment that stays
name: shop # and another
components:
  api: { kind: api, placement: global, capacity: "200 rps" }
  db:
    kind: database
    placement: global
    needs:
      x: { retry: { attempts: 3 } } # retries
queues:
  q:
    consumers:
      w: { rate: 40k rps, concurrency: 1000 }
workloads:
  w: { entry: api, rate: 100 rps, slo: 0.999, profile: [{ at: 1h30m, rate: 150 rps }] }
`;

  const vary = (path: (string | number)[], factor: number) => {
    const at = writtenNumber(TEXT, path, modelFileSchema);
    if ("problem" in at) throw new Error(at.problem);
    const r = varyText(TEXT, at, factor);
    if ("problem" in r) throw new Error(r.problem);
    return r;
  };

  it("changes only the number's characters, quotes kept", () => {
    const r = vary(["components", "api", "capacity"], 1.5);
    expect(r.text).toBe(TEXT.replace('capacity: "200 rps"', 'capacity: "300 rps"'));
    expect(vary(["queues", "q", "consumers", "w", "rate"], 0.5).text).toBe(
      TEXT.replace("rate: 40k rps,", "rate: 20k rps,"),
    );
    expect(vary(["workloads", "w", "profile", 0, "at"], 0.5).text).toBe(
      TEXT.replace("at: 1h30m", "at: 45m"),
    );
  });

  it("rounds and clamps as the schema demands", () => {
    const attempts = vary(["components", "db", "needs", "x", "retry", "attempts"], 1.5);
    expect(attempts.text).toBe(TEXT.replace("attempts: 3 }", "attempts: 5 }"));
    expect(attempts.adjustments).toEqual([{ kind: "rounded", exact: 4.5, to: 5 }]);
    const slo = vary(["workloads", "w", "slo"], 1.5);
    expect(parse(slo.text).workloads.w.slo).toBe(1);
    expect(slo.adjustments).toEqual([{ kind: "clamped", exact: 1.4985, to: 1 }]);
  });
});
