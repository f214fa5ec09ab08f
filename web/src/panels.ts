/**
 * The report's panels: the legend, the details of a selected node at the current moment (its
 * state, its causal chain from `explain`, its metrics), and the tables of findings, recovery
 * times and simulation results. They only look things up in the report data.
 */

import { clock, count, fmt as duration, pct, rate, wallClock } from "../../src/sim/format.js";
import { clear, el } from "./dom.js";
import { EDGE_KINDS, edgeStyle } from "./graph.js";
import { GLYPH, PALETTE, rawStateAt, SHAPE, STATES, visualState } from "./states.js";
import type { ReportData, ViewExplanation, ViewRun } from "./types.js";
import { severityCounts } from "./words.js";

export function legend(withStates: boolean): HTMLElement {
  const box = el("div", { class: "legend", "aria-label": "legend" });
  if (withStates)
    for (const s of STATES) {
      const p = PALETTE[s];
      box.append(
        el(
          "span",
          { class: "legend-item" },
          el(
            "span",
            {
              class: `swatch shape-${SHAPE[s]}`,
              style: `background:${p.fill};border-color:${p.border};color:${p.text}`,
            },
            GLYPH[s].trim() || "●",
          ),
          s,
        ),
      );
    }
  for (const k of EDGE_KINDS) {
    const st = edgeStyle(k);
    box.append(
      el(
        "span",
        { class: "legend-item" },
        el("span", {
          class: "edge-swatch",
          style: `border-top:${Math.max(2, st.width)}px ${st.line} ${st.color}`,
        }),
        k === "served-by" ? "served by" : k === "dns" ? "via DNS" : k,
      ),
    );
  }
  box.append(
    el(
      "span",
      { class: "legend-item" },
      "A → B: A needs B · double border: DNS record · dashed border: queue",
    ),
  );
  return box;
}

/** A moment: time from the start, and the wall clock when the scenario says when it starts. */
export function momentText(run: ViewRun | undefined, t: number): string {
  const startsAt = run?.journal.scenario.startsAt ?? null;
  const wall = startsAt !== null ? wallClock(startsAt, t) : undefined;
  return wall !== undefined ? `${clock(t)} · ${wall}` : clock(t);
}

