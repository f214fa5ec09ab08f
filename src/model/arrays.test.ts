import { describe, expect, it } from "vitest";
import { appendAll, maxOf } from "./arrays.js";

describe("array functions for lists that grow with the model", () => {
  it("append and take the maximum of a million items without overflowing the stack", () => {
    const many = Array.from({ length: 1_000_000 }, (_, i) => i);
    const list = [-1];
    appendAll(list, many);
    expect(list.length).toBe(1_000_001);
    expect(list[1_000_000]).toBe(999_999);
    expect(maxOf(many)).toBe(999_999);
    expect(() => Math.max(...many)).toThrow(RangeError);
  });

  it("give the empty value for no items", () => {
    expect(maxOf([])).toBe(Number.NEGATIVE_INFINITY);
    expect(maxOf([], 0)).toBe(0);
    expect(maxOf([-5, -2])).toBe(-2);
  });
});
