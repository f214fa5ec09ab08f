/** The sentences written from an engine cause. */
import { describe, expect, it } from "vitest";
import type { Cause } from "../sim/causes.js";
import { causeText } from "./causes.js";

const skipped = (condition: object, found: string | number): Cause =>
  ({
    mechanism: "action",
    detail: {
      what: "action-skipped",
      action: "a",
      do: "purge-queue",
      condition,
      found,
      trigger: { on: "time", at: 3600 },
    },
  }) as Cause;

describe("a skipped action", () => {
  it("says what its condition needed and what was found", () => {
    expect(causeText(skipped({ queue: "jobs", backlogAbove: 100_000 }, 60_000))).toBe(
      "skipped: purge-queue needs queue jobs holding more than 100k messages, and it holds 60k (triggered at 01:00:00)",
    );
    expect(causeText(skipped({ queue: "jobs", ageAbove: 1200 }, 300))).toBe(
      "skipped: purge-queue needs the oldest message in queue jobs older than 20m, and it is 5m old (triggered at 01:00:00)",
    );
    expect(causeText(skipped({ component: "worker", is: "up" }, "down"))).toBe(
      "skipped: purge-queue needs worker up, and it is down (triggered at 01:00:00)",
    );
    expect(causeText(skipped({ alarm: "errors", is: "alarm" }, "ok"))).toBe(
      "skipped: purge-queue needs alarm errors in alarm, and it is in ok (triggered at 01:00:00)",
    );
  });
});