/** The index of the last sample at or before `t`. */
export function sampleAt(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((times[mid] as number) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The chain behind the latest change at or before `t` that left the component impaired. */
export function explanationAt(run: ViewRun, id: string, t: number): ViewExplanation | undefined {
  const chains = run.explanations[id];
  if (chains === undefined) return undefined;
  let found: ViewExplanation | undefined;
  for (const c of chains) if (c.t <= t) found = c;
  return found;
}

export function nodeDetails(data: ReportData, id: string, t: number): HTMLElement {
  const node = data.graph.nodes.find((n) => n.id === id);
  const box = el("div", { class: "details", "data-node": id });
  if (node === undefined) return box;
  box.append(
    el("h3", {}, id),
    el(
      "p",
      { class: "meta" },
      `${node.kind}${node.plane ? ` · ${node.plane} plane` : ""} · ${node.placement}`,
    ),
    el("p", { class: "loc" }, `${node.loc.file}:${node.loc.line}:${node.loc.column}`),
  );
  if (node.description) box.append(el("p", {}, node.description));
  const facts: string[] = [];
  if (node.capacity !== undefined) facts.push(`capacity ${rate(node.capacity)}`);
  if (node.rto !== undefined) facts.push(`RTO ${duration(node.rto)}`);
  const recovery = data.audit.recovery.find((r) => r.component === id);
  if (recovery)
    facts.push(
      recovery.coldStart === null
        ? "cold start impossible (cycle)"
        : `cold start ${duration(recovery.coldStart)}`,
    );
  if (facts.length > 0) box.append(el("p", { class: "meta" }, facts.join(" · ")));

  for (const run of data.runs) box.append(runDetails(data, run, id, t));

  const findings = data.audit.findings.filter((f) => f.components.includes(id));
  if (findings.length > 0) {
    const list = el("ul", { class: "findings-mini" });
    for (const f of findings.slice(0, 8))
      list.append(
        el(
          "li",
          {},
          el("span", { class: `sev sev-${f.severity}` }, f.severity),
          ` ${f.rule}: ${f.message}`,
        ),
      );
    if (findings.length > 8) list.append(el("li", {}, `… and ${findings.length - 8} more`));
    box.append(el("h4", {}, `Audit findings (${findings.length})`), list);
  }
  return box;
}

function runDetails(data: ReportData, run: ViewRun, id: string, t: number): HTMLElement {
  const section = el("section", { class: "run-details" });
  if (data.runs.length > 1) section.append(el("h4", {}, run.label));
  const change = rawStateAt(run.changes[id], t);
  const state = visualState(change?.to);
  const p = PALETTE[state];
  section.append(
    el(
      "p",
      { class: "state-line" },
      "State at ",
      momentText(run, t),
      ": ",
      el(
        "span",
        {
          class: "state-badge",
          "data-state": state,
          style: `background:${p.fill};border-color:${p.border};color:${p.text}`,
        },
        `${GLYPH[state]}${change?.to ?? "up"}`,
      ),
      change ? ` since ${clock(change.t)}` : "",
    ),
  );

  const result = run.journal.components.find((c) => c.id === id);
  if (state !== "up") {
    const x = explanationAt(run, id, t);
    if (x !== undefined) {
      const chain = el("ol", { class: "chain", "aria-label": "causal chain" });
      for (const s of x.steps)
        chain.append(
          el(
            "li",
            { "data-subject": s.subject },
            el("span", { class: "when" }, clock(s.t)),
            " ",
            el("strong", {}, s.subject),
            ` → ${s.state} `,
            el("span", { class: "mech" }, `[${s.mechanism}]`),
            el("div", { class: "why" }, s.text),
            s.note ? el("div", { class: "note" }, s.note) : null,
          ),
        );
      section.append(el("h4", {}, "Why"), el("p", { class: "summary" }, x.summary), chain);
    }
  }

  const series = run.journal.series;
  const i = sampleAt(series.times, t);
  const metrics: string[] = [];
  const success = series.success[id]?.[i];
  if (success !== undefined) metrics.push(`success ${pct(success, 2)}`);
  const latency = series.latency?.[id]?.[i];
  if (latency !== undefined) metrics.push(`a request takes ${duration(latency)}`);
  const load = series.load[id]?.[i];
  if (load !== undefined)
    metrics.push(
      `offered ${rate(load)}${result?.capacity ? ` of ${rate(result.capacity)} capacity` : ""}`,
    );
  if (metrics.length > 0)
    section.append(el("p", { class: "metrics" }, `Now: ${metrics.join(" · ")}`));
  if (result?.impacted)
    section.append(
      el(
        "p",
        { class: "metrics" },
        [
          `first impact ${result.firstImpact === null ? "—" : clock(result.firstImpact)}`,
          `recovered ${result.recoveredAt === null ? "never" : clock(result.recoveredAt)}`,
          `down ${duration(result.downtime)}`,
          `degraded ${duration(result.degradedTime)}`,
          `worst success ${pct(result.worstSuccess, 2)}`,
          ...(result.capacity ? [`peak load ${rate(result.peakLoad)}`] : []),
          ...(result.abandoned > 0
            ? [
                `${count(result.abandoned)} requests abandoned (queued up to ${duration(result.peakWait)})`,
              ]
            : []),
        ].join(" · "),
      ),
    );
  return section;
}

export function domainDetails(data: ReportData, id: string, collapse: () => void): HTMLElement {
  const d = data.graph.domains.find((x) => x.id === id);
  const members = data.graph.nodes.filter((n) => n.domain === id).length;
  const button = el("button", { type: "button" }, "Collapse into one box");
  button.addEventListener("click", collapse);
  return el(
    "div",
    { class: "details" },
    el("h3", {}, id),
    el("p", { class: "meta" }, `${d?.kind ?? "domain"}${d?.parent ? ` in ${d.parent}` : ""}`),
    el("p", {}, `${members} node(s) placed directly here.`),
    button,
  );
}

const ROWS_SHOWN = 200;

export function table(
  headers: readonly string[],
  rows: readonly (readonly (string | Node)[])[],
  caption: string,
): HTMLElement {
  const body = el("tbody");
  const render = (n: number) => {
    clear(body);
    for (const r of rows.slice(0, n)) body.append(el("tr", {}, ...r.map((c) => el("td", {}, c))));
  };
  render(ROWS_SHOWN);
  const t = el(
    "table",
    { class: "data" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col" }, h)))),
    body,
  );
  if (rows.length <= ROWS_SHOWN) return t;
  const more = el("button", { type: "button" }, `Show all ${rows.length} rows`);
  more.addEventListener("click", () => {
    render(rows.length);
    more.remove();
  });
  return el("div", {}, t, more);
}

export function findingsTable(data: ReportData): HTMLElement {
  const f = data.audit.findings;
  const s = data.audit.summary.findings;
  return table(
    ["severity", "rule", "finding", "remediation", "where"],
    f.map((x) => [
      el("span", { class: `sev sev-${x.severity}` }, x.severity),
      x.rule,
      x.message,
      x.remediation,
      `${x.location.file}:${x.location.line}:${x.location.column}`,
    ]),
    `Audit findings: ${f.length} (${severityCounts(s) || "none"})`,
  );
}

export function recoveryTable(data: ReportData): HTMLElement {
  const rows = [...data.audit.recovery].sort(
    (a, b) => overBy(b) - overBy(a) || (a.component < b.component ? -1 : 1),
  );
  return table(
    ["component", "cold start", "RTO", "", "critical restart path", "restart time not stated"],
    rows.map((r) => [
      r.component,
      r.coldStart === null ? "impossible (cycle)" : duration(r.coldStart),
      r.rto === null ? "—" : duration(r.rto),
      el(
        "span",
        { class: `verdict ${verdictOf(r) === "over" || verdictOf(r) === "cycle" ? "bad" : "ok"}` },
        verdictOf(r),
      ),
      `${r.path.join(" → ")}${r.pathLength !== null && r.pathLength > r.path.length ? ` → … (${r.pathLength} in all)` : ""}`,
      `${r.undeclared.join(", ")}${r.undeclaredCount > r.undeclared.length ? ` and ${r.undeclaredCount - r.undeclared.length} more` : ""}`,
    ]),
    "Recovery time per component against its target",
  );
}

function verdictOf(r: ReportData["audit"]["recovery"][number]): string {
  if (r.coldStart === null) return "cycle";
  if (r.rto === null) return "no target";
  return r.coldStart > r.rto ? "over" : "within";
}

function overBy(r: ReportData["audit"]["recovery"][number]): number {
  if (r.coldStart === null) return Number.POSITIVE_INFINITY;
  return r.rto === null ? -1 : r.coldStart - r.rto;
}

export function resultsTables(run: ViewRun): HTMLElement {
  const j = run.journal;
  const box = el("div", { class: "results" });
  box.append(
    table(
      ["workload", "availability", "SLO", "offered", "served", "failed", "error budget burnt"],
      j.workloads.map((w) => [
        w.id,
        pct(w.availability, 3),
        w.slo === null ? "—" : pct(w.slo, 2),
        count(w.offered),
        count(w.served),
        count(w.failed),
        w.sloBurn === null ? "—" : `${w.sloBurn.toFixed(1)}×`,
      ]),
      `Workloads — ${run.label}`,
    ),
  );
  if (j.queues.length > 0)
    box.append(
      table(
        [
          "queue",
          "published",
          "consumed",
          "peak backlog",
          "drained at",
          "dead-lettered",
          "expired",
        ],
        j.queues.map((q) => [
          q.id,
          count(q.published),
          count(q.consumed),
          `${count(q.peakBacklog)}${q.peakAt === null ? "" : ` at ${clock(q.peakAt)}`}`,
          q.drainedAt === null ? (q.finalBacklog > 0 ? "not drained" : "—") : clock(q.drainedAt),
          count(q.deadLettered),
          count(q.expired),
        ]),
        `Queues — ${run.label}`,
      ),
    );
  if (j.expectations.length > 0)
    box.append(
      table(
        ["", "expectation", "subject", "expected", "actual"],
        j.expectations.map((v) => [
          el("span", { class: `verdict ${v.ok ? "ok" : "bad"}` }, v.ok ? "pass" : "FAIL"),
          v.kind,
          v.subject,
          v.expected,
          v.actual,
        ]),
        `Expectations — ${run.label}`,
      ),
    );
  const n = j.numbers;
  if (n !== undefined)
    box.append(
      table(
        ["source", "number", "fitted to / note"],
        [
          ...n.calibrated.map((x) => ["calibrated", `${x.key} (${x.file})`, x.to ?? ""]),
          ...n.guessed.map((x) => ["guess", `${x.key} (${x.file})`, x.note ?? ""]),
        ],
        `Numbers it rests on — ${run.label}: ${n.calibrated.length} calibrated, ${n.guessed.length} guessed about the parts it touched${n.otherGuesses > 0 ? ` (${n.otherGuesses} more about parts it left alone)` : ""}, ${n.public} public; faultline sensitivity shows which move its results`,
      ),
    );
  const impacted = j.components.filter((c) => c.impacted);
  box.append(
    table(
      ["component", "first impact", "recovered", "down", "degraded", "worst success"],
      impacted.map((c) => [
        c.id,
        c.firstImpact === null ? "—" : clock(c.firstImpact),
        c.recoveredAt === null ? "never" : clock(c.recoveredAt),
        duration(c.downtime),
        duration(c.degradedTime),
        pct(c.worstSuccess, 2),
      ]),
      `Impacted components — ${run.label}: ${impacted.length} of ${j.components.length}`,
    ),
  );
  return box;
}
