/**
 * Overload over random models and scenarios: a component collapses only after more arrived
 * than it could serve, and it never comes back while what arrives (attempts, retries included)
 * still exceeds its capacity — the queue can only drain when arrivals fall below capacity.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simulate } from "./engine.js";
import { modelOf } from "./fixtures.js";
import { generatedModelArb, modelTextArb } from "./model-fixtures.js";
import { scenarioArb, scenarioText } from "./scenario-fixtures.js";
import type { CompState, Sim } from "./state.js";

const SCALE = Number(process.env.SIM_PROPERTY_RUNS ?? 1);
const SEED = Number(process.env.SIM_PROPERTY_SEED ?? 20251020);

const cases = fc
  .oneof(
    generatedModelArb.chain(({ model, source }) =>
      scenarioArb(model).map((scenario) => ({ model, scenario, source })),
    ),
    modelTextArb.chain((text) => {
      const model = modelOf(text);
      return scenarioArb(model).map((scenario) => ({ model, scenario, source: text }));
    }),
  )
  .map((c) => ({
    ...c,
    [fc.toStringMethod]: () => `model:\n${c.source}\nscenario:\n${scenarioText(c.scenario)}`,
  }));

interface Seen {
  readonly failing: boolean;
  readonly arriving: number;
  readonly capacity: number;
  readonly running: boolean;
}

const arriving = (s: CompState) => Math.min(s.load, s.throttle) * (1 - s.shed);
const failing = (s: CompState) =>
  s.process === "running" && Number.isFinite(s.capacity) && s.overloaded && s.queue > 0;

describe("overload over random models", () => {
  it(
    "no collapse without overload, no recovery while arrivals exceed capacity",
    () => {
      fc.assert(
        fc.property(cases, ({ model, scenario }) => {
          const problems: string[] = [];
          const overloaded = new Set<number>();
          let last: (Seen | undefined)[] = [];
          const observe = (sim: Readonly<Sim>) => {
            const now = sim.comps.map((s, i): Seen | undefined => {
              if (!Number.isFinite(s.capacity)) return undefined;
              if (arriving(s) > s.capacity * (1 + 1e-9) || s.queue > 0) overloaded.add(i);
              return {
                failing: failing(s),
                arriving: arriving(s),
                capacity: s.capacity,
                running: s.process === "running",
              };
            });
            now.forEach((x, i) => {
              const before = last[i];
              if (!x || !before?.failing || x.failing || !x.running) return;
              // It came back over this step at the same capacity: what arrived over the step
              // (its rate at the step's start) must have been below that capacity.
              if (x.capacity === before.capacity && before.arriving > before.capacity * (1 + 1e-9))
                problems.push(
                  `${(sim.comps[i] as CompState).c.id} recovered at t=${sim.t} with ${before.arriving} rps arriving against ${before.capacity}`,
                );
            });
            last = now;
          };
          const j = simulate(model, scenario, { samples: 121, observe });
          for (const e of j.timeline)
            if (e.kind === "component" && e.cause.detail.what === "overload") {
              const i = model.components.findIndex((c) => c.id === e.subject);
              if (!overloaded.has(i)) problems.push(`${e.subject} collapsed without overload`);
            }
          j.components.forEach((c, i) => {
            if (!overloaded.has(i) && (c.abandoned > 0 || c.peakWait > 0))
              problems.push(`${c.id} abandoned work without overload`);
          });
          expect(problems).toEqual([]);
        }),
        { numRuns: Math.max(1, Math.round(20 * SCALE)), seed: SEED },
      );
    },
    60_000 * Math.max(1, SCALE),
  );
});
