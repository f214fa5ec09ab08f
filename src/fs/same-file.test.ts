import { linkSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isSameFile } from "./same-file.js";

describe("isSameFile", () => {
  const d = mkdtempSync(join(tmpdir(), "faultline-same-"));
  mkdirSync(join(d, "sub"));
  writeFileSync(join(d, "m.yaml"), "a");
  writeFileSync(join(d, "other.yaml"), "a");
  symlinkSync("m.yaml", join(d, "soft.yaml"));
  linkSync(join(d, "m.yaml"), join(d, "hard.yaml"));

  it("sees one file however it is named", () => {
    for (const alias of ["m.yaml", "sub/../m.yaml", "./m.yaml", "soft.yaml", "hard.yaml"])
      expect(isSameFile(join(d, "m.yaml"), join(d, alias)), alias).toBe(true);
  });

  it("tells different files apart, even with equal content", () => {
    expect(isSameFile(join(d, "m.yaml"), join(d, "other.yaml"))).toBe(false);
  });

  it("is false when either does not exist", () => {
    expect(isSameFile(join(d, "m.yaml"), join(d, "new.yaml"))).toBe(false);
    expect(isSameFile(join(d, "new.yaml"), join(d, "new.yaml"))).toBe(false);
  });
});
