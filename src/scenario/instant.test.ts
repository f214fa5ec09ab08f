import { describe, expect, it } from "vitest";
import { INSTANT_PATTERN, localTimeAfter, parseInstant } from "./instant.js";

describe("parseInstant", () => {
  it("reads the instant and the offset it was written at", () => {
    expect(parseInstant("2025-10-19T23:48:00-07:00")).toEqual({
      epochMs: Date.UTC(2025, 9, 20, 6, 48),
      offsetMinutes: -420,
    });
    expect(parseInstant("2025-10-20T12:18:00+05:30")).toEqual({
      epochMs: Date.UTC(2025, 9, 20, 6, 48),
      offsetMinutes: 330,
    });
    expect(parseInstant("2025-10-20T06:48Z")).toEqual({
      epochMs: Date.UTC(2025, 9, 20, 6, 48),
      offsetMinutes: 0,
    });
    expect(parseInstant("2025-10-20T06:48:00.25Z")?.epochMs).toBe(
      Date.UTC(2025, 9, 20, 6, 48, 0, 250),
    );
    // A year below 100 is that year, not 1900 + it (as Date.UTC would have it).
    expect(parseInstant("0099-01-01T00:00:00Z")?.epochMs).toBe(-59042995200000);
  });

  // Each of these was read differently by one of the three parsers this module replaced.
  it.each([
    ["an offset without a colon", "2025-10-19T23:48:00-0700"],
    ["a lowercase z", "2025-10-20T06:48:00z"],
    ["surrounding space", " 2025-10-20T06:48:00Z "],
    ["hour 24", "2025-10-20T24:00:00Z"],
    ["second 60", "2025-10-20T06:48:60Z"],
    ["an offset of 24 hours", "2025-10-20T06:48:00+24:00"],
    ["an offset minute of 60", "2025-10-20T06:48:00+05:60"],
    ["a day the month does not have", "2025-02-29T00:00:00Z"],
    ["no offset", "2025-10-20T06:48:00"],
    ["a space for the T", "2025-10-20 06:48:00Z"],
  ])("refuses %s: %j", (_, text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it("accepts a leap day", () => {
    expect(parseInstant("2024-02-29T00:00:00Z")?.epochMs).toBe(Date.UTC(2024, 1, 29));
  });

  it("publishes the pattern it reads, for the editor schema", () => {
    const re = new RegExp(INSTANT_PATTERN);
    expect(re.test("2025-10-19T23:48:00-07:00")).toBe(true);
    expect(re.test("2025-10-19T23:48:00-0700")).toBe(false);
  });
});

describe("localTimeAfter", () => {
  it("is the wall clock at the instant's own offset, across midnight", () => {
    const start = parseInstant("2025-10-19T23:48:00-07:00");
    expect(start).toBeDefined();
    const local = localTimeAfter(start as NonNullable<typeof start>, 3600_000);
    expect(local.toISOString()).toBe("2025-10-20T00:48:00.000Z");
  });
});
