import { describe, expect, it } from "vitest";
import { modelOf } from "../../test/helpers/memory.js";
import { diskReader, readModel } from "../model/load.js";
import { loadScenario, parseScenario } from "../scenario/load.js";
import { planSensitivity } from "../sensitivity/plan.js";
import type { SensitivityReport } from "../sensitivity/report.js";
import { runSensitivity } from "../sensitivity/sensitivity.js";
import { SENSITIVITY_FORMATS, SENSITIVITY_RENDERERS } from "./sensitivity.js";

const OPTIONS = { toolVersion: "0.0.0-test" };

async function queueDrain(): Promise<SensitivityReport> {
  const m = readModel("examples/queue-drain.yaml");
  if (!m.ok) throw new Error(m.diagnostics[0]?.message);
  const scenario = loadScenario("examples/scenarios/queue-drain.yaml", m.model);
  return runSensitivity(planSensitivity(m.model, scenario, diskReader()));
}

/** A DNS record whose name is markup, Markdown and a table's cell separator at once. */
const HOSTILE = "<b>db|*x*</b>";
/** Its path: the slash in its name is written ~1. */
const KEY = `components/dns/records/${HOSTILE.replace("/", "~1")}/negativeTtl`;
async function hostile(): Promise<SensitivityReport> {
  const text = `name: "<i>m</i>"
components:
  dns:
    kind: dns
    placement: global
    records:
      "${HOSTILE}": { targets: [db], ttl: 60s, negativeTtl: 1m }
  db: { kind: database, placement: global }
  api:
    kind: api
    placement: global
    needs:
      db: { via: "${HOSTILE}" }
workloads:
  w: { entry: api, rate: 10 rps }
assumptions:
  "${KEY}": { source: guess }
`;
  const scenarioText = `name: "<script>s</script>"\nduration: 1h\nfaults:\n  empty: { kind: dns-empty, target: "${HOSTILE}", until: 10m }\nexpect:\n  - timeToRecover: { component: api, atMost: 11m30s }\n`;
  const model = modelOf(text);
  const s = parseScenario("s.yaml", scenarioText, model);
  if (!s.ok) throw new Error(s.diagnostics[0]?.message);
  const files: Record<string, string> = { "model.yaml": text, "s.yaml": scenarioText };
  return runSensitivity(planSensitivity(model, s.scenario, (path) => files[path]));
}

describe("every sensitivity renderer", () => {
  it.each(SENSITIVITY_FORMATS)("%s gives the same text for the same report", async (format) => {
    const report = await queueDrain();
    const a = SENSITIVITY_RENDERERS[format](report, OPTIONS);
    expect(a.length).toBeGreaterThan(0);
    expect(SENSITIVITY_RENDERERS[format](await queueDrain(), OPTIONS)).toBe(a);
  });

  it.each(SENSITIVITY_FORMATS)(
    "%s keeps markup and Markdown from the files inert",
    async (format) => {
      const report = await hostile();
      expect(report.outcomes.length).toBeGreaterThan(0);
      const out = SENSITIVITY_RENDERERS[format](report, OPTIONS);
      if (format === "html" || format === "markdown") {
        expect(out).not.toContain("<b>db");
        expect(out).not.toContain("<script>s");
        expect(out).toContain("&lt;b&gt;db");
      }
      if (format === "json") expect(JSON.parse(out).parameters[0].key).toBe(KEY);
    },
  );
});

describe("renderSensitivityText", () => {
  it("reads well for the queue whose drain was worked out by hand", async () => {
    expect(SENSITIVITY_RENDERERS.text(await queueDrain(), OPTIONS)).toMatchInlineSnapshot(`
      "Sensitivity of queue-drain: scenario queue-drain (examples/scenarios/queue-drain.yaml), 3h
        One number at a time, × 0.5 and × 1.5: 3 numbers varied (2 guesses, 1 calibrated); 2 public left
        as they are (--all varies them too); 7 runs. Times count from the start of the run.

      Numbers varied
        #  source      baseline    × 0.5    × 1.5  number (in the model or the scenario)
        1  guess        200 rps  100 rps  300 rps  queues/jobs/consumers/worker (model)
        2  calibrated         3       2*       5*  queues/jobs/maxReceives (model)
        3  guess          99.9%   49.95%    100%*  workloads/submit/slo (model)
        * #2 × 0.5: 1.5 rounded to 2: only whole numbers are accepted there
        * #2 × 1.5: 4.5 rounded to 5: only whole numbers are accepted there
        * #3 × 1.5: 149.85% clamped to its maximum, 100%

      Expectations: 2 of 2 hold in the baseline; 1 changes verdict in some run (✗ breaks, ✓ newly holds)
        ✓ drained-by jobs: expected drained by 01:45:00; baseline drained at 01:30:00
            examples/scenarios/queue-drain.yaml:14
            #  × 0.5                  × 1.5
            1  ✗ drained at 02:00:00  drained at 01:20:00

      Times that move, largest swing first
        outcome       baseline  #  × 0.5  × 1.5  swing
        jobs drained  01:30:00  1   +30m   −10m    40m
      "
    `);
  });
});

describe("renderSensitivityJson", () => {
  it("starts with its schema version and the tool, and keeps readings that are not numbers", async () => {
    const json = JSON.parse(SENSITIVITY_RENDERERS.json(await hostile(), OPTIONS));
    expect(Object.keys(json).slice(0, 3)).toEqual(["schemaVersion", "tool", "model"]);
    expect(json.schemaVersion).toBe(1);
    expect(json.tool).toEqual({ name: "faultline", version: "0.0.0-test" });
    expect(json.design).toEqual({
      kind: "one-at-a-time",
      spread: 0.5,
      sources: ["guess", "calibrated"],
    });
  });
});

describe("renderSensitivityHtml", () => {
  it("is one standalone page: no script, no fetch, a tornado per outcome that moves", async () => {
    const report = await queueDrain();
    const html = SENSITIVITY_RENDERERS.html(report, OPTIONS);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|https?:\/\/|src=/i);
    expect(html.match(/<svg class="tornado"/g)).toHaveLength(report.outcomes.length);
    // The worker's rate: a bar each way, +30m and −10m from the baseline, three to one.
    const widths = [
      ...html.matchAll(/<rect x="[\d.]+" y="\d+" width="([\d.]+)" height="\d+" fill="#/g),
    ].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect((widths[0] as number) / (widths[1] as number)).toBeCloseTo(3, 1);
  });
});

describe("renderSensitivityMarkdown", () => {
  it("puts each table's rows under its header", async () => {
    const md = SENSITIVITY_RENDERERS.markdown(await queueDrain(), OPTIONS);
    expect(md).toContain("| # | Number | In | Source | Baseline | × 0.5 | × 1.5 |");
    expect(md).toContain("| jobs drained | 01:30:00 | 1 | +30m | −10m | 40m |");
    expect(md).toContain("✗ drained at 02:00:00");
  });
});
