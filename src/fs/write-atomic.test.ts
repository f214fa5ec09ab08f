import fs, {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "./write-atomic.js";

// Low-level writes that take half of what they are given (`short`), or that fail as a full
// disk would after `failAfter` of them. node:fs itself is patched, and its named exports synced
// (`syncBuiltinESMExports`), rather than the module mocked: the writer may already be loaded,
// with the real node:fs, by another test file sharing this worker.
const writes = { short: 0, failAfter: -1 };
const realWriteSync = fs.writeSync;
fs.writeSync = ((...args: Parameters<typeof realWriteSync>) => {
  if (writes.failAfter === 0)
    throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
  if (writes.failAfter > 0) writes.failAfter--;
  const [fd, buffer, offset, length] = args as unknown as [number, Uint8Array, number, number];
  if (writes.short === 0) return realWriteSync(...args);
  writes.short--;
  return realWriteSync(fd, buffer, offset, Math.ceil(length / 2));
}) as typeof realWriteSync;
syncBuiltinESMExports();

afterEach(() => {
  writes.short = 0;
  writes.failAfter = -1;
});
afterAll(() => {
  fs.writeSync = realWriteSync;
  syncBuiltinESMExports();
});

const dir = () => mkdtempSync(join(tmpdir(), "faultline-write-"));

describe("writeFileAtomic", () => {
  it("replaces a file's content and leaves no temporary file behind", () => {
    const d = dir();
    const file = join(d, "report.html");
    writeFileSync(file, "old");
    writeFileAtomic(file, "new content");
    expect(readFileSync(file, "utf8")).toBe("new content");
    expect(readdirSync(d)).toEqual(["report.html"]);
  });

  it("writes everything even when the system writes it in pieces", () => {
    const file = join(dir(), "big.txt");
    const text = "0123456789".repeat(10_000);
    writes.short = 3;
    writeFileAtomic(file, text);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("writes pieces one after the other, as if joined", () => {
    const file = join(dir(), "pieces.json");
    const pieces = ["{\n", '  "a": "→ ×",\n', "0123456789".repeat(10_000), "\n}\n"];
    writes.short = 2;
    writeFileAtomic(file, pieces);
    expect(readFileSync(file, "utf8")).toBe(pieces.join(""));
  });

  it("leaves the old file whole when the pieces fail part-way", () => {
    const d = dir();
    const file = join(d, "report.json");
    writeFileSync(file, "old report");
    function* pieces() {
      yield "x".repeat(100_000);
      throw new Error("render failed");
    }
    expect(() => writeFileAtomic(file, pieces())).toThrow(/render failed/);
    expect(readFileSync(file, "utf8")).toBe("old report");
    expect(readdirSync(d)).toEqual(["report.json"]);
  });

  it("leaves the old file whole when the write fails part-way", () => {
    const d = dir();
    const file = join(d, "model.yaml");
    writeFileSync(file, "name: precious\n");
    writes.short = 1;
    writes.failAfter = 1;
    expect(() => writeFileAtomic(file, "x".repeat(100_000))).toThrow(/ENOSPC/);
    expect(readFileSync(file, "utf8")).toBe("name: precious\n");
    expect(readdirSync(d)).toEqual(["model.yaml"]);
  });

  it("keeps the permissions of the file it replaces", () => {
    const file = join(dir(), "secret.txt");
    writeFileSync(file, "old");
    chmodSync(file, 0o600);
    writeFileAtomic(file, "new");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("writes through a symbolic link and keeps the link", () => {
    const d = dir();
    writeFileSync(join(d, "real.txt"), "old");
    symlinkSync("real.txt", join(d, "link.txt"));
    writeFileAtomic(join(d, "link.txt"), "new");
    expect(lstatSync(join(d, "link.txt")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(d, "link.txt"))).toBe("real.txt");
    expect(readFileSync(join(d, "real.txt"), "utf8")).toBe("new");
  });

  it("creates the file a dangling link points to", () => {
    const d = dir();
    mkdirSync(join(d, "sub"));
    symlinkSync("sub/target.txt", join(d, "link.txt"));
    writeFileAtomic(join(d, "link.txt"), "new");
    expect(readFileSync(join(d, "sub/target.txt"), "utf8")).toBe("new");
    expect(lstatSync(join(d, "link.txt")).isSymbolicLink()).toBe(true);
  });

  it("refuses a directory", () => {
    const d = dir();
    expect(() => writeFileAtomic(d, "x")).toThrow(/is a directory/);
  });

  it("writes directly to what is not a regular file, and never replaces it", () => {
    writeFileAtomic("/dev/null", "discarded");
    expect(fs.statSync("/dev/null").isCharacterDevice()).toBe(true);
  });
});
