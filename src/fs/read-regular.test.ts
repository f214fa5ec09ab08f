import { execFileSync } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NotRegularFileError, readRegularFile } from "./read-regular.js";

describe("readRegularFile", () => {
  it("reads a regular file, through a link too", () => {
    const d = mkdtempSync(join(tmpdir(), "faultline-read-"));
    writeFileSync(join(d, "m.yaml"), "name: m\n");
    symlinkSync("m.yaml", join(d, "link.yaml"));
    expect(readRegularFile(join(d, "m.yaml"))).toBe("name: m\n");
    expect(readRegularFile(join(d, "link.yaml"))).toBe("name: m\n");
  });

  it("refuses a FIFO at once instead of waiting for a writer", () => {
    const d = mkdtempSync(join(tmpdir(), "faultline-read-"));
    const fifo = join(d, "x.yaml");
    execFileSync("mkfifo", [fifo]);
    // With a blocking open this call would never return, and the test would time out.
    expect(() => readRegularFile(fifo)).toThrow(NotRegularFileError);
  });

  it("refuses a device", () => {
    expect(() => readRegularFile("/dev/zero")).toThrow(/not a regular file/);
  });

  it("says when the file does not exist", () => {
    expect(() => readRegularFile("/no/such/file.yaml")).toThrow(
      expect.objectContaining({ code: "ENOENT" }),
    );
  });
});
