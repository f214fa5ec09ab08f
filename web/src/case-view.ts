/**
 * The case view: a replay beside the public record of the outage it replays. Its facts, each
 * marked reproduced (every expectation that checks it holds in this run), not reproduced, or
 * not simulated (no expectation can check it, and why); then the public timeline and the
 * simulated one interleaved on the run's clock, each row a button that moves the report there.
 * Whether a reproduced fact also holds with each calibrated number at ±50% is what
 * `faultline cases` scores; the page says so rather than guess it.
 */

import {
  causeLabel,
  subjectLabel,
  type TimelineRow,
  timelineRows,
} from "../../src/reports/journal.js";
import { clock, wallClock } from "../../src/sim/format.js";
import { el } from "./dom.js";
import { table } from "./panels.js";
import type { ViewRun } from "./types.js";

type Verdict = "reproduced" | "not reproduced" | "not simulated";

/**
 * The simulated changes a public timeline speaks of: faults, actions, records and queues, and
 * components going down or coming out of it (not a component moving between up and degraded).
 */
function major(r: TimelineRow): boolean {
  if (r.kind !== "component") return true;
  return r.to === "down" || r.from === "down" || (r.from === "recovering" && r.to !== "down");
}

/** The case section for a run whose scenario has a public record, else null. */
export function caseView(run: ViewRun, setTime: (t: number) => void): HTMLElement | null {
  const record = run.journal.publicRecord;
  if (record === undefined) return null;
  const box = el("section", { class: "case", "aria-label": `case — ${run.label}` });
  const verdicts = run.journal.expectations;
  const facts = record.facts.map((f) => {
    const mine = verdicts.filter((v) => v.fact === f.id);
    const verdict: Verdict =
      f.notSimulated !== undefined
        ? "not simulated"
        : mine.length > 0 && mine.every((v) => v.ok)
          ? "reproduced"
          : "not reproduced";
    return { f, mine, verdict };
  });
  const reproduced = facts.filter((x) => x.verdict === "reproduced").length;
  if (facts.length > 0)
    box.append(
      table(
        ["", "fact", "public", "simulated"],
        facts.map(({ f, mine, verdict }) => [
          el(
            "span",
            {
              class: `verdict ${verdict === "reproduced" ? "ok" : verdict === "not simulated" ? "none" : "bad"}`,
            },
            verdict,
          ),
          el("span", {}, el("strong", {}, f.id), ` ${f.claim}`),
          f.public,
          f.notSimulated ??
            mine.map((v) => `${mine.length > 1 ? `${v.subject} ` : ""}${v.actual}`).join("; "),
        ]),
        `Public facts — ${run.label}: ${reproduced} of ${facts.length} reproduced in this run (faultline cases scores each against ±50% of its calibrated numbers)`,
      ),
    );

  // Both timelines on one clock: the public events and the simulated changes, in time order
  // (a public event first at the same instant).
  const startsAt = run.journal.scenario.startsAt;
  const when = (t: number) => {
    const wall = startsAt === null ? undefined : wallClock(startsAt, t);
    return wall === undefined ? clock(t) : `${clock(t)} (${wall})`;
  };
  const rows: { t: number; order: number; public: string; simulated: string }[] = [
    ...record.timeline.map((e, i) => ({
      t: e.t,
      order: i,
      public: `${e.event}${e.source !== undefined ? ` (${e.source})` : ""}`,
      simulated: "",
    })),
    ...timelineRows(run.journal)
      .filter(major)
      .map((r, i) => ({
        t: r.t,
        order: record.timeline.length + i,
        public: "",
        simulated: `${subjectLabel(r.kind, r.subjects)}: ${r.from} → ${r.to} — ${causeLabel(r.cause, r.subjects)}`,
      })),
  ].sort((a, b) => a.t - b.t || a.order - b.order);
  box.append(
    table(
      ["when", "public record", "simulated"],
      rows.map((r) => {
        const go = el(
          "button",
          { type: "button", class: "link", title: "show this moment" },
          when(r.t),
        );
        go.addEventListener("click", () => setTime(r.t));
        return [go, r.public, r.simulated];
      }),
      `On one clock — ${run.label}: ${record.timeline.length} public events, ${rows.length - record.timeline.length} simulated changes into or out of down (the other changes are in the timeline above)`,
    ),
  );
  return box;
}
