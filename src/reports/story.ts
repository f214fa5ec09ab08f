/**
 * @module reports/story
 * The story of a simulation, for `faultline demo`: what struck, what failed and through which
 * mechanism, what the operators did and what came back after each action, what stayed down
 * after its trigger was gone, how the queues backed up and drained, what the run's
 * expectations say — and, given a second journal of the same fault against a changed
 * architecture, by how much less it hurt. Written from the journal alone, for any model.
 */
import pc from "picocolors";
import { appendAll } from "../model/arrays.js";
import { localTimeAfter, parseInstant } from "../scenario/instant.js";
import { clock, count, fmt, pct } from "../sim/format.js";
import type { Journal, TimelineEntry } from "../sim/types.js";
import { causeText } from "./causes.js";
import { expectationCount } from "./journal.js";
import { terminalSafeLine, wrap } from "./layout.js";

type Colors = ReturnType<typeof pc.createColors>;

export interface StoryOptions {
  readonly color?: boolean;
  /** The same fault against the architecture with lessons applied, to compare with. */
  readonly compare?: Journal;
}

const WIDTH = 100;
/** Names listed in one line before "and N more". */
const NAMES = 8;
/** Components still down this long after a fault ended are called out. */
const LINGER = 3600;

export function renderStory(journal: Journal, options: StoryOptions = {}): string {
  const c = pc.createColors(options.color ?? false);
  const out: string[] = [];
  const s = journal.scenario;
  out.push(
    c.bold(
      safe(
        `${s.name} on ${journal.model.name}: ${fmt(s.duration)} simulated${s.startsAt ? `, time 0 is ${s.startsAt}` : ""}`,
      ),
    ),
  );
  appendAll(out, chapters(journal, c));
  appendAll(out, lingering(journal, c));
  appendAll(out, unaffected(journal));
  appendAll(out, queues(journal));
  appendAll(out, workloads(journal));
  appendAll(out, verdicts(journal, c));
  if (options.compare) appendAll(out, comparison(journal, options.compare, c));
  return `${out.join("\n")}\n`;
}

/** Time from the start, and the wall clock when the scenario says when time 0 was. */
export function when(t: number, startsAt: string | null): string {
  const at = clock(t);
  if (!startsAt) return at;
  const instant = parseInstant(startsAt);
  if (instant === undefined) return at;
  const local = localTimeAfter(instant, t * 1000);
  const hh = String(local.getUTCHours()).padStart(2, "0");
  const mm = String(local.getUTCMinutes()).padStart(2, "0");
  return `${at} (${hh}:${mm})`;
}

function safe(text: string): string {
  return terminalSafeLine(text);
}

function names(ids: readonly string[]): string {
  const shown = ids.slice(0, NAMES).join(", ");
  return ids.length > NAMES ? `${shown} and ${ids.length - NAMES} more` : shown;
}

function block(text: string, indent = "    "): string[] {
  return wrap(safe(text), WIDTH, indent, indent);
}

/** Entries that start a chapter: faults starting or ending, operator actions, and changes. */
function isMilestone(e: TimelineEntry): boolean {
  return (
    (e.kind === "fault" && (e.to === "active" || e.to === "ended")) ||
    e.kind === "action" ||
    e.kind === "change"
  );
}

function chapters(j: Journal, c: Colors): string[] {
  const out: string[] = [];
  const entries = j.timeline;
  const milestones = entries.filter(isMilestone);
  milestones.forEach((m, i) => {
    // The first milestone of a group at one instant tells the chapter; the rest join it.
    if (i > 0 && (milestones[i - 1] as TimelineEntry).t === m.t) return;
    const same = milestones.filter((x) => x.t === m.t);
    out.push("", c.bold(when(m.t, j.scenario.startsAt)));
    for (const x of same) {
      // A fault ended by an action is told with the action.
      if (
        x.kind === "fault" &&
        x.to === "ended" &&
        same.some((y) => y.kind === "action" && y.subject === x.cause.from)
      )
        continue;
      out.push(...block(`${milestoneLabel(x)}: ${causeText(x.cause)}`, "  "));
      if (x.kind === "action") {
        for (const ended of same.filter(
          (y) => y.kind === "fault" && y.to === "ended" && y.cause.from === x.subject,
        ))
          out.push(...block(`which ends fault ${ended.subject}`, "    "));
      }
    }
    const end = milestones.find((x) => x.t > m.t)?.t ?? Number.POSITIVE_INFINITY;
    const changes = entries.filter(
      (e) => e.kind === "component" && e.t >= m.t && e.t < end && e.from !== e.to,
    );
    appendAll(out, transitions(changes, m.t, j));
    // Alarms that fired in the chapter: when, and on what (late when their monitor failed too).
    for (const a of entries.filter(
      (e) => e.kind === "alarm" && e.to === "alarm" && e.t >= m.t && e.t < end,
    )) {
      out.push(
        ...block(
          `alarm ${a.subject} fires at ${when(a.t, j.scenario.startsAt)}: ${causeText(a.cause)}`,
        ),
      );
    }
  });
  return out;
}

