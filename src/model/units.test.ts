import { describe, expect, it } from "vitest";
import {
  formatAvailability,
  formatDuration,
  parseCount,
  parseDuration,
  parsePercent,
  parseRate,
} from "./units.js";

describe("durations", () => {
  it("reads every unit and compounds", () => {
    expect(parseDuration("250ms")).toBe(0.25);
    expect(parseDuration("30s")).toBe(30);
    expect(parseDuration("5m")).toBe(300);
    expect(parseDuration("2h")).toBe(7200);
    expect(parseDuration("4d")).toBe(345600);
    expect(parseDuration("1h30m")).toBe(5400);
    expect(parseDuration("1.5s")).toBe(1.5);
  });
  it("explains what is wrong", () => {
    expect(parseDuration("-5m")).toMatch(/negative/);
    expect(parseDuration("60")).toMatch(/needs a unit: write 60s/);
    expect(parseDuration("5 minutes")).toBe(
      "write 5m: durations take short units (ms, s, m, h, d)",
    );
    expect(parseDuration("1 hour 30 mins")).toMatch(/^write 1h30m:/);
    expect(parseDuration("10 parsecs")).toMatch(/expected a duration/);
    expect(parseDuration("400d")).toMatch(/longer than a year/);
  });
  it("formats compactly", () => {
    expect(formatDuration(5400)).toBe("1h30m");
    expect(formatDuration(0.25)).toBe("250ms");
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe("∞");
  });
});

describe("rates, counts and percentages", () => {
  it("reads rates in any time unit", () => {
    expect(parseRate("50k rps")).toBe(50_000);
    expect(parseRate("1.5M rps")).toBe(1_500_000);
    expect(parseRate("200/s")).toBe(200);
    expect(parseRate("12k rpm")).toBe(200);
    expect(parseRate("300/min")).toBe(5);
    expect(parseRate("3600/h")).toBe(1);
    expect(parseRate("50k")).toMatch(/needs a unit: write 50k rps/);
    expect(parseRate("2000G rps")).toMatch(/not plausible/);
  });
  it("reads counts and percentages", () => {
    expect(parseCount("10k")).toBe(10_000);
    expect(parseCount(42)).toBe(42);
    expect(parseCount("lots")).toMatch(/expected a count/);
    expect(parsePercent("99.95%")).toBeCloseTo(0.9995, 12);
    expect(parsePercent(0.5)).toBe(0.5);
    expect(parsePercent("101%")).toMatch(/cannot exceed/);
    expect(parsePercent(2)).toMatch(/between 0 and 1/);
  });
  it("never rounds a shortfall up to 100%", () => {
    expect(formatAvailability(0.99999991)).toBe("99.99999%");
    expect(formatAvailability(0.9995)).toBe("99.95%");
    expect(formatAvailability(1)).toBe("100%");
  });
});
