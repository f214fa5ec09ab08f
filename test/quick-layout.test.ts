/**
 * The report's first layout (web/src/quick-layout.ts): every leaf is placed, and nothing
 * overlaps — not two leaves, not two domain boxes drawn around their contents, not a box and a
 * leaf beside it — whatever the nesting.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BOX_PADDING, type LayoutItem, quickLayout } from "../web/src/quick-layout.js";

interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

const overlap = (a: Rect, b: Rect) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Each item's rectangle as drawn: a leaf's box, or a domain's around its contents. */
function rects(items: readonly LayoutItem[], at: ReadonlyMap<string, { x: number; y: number }>) {
  const out = new Map<string, Rect>();
  const rectOf = (item: LayoutItem): Rect => {
    const known = out.get(item.id);
    if (known !== undefined) return known;
    const inside = items.filter((i) => i.parent === item.id);
    let r: Rect;
    if (inside.length === 0) {
      const c = at.get(item.id);
      expect(c, item.id).toBeDefined();
      const { x, y } = c as { x: number; y: number };
      const w = (item.w ?? 0) / 2;
      const h = (item.h ?? 0) / 2;
      r = { left: x - w, top: y - h, right: x + w, bottom: y + h };
    } else {
      const rs = inside.map(rectOf);
      r = {
        left: Math.min(...rs.map((q) => q.left)) - BOX_PADDING.side,
        top: Math.min(...rs.map((q) => q.top)) - BOX_PADDING.top,
        right: Math.max(...rs.map((q) => q.right)) + BOX_PADDING.side,
        bottom: Math.max(...rs.map((q) => q.bottom)) + BOX_PADDING.bottom,
      };
    }
    out.set(item.id, r);
    return r;
  };
  for (const item of items) rectOf(item);
  return out;
}

/** Domains d0…, each inside an earlier one or at the top, and leaves in them or at the top. */
const graphs = fc
  .record({
    parents: fc.array(fc.nat(), { maxLength: 8 }),
    leaves: fc.array(
      fc.record({
        in: fc.nat(),
        w: fc.integer({ min: 40, max: 300 }),
        h: fc.integer({ min: 30, max: 90 }),
      }),
      { minLength: 1, maxLength: 40 },
    ),
  })
  .map(({ parents, leaves }) => {
    const domains = parents.map((p, i) => ({
      id: `d${i}`,
      // A domain's parent is an earlier domain, or none.
      parent: i === 0 || p % (i + 1) === i ? undefined : `d${p % i}`,
    }));
    const items: LayoutItem[] = [...domains];
    const pick = (n: number) =>
      n % (domains.length + 1) === 0 ? undefined : `d${n % domains.length}`;
    leaves.forEach((l, i) => {
      items.push({ id: `n${i}`, parent: pick(l.in), w: l.w, h: l.h });
    });
    // Only domains that hold something are drawn.
    const holds = (id: string): boolean =>
      items.some((i) => i.parent === id && (i.id.startsWith("n") || holds(i.id)));
    return items.filter((i) => i.id.startsWith("n") || holds(i.id));
  });

describe("quickLayout", () => {
  it("places every leaf, and no two neighbours overlap", () => {
    fc.assert(
      fc.property(graphs, (items) => {
        const at = quickLayout(items);
        const leaves = items.filter((i) => !items.some((j) => j.parent === i.id));
        expect([...at.keys()].sort()).toEqual(leaves.map((l) => l.id).sort());
        const r = rects(items, at);
        for (const a of items)
          for (const b of items)
            if (a.id < b.id && a.parent === b.parent)
              expect(overlap(r.get(a.id) as Rect, r.get(b.id) as Rect), `${a.id} ${b.id}`).toBe(
                false,
              );
      }),
    );
  });

  it("packs a domain's contents in rows wider than tall", () => {
    const items: LayoutItem[] = [
      { id: "zone" },
      ...Array.from({ length: 16 }, (_, i) => ({ id: `n${i}`, parent: "zone", w: 100, h: 46 })),
    ];
    const r = rects(items, quickLayout(items)).get("zone") as Rect;
    expect(r.right - r.left).toBeGreaterThan(r.bottom - r.top);
  });
});
