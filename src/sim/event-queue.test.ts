import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "./event-queue.js";

describe("EventQueue", () => {
  it("pops by time, then key, then insertion order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.constantFrom("a", "b", "c")), {
          maxLength: 60,
        }),
        (items) => {
          const q = new EventQueue();
          items.forEach(([t, key], i) => {
            q.push(t, key, () => i);
          });
          const expected = items
            .map(([t, key], i) => ({ t, key, i }))
            .sort((x, y) => x.t - y.t || (x.key < y.key ? -1 : x.key > y.key ? 1 : x.i - y.i));
          const popped: number[] = [];
          for (let e = q.pop(); e; e = q.pop()) popped.push(e.run() as unknown as number);
          expect(popped).toEqual(expected.map((x) => x.i));
        },
      ),
    );
  });

  it("removes events by key prefix and keeps the order of the rest", () => {
    const q = new EventQueue();
    const out: string[] = [];
    q.push(3, "1-wave:x:1", () => out.push("wave1"));
    q.push(1, "1-wave:x:0", () => out.push("wave0"));
    q.push(2, "2-action:a", () => out.push("action"));
    q.remove("1-wave:x:");
    expect(q.size).toBe(1);
    for (let e = q.pop(); e; e = q.pop()) e.run();
    expect(out).toEqual(["action"]);
    expect(q.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });
});