function milestoneLabel(e: TimelineEntry): string {
  switch (e.kind) {
    case "fault":
      return e.to === "active" ? `fault ${e.subject} strikes` : `fault ${e.subject} ends`;
    case "change":
      return `dependency ${e.subject} ${e.to}`;
    default:
      return `operator action ${e.subject}`;
  }
}

/** What went down, degraded and came back in a chapter, grouped by mechanism. */
function transitions(changes: readonly TimelineEntry[], start: number, j: Journal): string[] {
  const out: string[] = [];
  const groups: [string, (e: TimelineEntry) => boolean][] = [
    ["down", (e) => e.to === "down"],
    ["degraded", (e) => e.to === "degraded" && e.from === "up"],
    ["recovering", (e) => e.to === "recovering"],
    ["back up", (e) => e.to === "up"],
  ];
  const wentDown = new Set(changes.filter((e) => e.to === "down").map((e) => e.subject));
  for (const [label, test] of groups) {
    // A component that degraded and then went down in the same chapter is told once, as down.
    const hits = changes.filter(
      (e) => test(e) && !(label === "degraded" && wentDown.has(e.subject)),
    );
    // Each component once, at its first such change in the chapter.
    const first = new Map<string, TimelineEntry>();
    for (const e of hits) if (!first.has(e.subject)) first.set(e.subject, e);
    if (first.size === 0) continue;
    const list = [...first.values()];
    const span = (list[list.length - 1] as TimelineEntry).t - start;
    const mechanisms = new Map<string, number>();
    for (const e of list)
      mechanisms.set(e.cause.mechanism, (mechanisms.get(e.cause.mechanism) ?? 0) + 1);
    const how =
      label === "back up"
        ? ""
        : ` (${[...mechanisms.entries()]
            .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
            .map(([m, n]) => `${m} ${n}`)
            .join(", ")})`;
    const within = span <= 0 ? "at once" : `within ${fmt(span)}`;
    out.push(
      ...block(`${label} ${within}: ${list.length} — ${names(list.map((e) => e.subject))}${how}`),
    );
    if (label === "down" || label === "recovering") {
      // The reasons of a few, as the journal wrote them: first those closest to the root
      // (a mechanism other than a failing dependency), then the earliest.
      const telling = [...list].sort(
        (a, b) =>
          Number(a.cause.mechanism === "dependency") - Number(b.cause.mechanism === "dependency") ||
          a.t - b.t,
      );
      for (const e of telling.slice(0, 3)) {
        out.push(
          ...block(
            `· ${e.subject} at ${when(e.t, j.scenario.startsAt)}: ${causeText(e.cause)}`,
            "      ",
          ),
        );
      }
    }
  }
  return out;
}

/** Components still down long after a fault ended: recovery of the cause did not recover them. */
function lingering(j: Journal, c: Colors): string[] {
  const out: string[] = [];
  const told = new Set<string>();
  for (const end of j.timeline.filter((e) => e.kind === "fault" && e.to === "ended")) {
    const stuck = j.components.filter((x) => {
      const state = stateAt(j, x.id, end.t + LINGER);
      return !told.has(x.id) && (state === "down" || state === "recovering");
    });
    for (const x of stuck) told.add(x.id);
    if (stuck.length === 0) continue;
    out.push("", c.bold(`Still down ${fmt(LINGER)} after fault ${end.subject} ended:`));
    for (const x of stuck.slice(0, NAMES)) {
      const why = causeAt(j, x.id, end.t + LINGER);
      const back =
        x.recoveredAt !== null && x.recoveredAt > end.t
          ? `back at ${when(x.recoveredAt, j.scenario.startsAt)}`
          : "not back by the end";
      out.push(...block(`${x.id} — ${back}; ${why}`, "  "));
    }
    if (stuck.length > NAMES) out.push(`  and ${stuck.length - NAMES} more`);
  }
  return out;
}

function stateAt(j: Journal, id: string, t: number): string {
  let state = "up";
  for (const e of j.timeline) {
    if (e.t > t) break;
    if (e.kind === "component" && e.subject === id) state = e.to;
  }
  return state;
}

function causeAt(j: Journal, id: string, t: number): string {
  let text = "";
  for (const e of j.timeline) {
    if (e.t > t) break;
    if (e.kind === "component" && e.subject === id)
      text = `${e.cause.mechanism}: ${causeText(e.cause)}`;
  }
  return text;
}

