import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "../sim/types.js";
import { dnsJournal } from "./fixtures.js";
import { causeLabel, timelineRows } from "./journal.js";

describe("timelineRows", () => {
  const journal = dnsJournal();
  const entry = (t: number, subject: string, state: "down" | "failing"): TimelineEntry => ({
    t,
    kind: "component",
    subject,
    from: "up",
    to: "down",
    cause: {
      mechanism: "dependency",
      from: "db",
      detail: {
        what: "dependency-failing",
        component: "db",
        failing: state === "down" ? 1 : 0.2,
        down: state === "down",
      },
    },
  });

  it("merges changes at the same instant with the same cause, in the order they first appear", () => {
    const rows = timelineRows({
      ...journal,
      timeline: [
        entry(1, "b", "down"),
        entry(1, "c", "failing"),
        entry(1, "a", "down"),
        entry(2, "d", "down"),
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
    const cause = {
      mechanism: "action",
      from: "fix",
      detail: { what: "action-effect", action: "fix", do: "fix-dns" },
    } as const;
    expect(causeLabel(cause, ["fix"])).toBe("action: action fix (fix-dns)");
    expect(causeLabel(cause, ["db.example"])).toBe("action fix: action fix (fix-dns)");
    const recovered = { mechanism: "recovered", detail: { what: "recovered" } } as const;
    expect(causeLabel(recovered, ["api"])).toBe("recovered: serving normally again");
  });
});
