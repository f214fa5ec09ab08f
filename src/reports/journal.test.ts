import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "../sim/types.js";
import { dnsJournal } from "./fixtures.js";
import { causeLabel, timelineRows } from "./journal.js";

describe("timelineRows", () => {
  const journal = dnsJournal();
  const entry = (t: number, subject: string, text: string): TimelineEntry => ({
    t,
    kind: "component",
    subject,
    from: "up",
    to: "down",
    cause: { mechanism: "dependency", from: "db", text },
  });

  it("merges changes at the same instant with the same cause, in the order they first appear", () => {
    const rows = timelineRows({
      ...journal,
      timeline: [
        entry(1, "b", "db is down"),
        entry(1, "c", "db is failing"),
        entry(1, "a", "db is down"),
        entry(2, "d", "db is down"),
      ],
    });
    expect(rows.map((r) => [r.t, r.subjects])).toEqual([
      [1, ["b", "a"]],
      [1, ["c"]],
      [2, ["d"]],
    ]);
  });

  it("accounts for every timeline entry exactly once", () => {
    const rows = timelineRows(journal);
    expect(rows.flatMap((r) => r.subjects)).toHaveLength(journal.timeline.length);
    expect(rows.length).toBeLessThan(journal.timeline.length);
  });
});

describe("causeLabel", () => {
  it("names the source unless the change is its own cause", () => {
    const cause = { mechanism: "action", from: "fix", text: "action fix (fix-dns db.example)" };
    expect(causeLabel(cause, ["fix"])).toBe("action: action fix (fix-dns db.example)");
    expect(causeLabel(cause, ["db.example"])).toBe("action fix: action fix (fix-dns db.example)");
    expect(causeLabel({ mechanism: "recovered", text: "serving normally again" }, ["api"])).toBe(
      "recovered: serving normally again",
    );
  });
});
