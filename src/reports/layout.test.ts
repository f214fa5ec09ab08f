import { describe, expect, it } from "vitest";
import { columns, terminalSafe, wrap } from "./layout.js";

describe("wrap", () => {
  it("fits words into the width, with a first and a continuation prefix", () => {
    expect(wrap("aaa bbb ccc ddd", 9, "- ", "  ")).toEqual(["- aaa bbb", "  ccc ddd"]);
  });

  it("keeps a word longer than the line whole", () => {
    expect(wrap("a https://example.com/very/long b", 10, "")).toEqual([
      "a",
      "https://example.com/very/long",
      "b",
    ]);
  });

  it("starts a new line at each line break and collapses runs of spaces", () => {
    expect(wrap("one  two\nthree", 80, "> ", "  ")).toEqual(["> one two", "  three"]);
  });
});

describe("columns", () => {
  it("aligns cells, right-aligns numbers and drops trailing spaces", () => {
    const t = columns(
      [{ title: "unit" }, { title: "n", align: "right" }, { title: "note" }],
      [
        ["a", "1", ""],
        ["bbbb", "22", "x"],
      ],
      2,
      100,
    );
    expect([t.header, ...t.rows]).toEqual(["  unit   n  note", "  a      1", "  bbbb  22  x"]);
  });

  it("cuts cells to the column's maximum and the last column to the line width", () => {
    const t = columns(
      [{ title: "id", max: 4 }, { title: "list" }],
      [["abcdefgh", "x".repeat(50)]],
      0,
      20,
    );
    expect(t.rows).toEqual([`abc…  ${"x".repeat(13)}…`]);
  });
});

describe("terminalSafe", () => {
  it("replaces control characters and bidi overrides, keeping line breaks", () => {
    expect(terminalSafe("a\u001b[2Jb\r\nc\td\u202ee\u0007")).toBe("a\uFFFD[2Jb\nc d\uFFFDe\uFFFD");
  });
});
