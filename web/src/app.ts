/**
 * The report view: header, timeline controls, the graph (one per run when two runs are
 * compared, on one clock), the details of the selected node, charts and tables. The HTML report
 * shows it alone; the web UI shows it beside the editor.
 */

import {
  causeLabel,
  subjectLabel,
  type TimelineRow,
  timelineRows,
} from "../../src/reports/journal.js";
import { clock, fmt as duration, pct } from "../../src/sim/format.js";
import { caseView } from "./case-view.js";
import { chartSpecs, TimeChart } from "./charts.js";
import { clear, el } from "./dom.js";
import { GraphView, type Selection } from "./graph.js";
import {
  domainDetails,
  explanationAt,
  findingsTable,
  legend,
  momentText,
  nodeDetails,
  recoveryTable,
  resultsTables,
} from "./panels.js";
import type { ReportData } from "./types.js";
import type { ReportView } from "./view.js";
import { plural, severityCounts } from "./words.js";

export type { ReportView };

/** Timeline rows shown under the controls: the latest changes up to the current moment. */
const EVENTS_SHOWN = 5;

/** The graph's height bounds: it fills the window below its top, within these. */
const GRAPH_MIN_HEIGHT = 360;
const GRAPH_MAX_HEIGHT = 1100;

/** Simulated seconds per second of playback. */
const SPEEDS: readonly { label: string; value: number }[] = [
  { label: "1 min/s", value: 60 },
  { label: "5 min/s", value: 300 },
  { label: "15 min/s", value: 900 },
  { label: "1 h/s", value: 3600 },
];
const SLIDER_STEPS = 2000;

