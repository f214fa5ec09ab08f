/**
 * A scenario's `startsAt` is read in one place: the validator, the journal's wall clock and
 * the story's clock agree on every text — what one accepts the others print at the same
 * offset, and what the validator refuses the others do not print as a time either. These are
 * the texts on which three separate parsers used to disagree.
 */
import { describe, expect, it } from "vitest";
import { when } from "../src/reports/story.js";
import { parseScenario } from "../src/scenario/load.js";
import { wallClock } from "../src/sim/format.js";
import { modelOf } from "./helpers/memory.js";

const MODEL = modelOf("name: m\ncomponents:\n  api: { kind: api, placement: global }\n");

function readings(startsAt: string) {
  const scenario = parseScenario(
    "s.yaml",
    `name: x\nduration: 1h\nstartsAt: ${JSON.stringify(startsAt)}\n`,
    MODEL,
  );
  return { valid: scenario.ok, wallClock: wallClock(startsAt, 90), story: when(90, startsAt) };
}

describe("startsAt", () => {
  it("is printed at its own offset wherever it is valid", () => {
    expect(readings("2025-10-19T23:48:00-07:00")).toEqual({
      valid: true,
      wallClock: "2025-10-19 23:49:30",
      story: "00:01:30 (23:49)",
    });
    expect(readings("2025-10-20T06:48Z")).toEqual({
      valid: true,
      wallClock: "2025-10-20 06:49:30",
      story: "00:01:30 (06:49)",
    });
  });

  it.each([
    // The validator refused these; the wall clock read −07:00, the story UTC.
    "2025-10-19T23:48:00-0700",
    // The validator refused these; the others printed them.
    "2025-10-20T06:48:00z",
    "2025-10-20T24:00:00Z",
    // The story printed "NaN:NaN".
    " 2025-10-20T06:48:00Z ",
    "2025-10-20T06:48:00+24:00",
  ])("%j: refused by the validator, and printed as time from the start", (text) => {
    expect(readings(text)).toEqual({ valid: false, wallClock: undefined, story: "00:01:30" });
  });
});
