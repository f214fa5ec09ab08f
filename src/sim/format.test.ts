import { describe, expect, it } from "vitest";
import { clockTenths, fmt, wallClock } from "./format.js";

describe("clockTenths", () => {
  it("keeps changes a fraction of a second apart in order", () => {
    expect(clockTenths(0.3)).toBe("00:00:00.3");
    expect(clockTenths(59.96)).toBe("00:01:00.0");
    expect(clockTenths(86_400 + 3723.25)).toBe("1d 01:02:03.3");
  });
});

describe("wallClock", () => {
  it("writes the time at the scenario's own offset, across midnight", () => {
    expect(wallClock("2025-10-19T23:48:00-07:00", 0)).toBe("2025-10-19 23:48:00");
    expect(wallClock("2025-10-19T23:48:00-07:00", 3600)).toBe("2025-10-20 00:48:00");
    expect(wallClock("2025-10-20T06:48:00Z", 30.4, true)).toBe("2025-10-20 06:48:30.4");
    expect(wallClock("2025-10-20T12:18:00+05:30", 0)).toBe("2025-10-20 12:18:00");
  });

  it("is undefined for a time without an offset or that does not parse", () => {
    expect(wallClock("2025-10-20T06:48:00", 0)).toBeUndefined();
    expect(wallClock("yesterday Z", 0)).toBeUndefined();
  });
});

describe("fmt", () => {
  it("writes a negative duration with a minus sign in the same units", () => {
    // 46 min: a recovery 46 min before the moment it is measured from.
    expect(fmt(-2760)).toBe("−46m");
    expect(fmt(2760)).toBe("46m");
    expect(fmt(-0.25)).toBe("−250ms");
  });
});