export function renderReport(root: HTMLElement, data: ReportData): ReportView {
  clear(root);
  const runs = data.runs;
  const duration_ = Math.max(0, ...runs.map((r) => r.journal.scenario.duration));
  let time = 0;
  let selection: Selection = null;
  let playing = false;
  let speed = SPEEDS[1]?.value ?? 300;
  let lastFrame = 0;

  const s = data.audit.summary;
  const header = el(
    "header",
    { class: "top" },
    el("h1", {}, data.title),
    el(
      "p",
      { class: "meta", id: "model-summary" },
      [
        plural(s.components, "component"),
        plural(s.dependencies, "dependency", "dependencies"),
        plural(s.records, "DNS record"),
        plural(s.domains, "failure domain"),
        plural(s.workloads, "workload"),
      ].join(" · "),
    ),
    el(
      "p",
      { class: "meta", id: "audit-summary" },
      `Audit: ${severityCounts(s.findings) || "no findings"}`,
    ),
    ...runs.map((r) =>
      el(
        "p",
        { class: "meta" },
        `Scenario ${r.label}: ${r.journal.scenario.name}, ${duration(r.journal.scenario.duration)} simulated — `,
        r.journal.workloads.map((w) => `${w.id} ${pct(w.availability, 2)}`).join(", "),
        r.journal.expectations.length > 0
          ? ` — expectations ${r.journal.expectations.filter((v) => v.ok).length}/${r.journal.expectations.length} met`
          : "",
      ),
    ),
  );
  root.append(header);

  // Timeline controls.
  const slider = el("input", {
    type: "range",
    min: "0",
    max: String(SLIDER_STEPS),
    step: "1",
    value: "0",
    "aria-label": "time",
    id: "time-slider",
  });
  const play = el("button", { type: "button", id: "play", "aria-label": "play" }, "▶ Play");
  const speedSelect = el("select", { "aria-label": "speed", id: "speed" });
  for (const sp of SPEEDS) {
    const o = el("option", { value: String(sp.value) }, sp.label);
    if (sp.value === speed) o.selected = true;
    speedSelect.append(o);
  }
  const now = el("output", { id: "time-label", "aria-live": "polite" }, momentText(runs[0], 0));
  // The latest changes of each run, side by side when two are compared.
  const timelines = runs.map((run, i) => ({
    rows: timelineRows(run.journal) as readonly TimelineRow[],
    list: el("ol", {
      class: "events",
      "data-run": String(i),
      "aria-label": `latest changes${runs.length > 1 ? ` — ${run.label}` : ""}`,
    }),
  }));
  if (runs.length > 0)
    root.append(
      el("div", { class: "timeline" }, play, speedSelect, slider, now),
      el(
        "div",
        { class: `events-box events-${runs.length}`, id: "events" },
        ...timelines.map(({ list }, i) =>
          el(
            "div",
            {},
            el(
              "strong",
              {},
              runs.length > 1 ? `Latest changes — ${runs[i]?.label ?? ""}` : "Latest changes",
            ),
            list,
          ),
        ),
      ),
    );

  function refreshEvents(): void {
    for (const { rows, list } of timelines) {
      clear(list);
      let last = -1;
      for (let i = 0; i < rows.length && (rows[i] as TimelineRow).t <= time; i++) last = i;
      for (let i = last; i >= 0 && i > last - EVENTS_SHOWN; i--) {
        const r = rows[i] as TimelineRow;
        list.append(
          el(
            "li",
            {},
            el("span", { class: "when" }, clock(r.t)),
            " ",
            el("strong", {}, subjectLabel(r.kind, r.subjects)),
            ` → ${r.to} `,
            el("span", { class: "why" }, causeLabel(r.cause, r.subjects)),
          ),
        );
      }
      if (last < 0) list.append(el("li", { class: "hint" }, "Nothing has happened yet."));
    }
  }

  // Graphs and details.
  const graphs: GraphView[] = [];
  const graphRow = el("div", { class: "graph-row" });
  const hint = () =>
    el(
      "p",
      { class: "hint" },
      "Click a component to see its state, why, and its metrics. Click a grouped domain to expand it.",
    );
  const details = el("aside", { class: "side", id: "details" }, hint());
  const graphBoxes = el("div", { class: `graphs graphs-${Math.max(1, runs.length)}` });
  graphRow.append(graphBoxes, details);
  root.append(graphRow, legend(runs.length > 0));
  const panes = Math.max(1, runs.length);
  for (let i = 0; i < panes; i++) {
    const canvas = el("div", { class: "graph", "data-run": String(i) });
    const expandAll = el("button", { type: "button" }, "Expand all");
    const collapseAll = el("button", { type: "button" }, "Group by domain");
    const fit = el("button", { type: "button" }, "Fit");
    const pane = el(
      "div",
      { class: "graph-pane" },
      el(
        "div",
        { class: "graph-tools" },
        runs.length > 1 ? el("strong", {}, runs[i]?.label ?? "") : null,
        expandAll,
        collapseAll,
        fit,
      ),
      canvas,
    );
    graphBoxes.append(pane);
    const view = new GraphView({ container: canvas, data, onSelect: (sel) => select(sel) });
    view.setRun(runs[i] ?? null);
    expandAll.addEventListener("click", () => void view.expandAll());
    collapseAll.addEventListener("click", () => void view.collapseAll());
    fit.addEventListener("click", () => view.cy.fit(undefined, 24));
    graphs.push(view);
  }

  // Charts.
  const chartBox = el("section", { class: "charts" });
  const charts: TimeChart[] = [];
  const specs = chartSpecs(runs);
  if (specs.length > 0) root.append(el("h2", {}, "Over time"), chartBox);

  // The public record of a replayed outage, beside the run.
  const cases = runs.map((r) => caseView(r, (t) => setTime(t))).filter((x) => x !== null);
  if (cases.length > 0)
    root.append(el("h2", {}, "Case: the public record beside the run"), ...cases);

  // Tables.
  root.append(
    el("h2", {}, "Audit"),
    findingsTable(data),
    el("h2", {}, "Recovery"),
    recoveryTable(data),
  );
  if (runs.length > 0) {
    const results = el("div", { class: `results-row results-${runs.length}` });
    for (const r of runs) results.append(resultsTables(r));
    root.append(el("h2", {}, "Simulation results"), results);
  }
  root.append(
    el(
      "footer",
      {},
      `Model files: ${data.audit.model.files.join(", ")}`,
      ...runs.map((r) => ` · scenario ${r.label}: ${r.journal.scenario.file}`),
    ),
  );

  function refreshDetails(): void {
    clear(details);
    if (selection === null) {
      details.append(hint());
      for (const g of graphs) g.setChain([]);
      return;
    }
    if (selection.type === "domain") {
      const id = selection.id;
      details.append(
        domainDetails(data, id, () => {
          for (const g of graphs) void g.collapse(id);
          select(null);
        }),
      );
      return;
    }
    const id = selection.id;
    details.append(nodeDetails(data, id, time));
    graphs.forEach((g, i) => {
      const run = runs[i];
      const x = run ? explanationAt(run, id, time) : undefined;
      const impaired = run !== undefined && g.stateOf(id) !== "up";
      g.setChain(x && impaired ? [id, ...x.steps.map((step) => step.subject)] : []);
    });
  }

  function select(sel: Selection): void {
    selection = sel;
    refreshDetails();
  }

  function setTime(t: number): void {
    time = Math.min(duration_, Math.max(0, t));
    slider.value = String(duration_ > 0 ? Math.round((time / duration_) * SLIDER_STEPS) : 0);
    now.textContent = momentText(runs[0], time);
    for (const g of graphs) g.setTime(time);
    for (const c of charts) c.setTime(time);
    if (runs.length > 0) refreshEvents();
    if (selection !== null) refreshDetails();
  }

  slider.addEventListener("input", () => {
    setTime((Number(slider.value) / SLIDER_STEPS) * duration_);
  });
  speedSelect.addEventListener("change", () => {
    speed = Number(speedSelect.value);
  });
  const frame = (ts: number) => {
    if (!playing) return;
    const dt = lastFrame === 0 ? 0 : (ts - lastFrame) / 1000;
    lastFrame = ts;
    if (time >= duration_) {
      stop();
      return;
    }
    setTime(time + dt * speed);
    requestAnimationFrame(frame);
  };
  function stop(): void {
    playing = false;
    play.textContent = "▶ Play";
    play.setAttribute("aria-label", "play");
  }
  play.addEventListener("click", () => {
    if (playing) {
      stop();
      return;
    }
    if (time >= duration_) setTime(0);
    playing = true;
    lastFrame = 0;
    play.textContent = "❚❚ Pause";
    play.setAttribute("aria-label", "pause");
    requestAnimationFrame(frame);
  });

  // The graph fills the window below its top (the header above it varies in height).
  const fitGraphs = () => {
    const top = graphBoxes.getBoundingClientRect().top + window.scrollY;
    const height = Math.round(window.innerHeight - top - 60);
    root.style.setProperty(
      "--graph-height",
      `${Math.min(GRAPH_MAX_HEIGHT, Math.max(GRAPH_MIN_HEIGHT, height))}px`,
    );
  };
  fitGraphs();
  window.addEventListener("resize", fitGraphs);

  // Everything is drawn before the first paint: the graphs in their quick layout (the final
  // one follows), the charts, the moment's state.
  const width = Math.max(360, Math.min(1100, chartBox.clientWidth || root.clientWidth || 900));
  for (const spec of specs) {
    const box = el("div", { class: "chart" });
    chartBox.append(box);
    charts.push(new TimeChart(box, spec, width));
  }
  const rendered = graphs.map((g) => g.render());
  setTime(time);
  const ready = Promise.all(rendered).then(() => setTime(time));

  return {
    ready,
    time: () => time,
    setTime,
    select: (id) => select(id === null ? null : { type: "node", id }),
    stateOf: (id, run = 0) => graphs[run]?.stateOf(id) ?? "idle",
    nodePosition: (id, run = 0) => {
      const g = graphs[run];
      const p = g?.renderedPosition(id);
      if (!g || !p) return null;
      const box = g.cy.container()?.getBoundingClientRect();
      return box ? { x: box.left + p.x, y: box.top + p.y } : null;
    },
    groupOf: (id, run = 0) => graphs[run]?.groupOf(id) ?? null,
    expand: async (domain, run = 0) => {
      await graphs[run]?.expand(domain);
    },
    drawn: (run = 0) => {
      const g = graphs[run];
      const box = g?.cy.container()?.getBoundingClientRect();
      if (!g || !box) return [];
      return g.drawn().map((d) => ({
        ...d,
        left: box.left + d.left,
        right: box.left + d.right,
        top: box.top + d.top,
        bottom: box.top + d.bottom,
      }));
    },
    destroy: () => {
      stop();
      window.removeEventListener("resize", fitGraphs);
      for (const g of graphs) g.destroy();
      for (const c of charts) c.destroy();
    },
  };
}
