/**
 * The graph's first layout, computed at once so the page's first paint shows the graph: the
 * contents of each failure domain packed in rows inside its box, boxes nested as the domains
 * are. ELK's layered layout replaces it when it is ready (its engine compiles in a worker,
 * which takes a second or more); until then this one only has to be readable, so it ignores
 * the edges. Boxes keep ELK's padding, so the domain titles have the same room in both.
 */

/** A node to place: a leaf with its size, or a box (a domain) holding the items naming it. */
export interface LayoutItem {
  readonly id: string;
  readonly parent?: string | undefined;
  /** Size of a leaf; a box is sized by what it holds. */
  readonly w?: number | undefined;
  readonly h?: number | undefined;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Room inside a domain's box around its contents: the title sits in the top strip. */
export const BOX_PADDING = { top: 34, side: 14, bottom: 14 } as const;
/** Space between neighbours. */
const GAP = 22;
/** Rows are about this much wider than tall, to suit a wide window. */
const ASPECT = 1.8;

interface Placed {
  readonly w: number;
  readonly h: number;
  /** Top-left corners of the children, relative to the content's top-left. */
  readonly offsets: ReadonlyMap<string, Point>;
}

/** Centres of the leaves (boxes are drawn around their contents). */
export function quickLayout(items: readonly LayoutItem[]): Map<string, Point> {
  const children = new Map<string | undefined, LayoutItem[]>();
  for (const item of items) {
    const list = children.get(item.parent) ?? [];
    list.push(item);
    children.set(item.parent, list);
  }
  const placed = new Map<string, Placed>();
  const size = (item: LayoutItem): { w: number; h: number } => {
    const inside = children.get(item.id);
    if (inside === undefined) return { w: item.w ?? 0, h: item.h ?? 0 };
    const p = pack(inside);
    placed.set(item.id, p);
    return {
      w: p.w + 2 * BOX_PADDING.side,
      h: p.h + BOX_PADDING.top + BOX_PADDING.bottom,
    };
  };
  const pack = (list: readonly LayoutItem[]): Placed => {
    const sizes = list.map(size);
    const area = sizes.reduce((sum, s) => sum + (s.w + GAP) * (s.h + GAP), 0);
    const limit = Math.max(...sizes.map((s) => s.w), Math.sqrt(area * ASPECT));
    const offsets = new Map<string, Point>();
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    let width = 0;
    list.forEach((item, i) => {
      const s = sizes[i] as { w: number; h: number };
      if (x > 0 && x + s.w > limit) {
        y += rowHeight + GAP;
        x = 0;
        rowHeight = 0;
      }
      offsets.set(item.id, { x, y });
      width = Math.max(width, x + s.w);
      rowHeight = Math.max(rowHeight, s.h);
      x += s.w + GAP;
    });
    return { w: width, h: y + rowHeight, offsets };
  };

  const out = new Map<string, Point>();
  const place = (list: readonly LayoutItem[], offsets: ReadonlyMap<string, Point>, at: Point) => {
    for (const item of list) {
      const o = offsets.get(item.id) as Point;
      const x = at.x + o.x;
      const y = at.y + o.y;
      const box = placed.get(item.id);
      if (box === undefined) {
        out.set(item.id, { x: x + (item.w ?? 0) / 2, y: y + (item.h ?? 0) / 2 });
        continue;
      }
      place(children.get(item.id) ?? [], box.offsets, {
        x: x + BOX_PADDING.side,
        y: y + BOX_PADDING.top,
      });
    }
  };
  const roots = children.get(undefined) ?? [];
  place(roots, pack(roots).offsets, { x: 0, y: 0 });
  return out;
}