function unaffected(j: Journal): string[] {
  const ok = j.components.filter((x) => !x.impacted).map((x) => x.id);
  if (ok.length === 0) return [];
  return ["", "Unaffected throughout:", ...block(names(ok), "  ")];
}

function queues(j: Journal): string[] {
  const out: string[] = [];
  for (const q of j.queues) {
    if (q.peakBacklog <= 0) continue;
    const parts = [
      `backlog peaked at ${count(q.peakBacklog)} messages at ${when(q.peakAt ?? 0, j.scenario.startsAt)}`,
      q.finalBacklog > 0
        ? `${count(q.finalBacklog)} still queued at the end`
        : q.drainedAt !== null
          ? `drained at ${when(q.drainedAt, j.scenario.startsAt)}`
          : "",
      q.expired > 0 ? `${count(q.expired)} expired` : "",
      q.deadLettered > 0 ? `${count(q.deadLettered)} dead-lettered` : "",
      q.rejected > 0 ? `${count(q.rejected)} publishes rejected` : "",
    ].filter(Boolean);
    out.push(...block(`${q.id}: ${parts.join("; ")}`, "  "));
  }
  return out.length > 0 ? ["", "Queues:", ...out] : [];
}

function workloads(j: Journal): string[] {
  if (j.workloads.length === 0) return [];
  const out = ["", "Workloads over the run:"];
  for (const w of j.workloads) {
    const slo =
      w.slo === null
        ? ""
        : `, SLO ${pct(w.slo, 3)}${w.sloBurn !== null && w.sloBurn > 0 ? ` (${round1(w.sloBurn)}× its error budget)` : ""}`;
    out.push(
      ...block(
        `${w.id}: ${pct(w.availability, 3)} served, ${count(w.failed)} requests failed${slo}`,
        "  ",
      ),
    );
  }
  return out;
}

function round1(x: number): string {
  return x >= 100 ? String(Math.round(x)) : String(Math.round(x * 10) / 10);
}

function verdicts(j: Journal, c: Colors): string[] {
  if (j.expectations.length === 0) return [];
  const held = j.expectations.filter((v) => v.ok).length;
  const facts = j.publicRecord?.facts.length ?? 0;
  const out = [
    "",
    c.bold(`Expectations: ${held} of ${j.expectations.length} hold`),
    ...(facts > 0
      ? wrap(
          `${expectationCount(j).replace(/^.*\((.*)\)$/, "$1")}: the others are marked ✗ and do not fail the run (faultline cases scores every fact).`,
          WIDTH,
          "",
        )
      : []),
  ];
  for (const v of j.expectations) {
    const mark = v.ok ? c.green("✓") : c.red("✗");
    out.push(
      ...wrap(
        safe(
          `${mark} ${v.kind} ${v.subject}: expected ${v.expected}; ${v.actual}  (${v.loc.file}:${v.loc.line})`,
        ),
        WIDTH,
        "  ",
        "    ",
      ),
    );
  }
  return out;
}

function comparison(a: Journal, b: Journal, c: Colors): string[] {
  const downtime = (j: Journal) => j.components.reduce((sum, x) => sum + x.downtime, 0);
  const impacted = (j: Journal) => j.components.filter((x) => x.impacted).length;
  const out = ["", c.bold(`The same fault with ${b.scenario.name}:`)];
  if (b.expectations.length > 0) {
    const held = b.expectations.filter((v) => v.ok).length;
    out.push(`  its expectations: ${held} of ${b.expectations.length} hold`);
    for (const v of b.expectations.filter((x) => !x.ok)) {
      out.push(
        ...wrap(
          safe(`${c.red("✗")} ${v.kind} ${v.subject}: expected ${v.expected}; ${v.actual}`),
          WIDTH,
          "    ",
          "      ",
        ),
      );
    }
  }
  out.push(
    ...block(
      `components impacted: ${impacted(a)} → ${impacted(b)}; time components spent down: ${fmt(downtime(a))} → ${fmt(downtime(b))}${downtime(b) > 0 ? ` (${round1(downtime(a) / downtime(b))}× less)` : ""}`,
      "  ",
    ),
  );
  for (const w of a.workloads) {
    const other = b.workloads.find((x) => x.id === w.id);
    if (!other || (w.failed === 0 && other.failed === 0)) continue;
    const factor =
      other.failed > 0
        ? `${round1(w.failed / other.failed)}× fewer failed requests`
        : "no failed requests at all";
    out.push(
      ...block(
        `${w.id}: ${pct(w.availability, 3)} → ${pct(other.availability, 3)} served; ${factor}`,
        "  ",
      ),
    );
  }
  return out;
}
