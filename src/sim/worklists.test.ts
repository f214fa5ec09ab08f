import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IndexHeap, WakeHeap } from "./worklists.js";

describe("IndexHeap", () => {
  it("gives back each integer added once, smallest first, whatever the order and repeats", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 63 }), { maxLength: 200 }), (xs) => {
        const heap = new IndexHeap(64);
        for (const x of xs) heap.add(x);
        const out: number[] = [];
        for (let x = heap.pop(); x >= 0; x = heap.pop()) out.push(x);
        expect(out).toEqual([...new Set(xs)].sort((a, b) => a - b));
        expect(heap.size).toBe(0);
      }),
    );
  });

  it("takes an integer again once it was popped, and forgets everything on clear", () => {
    const heap = new IndexHeap(8);
    heap.add(3);
    expect(heap.pop()).toBe(3);
    heap.add(3);
    heap.add(5);
    expect(heap.size).toBe(2);
    heap.clear();
    expect(heap.pop()).toBe(-1);
    heap.add(5);
    expect(heap.pop()).toBe(5);
  });
});

describe("WakeHeap", () => {
  it("gives back every entry, earliest first, growing as needed", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { maxLength: 300 }),
        (ts) => {
          const heap = new WakeHeap();
          ts.forEach((t, i) => {
            heap.push(t, i);
          });
          const out: number[] = [];
          while (heap.size > 0) {
            out.push(heap.peekTime());
            expect(ts[heap.peekSubject()]).toBe(heap.peekTime());
            heap.pop();
          }
          expect(out).toEqual([...ts].sort((a, b) => a - b));
          expect(heap.peekTime()).toBe(Number.POSITIVE_INFINITY);
        },
      ),
    );
  });
});
