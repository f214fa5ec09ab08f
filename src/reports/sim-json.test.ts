import { describe, expect, it } from "vitest";
import type { Journal } from "../sim/types.js";
import { causeText } from "./causes.js";
import { dnsJournal, hostileJournal } from "./fixtures.js";
import { renderJournalJson } from "./sim-json.js";

const OPTIONS = { toolVersion: "1.2.3" };

describe("renderJournalJson", () => {
  const journal = dnsJournal();
  const text = renderJournalJson(journal, OPTIONS);

  it("parses back to the journal, plus the tool that produced it and each cause in words", () => {
    const { tool, ...rest } = JSON.parse(text);
    expect(tool).toEqual({ name: "faultline", version: "1.2.3" });
    const words = rest.timeline.map((e: { cause: { text: string } }) => e.cause.text);
    expect(words).toEqual(journal.timeline.map((e) => causeText(e.cause)));
    for (const e of rest.timeline) delete e.cause.text;
    expect(rest).toStrictEqual(JSON.parse(JSON.stringify(journal)));
    expect(rest).toEqual(journal);
    const hostile = hostileJournal();
    expect(JSON.parse(renderJournalJson(hostile, OPTIONS))).toMatchObject(hostile);
  });

  it("puts schemaVersion first and writes keys in a fixed order, 2-space indented, with a final newline", () => {
    expect(text.startsWith('{\n  "schemaVersion": 3,\n  "tool": {')).toBe(true);
    expect(text.endsWith("}\n")).toBe(true);
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual([
      "schemaVersion",
      "tool",
      "model",
      "scenario",
      "timeline",
      "components",
      "workloads",
      "queues",
      "expectations",
      "series",
      "stats",
    ]);
    expect(Object.keys(doc.timeline[1])).toEqual(["t", "kind", "subject", "from", "to", "cause"]);
    expect(Object.keys(doc.timeline[1].cause)).toEqual([
      "mechanism",
      "from",
      "fromKind",
      "text",
      "detail",
    ]);
    expect(Object.keys(doc.expectations[0].loc)).toEqual(["file", "line", "column"]);
  });

  it("does not depend on the order in which the journal's objects were assembled", () => {
    const reversed = (o: object) => Object.fromEntries(Object.entries(o).reverse());
    const shuffled = {
      ...reversed(journal),
      timeline: journal.timeline.map((e) => ({ ...reversed(e), cause: reversed(e.cause) })),
      components: journal.components.map(reversed),
      workloads: journal.workloads.map(reversed),
      queues: journal.queues.map(reversed),
      series: {
        ...reversed(journal.series),
        load: reversed(journal.series.load),
        latency: reversed(journal.series.latency),
      },
    } as unknown as Journal;
    expect(renderJournalJson(shuffled, OPTIONS)).toBe(text);
    expect(renderJournalJson(dnsJournal(), OPTIONS)).toBe(text);
  });

  it("keeps fields it does not know yet, after the known ones", () => {
    const extended = { ...journal, notes: ["later"] } as Journal;
    const keys = Object.keys(JSON.parse(renderJournalJson(extended, OPTIONS)));
    expect(keys.slice(-2)).toEqual(["stats", "notes"]);
  });
});
